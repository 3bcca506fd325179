import { beforeAll, describe, expect, it } from "vitest";
import { pdfBytes, pngBytes } from "../../testing/files.ts";
import { auditFails, auditRows, bucket, countRows, db, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import {
  createFileRequest,
  deleteDocument,
  getDocument,
  getPortalCounters,
  issueDownloadLink,
  listDocuments,
  redeemDownload,
  updateDocument,
  uploadDocument,
} from "./index.ts";

const SECRET = "test-only-files-secret-0123456789abcdefghijklmnop";
const MAX = 1024 * 1024;
type S = Awaited<ReturnType<typeof setup>>;
const setup = () => given({ tenants: ["a", "b"], roles: ["client", "project_manager", "admin"] });

let s: S;
let pm: Ctx;
let client: Ctx;
let admin: Ctx;
let pmB: Ctx;
beforeAll(async () => {
  s = await setup();
  pm = s.ctx("a", s.members.a.project_manager);
  client = s.ctx("a", s.members.a.client);
  admin = s.ctx("a", s.members.a.admin);
  pmB = s.ctx("b", s.members.b.project_manager);
});

const upload = (ctx: Ctx, meta: Record<string, unknown> = {}, bytes = pdfBytes(crypto.randomUUID())) =>
  uploadDocument({
    ctx,
    bucket: bucket(),
    input: { file_name: "Devis final.pdf", bytes, ...meta },
    maxBytes: MAX,
  });

describe("uploadDocument", () => {
  it("stores the file in R2 under the tenant, and the document, version, counter and audit row in D1", async () => {
    const bytes = pdfBytes("first");
    const doc = await upload(pm, { title: "Devis", visibility: "client" }, bytes);
    expect(doc).toMatchObject({ title: "Devis", visibility: "client", current_version: 1, approval: null });
    expect(doc.latest).toMatchObject({
      version: 1,
      file_name: "Devis final.pdf",
      mime_type: "application/pdf",
    });
    expect(doc.latest.size_bytes).toBe(bytes.byteLength);
    const row = await db()
      .prepare("SELECT r2_key FROM document_versions WHERE tenant_id = ? AND id = ?")
      .bind(s.tenants.a.id, doc.latest.id)
      .first<{ r2_key: string }>();
    expect(row?.r2_key).toBe(`tenants/${s.tenants.a.id}/documents/${doc.id}/${doc.latest.id}`);
    expect(await (await bucket().get(row?.r2_key ?? ""))?.arrayBuffer()).toEqual(bytes.buffer);
    expect(
      (await auditRows(s.tenants.a.id, { entityId: doc.id })).map((a) => [a.action, a.actor_id]),
    ).toEqual([["document.upload", String(s.members.a.project_manager.id)]]);
  });

  it("adds a version to an existing document and keeps the old one", async () => {
    const first = await upload(pm);
    const second = await upload(admin, { document_id: first.id }, pngBytes());
    expect(second).toMatchObject({ id: first.id, current_version: 2, visibility: "internal" });
    expect(second.latest).toMatchObject({ version: 2, mime_type: "image/png", file_name: "Devis final.png" });
    expect(second.versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it("lets a client upload only against a request, client-facing; without one it is FORBIDDEN", async () => {
    await refused(upload(client), "FORBIDDEN");
    const req = await createFileRequest({ ctx: pm, input: { title: "Logo" } });
    const doc = await upload(client, { request_id: req.id, visibility: "internal" });
    expect(doc.visibility).toBe("client");
    expect(doc.title).toBe("Logo");
    const after = await db()
      .prepare("SELECT status, document_id FROM file_requests WHERE id = ?")
      .bind(req.id)
      .first();
    expect(after).toEqual({ status: "submitted", document_id: doc.id });
  });

  it("refuses empty (VALIDATION), too large (PAYLOAD_TOO_LARGE) and disallowed files (UNPROCESSABLE)", async () => {
    await refused(upload(pm, {}, new Uint8Array(new ArrayBuffer(0))), "VALIDATION");
    await refused(
      uploadDocument({
        ctx: pm,
        bucket: bucket(),
        input: { file_name: "x.pdf", bytes: pdfBytes() },
        maxBytes: 10,
      }),
      "PAYLOAD_TOO_LARGE",
    );
    const html = new Uint8Array(new TextEncoder().encode("<html><script>alert(1)</script></html>"));
    await refused(upload(pm, {}, html), "UNPROCESSABLE");
    await refused(upload(pm, { visibility: "public" }), "VALIDATION");
  });

  it("treats another tenant's document and request ids as NOT_FOUND, and writes nothing there", async () => {
    const docA = await upload(pm);
    const reqA = await createFileRequest({ ctx: pm, input: { title: "Brief" } });
    const before = await countRows("document_versions", s.tenants.a.id);
    await refused(upload(pmB, { document_id: docA.id }), "NOT_FOUND");
    await refused(upload(pmB, { request_id: reqA.id }), "NOT_FOUND");
    expect(await countRows("document_versions", s.tenants.a.id)).toBe(before);
    expect(await countRows("documents", s.tenants.b.id)).toBe(0);
  });

  it("writes nothing and removes the R2 object when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["project_manager"] });
    const undo = await auditFails({ tenantId: t.tenants.x.id });
    await refused(upload(t.ctx("x", t.members.x.project_manager)), "CONFLICT");
    await undo();
    expect(await countRows("documents", t.tenants.x.id)).toBe(0);
    expect(await countRows("tenant_counters", t.tenants.x.id)).toBe(0);
    expect((await bucket().list({ prefix: `tenants/${t.tenants.x.id}/` })).objects).toEqual([]);
  });
});

describe("listDocuments / getDocument", () => {
  it("shows the agency every document and a client the client-facing ones only", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const internal = await upload(agency, { title: "Marge" });
    const shared = await upload(agency, { title: "Maquette", visibility: "client" });
    expect((await listDocuments({ ctx: agency })).rows.map((d) => d.id).sort()).toEqual(
      [internal.id, shared.id].sort(),
    );
    expect(await listDocuments({ ctx: agency, input: { visibility: "internal" } })).toMatchObject({
      total: 1,
    });
    const mine = t.ctx("x", t.members.x.client);
    const seen = await listDocuments({ ctx: mine, input: { visibility: "internal" } });
    expect(seen).toMatchObject({ total: 1, rows: [{ id: shared.id }] });
    expect((await getDocument({ ctx: mine, input: { id: shared.id } })).id).toBe(shared.id);
    await refused(getDocument({ ctx: mine, input: { id: internal.id } }), "NOT_FOUND");
  });

  it("answers NOT_FOUND for another tenant's document and VALIDATION for a malformed id", async () => {
    const docA = await upload(pm);
    await refused(getDocument({ ctx: pmB, input: { id: docA.id } }), "NOT_FOUND");
    await refused(getDocument({ ctx: pm, input: { id: "not-a-uuid" } }), "VALIDATION");
    expect((await listDocuments({ ctx: pmB })).total).toBe(0);
  });
});

describe("updateDocument / deleteDocument", () => {
  it("renames and shares a document with its audit row (agency); clients are FORBIDDEN", async () => {
    const doc = await upload(pm);
    const changed = await updateDocument({
      ctx: admin,
      input: { id: doc.id, changes: { title: "Final", visibility: "client" } },
    });
    expect(changed).toMatchObject({ title: "Final", visibility: "client" });
    expect((await auditRows(s.tenants.a.id, { entityId: doc.id, action: "document.update" })).length).toBe(1);
    await refused(
      updateDocument({ ctx: client, input: { id: doc.id, changes: { title: "Mine" } } }),
      "FORBIDDEN",
    );
    await refused(updateDocument({ ctx: pm, input: { id: doc.id, changes: { owner: 1 } } }), "VALIDATION");
    await refused(updateDocument({ ctx: pmB, input: { id: doc.id, changes: { title: "B" } } }), "NOT_FOUND");
  });

  it("deletes the document, its versions and files, gives the storage back and audits it", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const doc = await upload(agency);
    await upload(agency, { document_id: doc.id });
    await refused(
      deleteDocument({ ctx: t.ctx("x", t.members.x.client), bucket: bucket(), input: { id: doc.id } }),
      "FORBIDDEN",
    );
    await refused(deleteDocument({ ctx: pmB, bucket: bucket(), input: { id: doc.id } }), "NOT_FOUND");
    expect(await deleteDocument({ ctx: agency, bucket: bucket(), input: { id: doc.id } })).toEqual({
      id: doc.id,
    });
    expect(await countRows("document_versions", t.tenants.x.id)).toBe(0);
    expect((await bucket().list({ prefix: `tenants/${t.tenants.x.id}/` })).objects).toEqual([]);
    expect((await getPortalCounters({ ctx: agency })).storage_bytes).toBe(0);
    expect((await auditRows(t.tenants.x.id, { action: "document.delete" })).length).toBe(1);
  });

  it("deletes nothing when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const doc = await upload(agency);
    const undo = await auditFails({ tenantId: t.tenants.x.id, action: "document.delete" });
    await expect(deleteDocument({ ctx: agency, bucket: bucket(), input: { id: doc.id } })).rejects.toThrow(
      /audit row refused/,
    );
    await undo();
    expect((await getDocument({ ctx: agency, input: { id: doc.id } })).versions).toHaveLength(1);
    expect((await bucket().list({ prefix: `tenants/${t.tenants.x.id}/` })).objects).toHaveLength(1);
  });
});

