import { beforeAll, describe, expect, it } from "vitest";
import { pdfBytes } from "../../testing/files.ts";
import { auditFails, auditRows, bucket, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { decideApproval, listApprovals, listDocuments, requestApproval, uploadDocument } from "./index.ts";

const setup = () => given({ tenants: ["a", "b"], roles: ["client", "project_manager", "admin"] });
let s: Awaited<ReturnType<typeof setup>>;
let pm: Ctx;
let client: Ctx;
let admin: Ctx;
let clientB: Ctx;
let pmB: Ctx;
beforeAll(async () => {
  s = await setup();
  pm = s.ctx("a", s.members.a.project_manager);
  client = s.ctx("a", s.members.a.client);
  admin = s.ctx("a", s.members.a.admin);
  clientB = s.ctx("b", s.members.b.client);
  pmB = s.ctx("b", s.members.b.project_manager);
});

const upload = (ctx: Ctx, meta: Record<string, unknown>) =>
  uploadDocument({
    ctx,
    bucket: bucket(),
    input: { file_name: "maquette.pdf", bytes: pdfBytes(crypto.randomUUID()), ...meta },
    maxBytes: 1e6,
  });

describe("requestApproval", () => {
  it("pins the current version and its hash, once per version, with its audit row", async () => {
    const doc = await upload(pm, { visibility: "client", title: "Maquette" });
    const a = await requestApproval({ ctx: pm, input: { document_id: doc.id } });
    expect(a).toMatchObject({
      document_id: doc.id,
      document_title: "Maquette",
      version_id: doc.latest.id,
      version: 1,
      sha256: doc.latest.sha256,
      status: "pending",
    });
    expect(await requestApproval({ ctx: admin, input: { document_id: doc.id } })).toEqual(a);
    expect((await auditRows(s.tenants.a.id, { entityId: a.id })).map((r) => r.action)).toEqual([
      "approval.request",
    ]);
    // a later upload does not move what was asked
    await upload(pm, { document_id: doc.id });
    const [listed] = (await listApprovals({ ctx: client })).rows;
    expect(listed).toMatchObject({ id: a.id, version: 1, sha256: doc.latest.sha256 });
  });

  it("refuses clients (FORBIDDEN), internal documents (CONFLICT), another tenant's document (NOT_FOUND)", async () => {
    const shared = await upload(pm, { visibility: "client" });
    const internal = await upload(pm, {});
    await refused(requestApproval({ ctx: client, input: { document_id: shared.id } }), "FORBIDDEN");
    await refused(requestApproval({ ctx: pm, input: { document_id: internal.id } }), "CONFLICT");
    await refused(requestApproval({ ctx: pmB, input: { document_id: shared.id } }), "NOT_FOUND");
    await refused(
      requestApproval({ ctx: pm, input: { document_id: shared.id, version_id: internal.latest.id } }),
      "NOT_FOUND",
    );
    await refused(requestApproval({ ctx: pm, input: { document_id: "nope" } }), "VALIDATION");
  });

  it("writes no approval when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const doc = await upload(agency, { visibility: "client" });
    const undo = await auditFails({ tenantId: t.tenants.x.id, action: "approval.request" });
    await expect(requestApproval({ ctx: agency, input: { document_id: doc.id } })).rejects.toThrow(
      /audit row refused/,
    );
    await undo();
    expect((await listApprovals({ ctx: agency })).rows).toEqual([]);
  });
});

describe("decideApproval", () => {
  it("lets the client approve, or ask for changes with a comment, once; audited with the version's hash", async () => {
    const doc = await upload(pm, { visibility: "client" });
    const a = await requestApproval({ ctx: pm, input: { document_id: doc.id } });
    const done = await decideApproval({
      ctx: client,
      input: { id: a.id, decision: { decision: "approve", comment: "Parfait" } },
    });
    expect(done).toMatchObject({
      status: "approved",
      comment: "Parfait",
      decided_by_name: s.members.a.client.email,
    });
    await refused(
      decideApproval({ ctx: client, input: { id: a.id, decision: { decision: "changes", comment: "Non" } } }),
      "CONFLICT",
    );
    const [audit] = await auditRows(s.tenants.a.id, { entityId: a.id, action: "approval.approve" });
    expect(JSON.parse(audit?.data ?? "{}")).toMatchObject({ version: 1, sha256: doc.latest.sha256 });
    expect((await listDocuments({ ctx: client })).rows.find((d) => d.id === doc.id)?.approval).toEqual({
      id: a.id,
      status: "approved",
      version: 1,
    });
  });

  it("is the client's alone (FORBIDDEN to the agency), needs a comment for changes, and another tenant's id is NOT_FOUND", async () => {
    const doc = await upload(pm, { visibility: "client" });
    const a = await requestApproval({ ctx: pm, input: { document_id: doc.id } });
    for (const ctx of [pm, admin])
      await refused(
        decideApproval({ ctx, input: { id: a.id, decision: { decision: "approve" } } }),
        "FORBIDDEN",
      );
    await refused(
      decideApproval({ ctx: client, input: { id: a.id, decision: { decision: "changes" } } }),
      "VALIDATION",
    );
    await refused(
      decideApproval({ ctx: client, input: { id: a.id, decision: { decision: "yes" } } }),
      "VALIDATION",
    );
    await refused(
      decideApproval({ ctx: clientB, input: { id: a.id, decision: { decision: "approve" } } }),
      "NOT_FOUND",
    );
    expect((await listApprovals({ ctx: pm })).rows.find((r) => r.id === a.id)?.status).toBe("pending");
    expect((await listApprovals({ ctx: clientB })).rows).toEqual([]);
  });

  it("decides nothing when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const doc = await upload(agency, { visibility: "client" });
    const a = await requestApproval({ ctx: agency, input: { document_id: doc.id } });
    const undo = await auditFails({ tenantId: t.tenants.x.id, action: "approval.approve" });
    await expect(
      decideApproval({
        ctx: t.ctx("x", t.members.x.client),
        input: { id: a.id, decision: { decision: "approve" } },
      }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect((await listApprovals({ ctx: agency })).rows[0]?.status).toBe("pending");
  });
});