describe("issueDownloadLink / redeemDownload", () => {
  it("signs a link the tenant's host redeems once per download, counted; another tenant's host is FORBIDDEN", async () => {
    const doc = await upload(pm, { visibility: "client" }, pdfBytes("download me"));
    const link = await issueDownloadLink({
      ctx: client,
      secret: SECRET,
      input: { version_id: doc.latest.id },
    });
    expect(link.url).toMatch(/^\/api\/files\/dl\./);
    const token = link.url.slice("/api/files/".length);
    const res = await redeemDownload({
      db: db(),
      bucket: bucket(),
      secret: SECRET,
      token,
      tenantId: s.tenants.a.id,
      now: new Date(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new TextDecoder().decode(await res.arrayBuffer())).toContain("download me");
    await refused(
      redeemDownload({
        db: db(),
        bucket: bucket(),
        secret: SECRET,
        token,
        tenantId: s.tenants.b.id,
        now: new Date(),
      }),
      "FORBIDDEN",
    );
    const later = new Date(Date.now() + 16 * 60_000);
    await refused(
      redeemDownload({
        db: db(),
        bucket: bucket(),
        secret: SECRET,
        token,
        tenantId: s.tenants.a.id,
        now: later,
      }),
      "FORBIDDEN",
      /expired/,
    );
    await refused(
      redeemDownload({
        db: db(),
        bucket: bucket(),
        secret: "another-secret-0123456789abcdefghijklmnopqrstu",
        token,
        tenantId: s.tenants.a.id,
        now: new Date(),
      }),
      "FORBIDDEN",
    );
  });

  it("gives a client no link to an internal version, and nobody one to another tenant's version (NOT_FOUND)", async () => {
    const internal = await upload(pm);
    await refused(
      issueDownloadLink({ ctx: client, secret: SECRET, input: { version_id: internal.latest.id } }),
      "NOT_FOUND",
    );
    await refused(
      issueDownloadLink({ ctx: pmB, secret: SECRET, input: { version_id: internal.latest.id } }),
      "NOT_FOUND",
    );
    await refused(issueDownloadLink({ ctx: pm, secret: SECRET, input: { version_id: "x" } }), "VALIDATION");
  });
});
