/**
 * The portal's documents against the real worker, a real local D1 and a real local R2: sniffed types, size cap,
 * sanitized names, versions, visibility per role, signed links (tampered, expired, foreign) and their headers.
 */
import { env } from "cloudflare:workers";
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, scenario, type TestUser } from "../../test/factories.ts";
import { pdfBytes, pngBytes, upload } from "../../test/portal-factories.ts";
import { parseConfig, requestNow } from "../config.ts";

type Version = {
  id: string;
  version: number;
  file_name: string;
  mime_type: string;
  sha256: string;
  size_bytes: number;
};
type Doc = {
  id: string;
  title: string;
  visibility: string;
  current_version: number;
  latest: Version;
  versions: Version[];
};

let A: TenantRef;
let B: TenantRef;
let pmA: TestUser;
let clientA: TestUser;
let pmB: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Docs A", B: "Docs B" },
    users: {
      pmA: { in: { A: "project_manager" } },
      clientA: { in: { A: "client" } },
      pmB: { in: { B: "project_manager" } },
    },
  });
  ({ A, B } = s.tenants);
  ({ pmA, clientA, pmB } = s.users);
});

const listR2 = async (tenant: TenantRef) =>
  (await env.BUCKET.list({ prefix: `tenants/${tenant.id}/` })).objects.map((o) => o.key);
const countDocs = async (tenant: TenantRef) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM document_versions WHERE tenant_id = ?")
      .bind(tenant.id)
      .first<{ n: number }>()
  )?.n ?? 0;

async function link(user: TestUser, tenant: TenantRef, versionId: string) {
  return call("POST", "/api/app/portal/downloads", {
    token: user.token,
    tenant: tenant.subdomain,
    body: { version_id: versionId },
  });
}

describe("uploads", () => {
  it("stores the file in R2 under the tenant's namespace, with its sniffed type, hash and a safe name", async () => {
    const bytes = pdfBytes("first");
    const res = await upload(
      pmA.token,
      A.subdomain,
      {
        bytes,
        name: "../../etc/Devis <final>;v1.exe",
        type: "application/x-msdownload",
      },
      { title: "Devis", visibility: "client" },
    );
    expect(res.status).toBe(201);
    const doc = await json<Doc>(res);
    expect(doc).toMatchObject({ title: "Devis", visibility: "client", current_version: 1 });
    expect(doc.latest.mime_type).toBe("application/pdf");
    expect(doc.latest.file_name).toBe("Devis finalv1.pdf");
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(doc.latest.sha256).toBe(digest);
    const key = `tenants/${A.id}/documents/${doc.id}/${doc.latest.id}`;
    const object = await env.BUCKET.get(key);
    expect(object).not.toBeNull();
    expect(new Uint8Array(await (object as R2ObjectBody).arrayBuffer())).toEqual(bytes);
  });

  it("refuses a file whose bytes are not an allowed type, whatever its name and header say, leaving nothing", async () => {
    const r2Before = await listR2(A);
    const d1Before = await countDocs(A);
    for (const [bytes, name] of [
      [new TextEncoder().encode("<html><script>alert(1)</script></html>"), "report.pdf"],
      [new TextEncoder().encode("#!/bin/sh\nrm -rf /\n"), "photo.png"],
      [Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]), "setup.pdf"],
    ] as const) {
      const res = await upload(pmA.token, A.subdomain, { bytes, name, type: "application/pdf" });
      expect(res.status, name).toBe(422);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/not accepted/);
    }
    const empty = await upload(pmA.token, A.subdomain, { bytes: new Uint8Array(), name: "x.pdf" });
    expect(empty.status).toBe(400);
    expect(await listR2(A)).toEqual(r2Before);
    expect(await countDocs(A)).toBe(d1Before);
  });

  it("refuses a file over the 25 MB cap with a 413, leaving nothing", async () => {
    const r2Before = await listR2(A);
    const big = new Uint8Array(25 * 1024 * 1024 + 1);
    big.set(pdfBytes());
    const res = await upload(pmA.token, A.subdomain, { bytes: big, name: "big.pdf" });
    expect(res.status).toBe(413);
    expect(await listR2(A)).toEqual(r2Before);
  });

  it("refuses bad metadata and non-multipart bodies with a 400", async () => {
    const bad = await upload(
      pmA.token,
      A.subdomain,
      { bytes: pdfBytes(), name: "a.pdf" },
      { visibility: "public" },
    );
    expect(bad.status).toBe(400);
    const extra = await upload(
      pmA.token,
      A.subdomain,
      { bytes: pdfBytes(), name: "a.pdf" },
      { tenant_id: B.id },
    );
    expect(extra.status).toBe(400);
    const jsonBody = await call("POST", "/api/app/portal/documents", {
      token: pmA.token,
      tenant: A.subdomain,
      body: { file: "x" },
    });
    expect(jsonBody.status).toBe(400);
  });

  it("a new version keeps the old ones, in R2 and in the history", async () => {
    const first = await json<Doc>(
      await upload(pmA.token, A.subdomain, { bytes: pdfBytes("v1"), name: "plan.pdf" }, { title: "Plan" }),
    );
    const res = await upload(
      pmA.token,
      A.subdomain,
      { bytes: pngBytes(), name: "plan.png" },
      { document_id: first.id },
    );
    expect(res.status).toBe(201);
    const second = await json<Doc>(res);
    expect(second.current_version).toBe(2);
    expect(second.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(second.versions[1]?.sha256).toBe(first.latest.sha256);
    expect(second.latest.mime_type).toBe("image/png");
    const keys = await listR2(A);
    for (const v of second.versions) expect(keys).toContain(`tenants/${A.id}/documents/${first.id}/${v.id}`);
  });

  it("clients may upload only against a request; naming another tenant's document is not found", async () => {
    const res = await upload(clientA.token, A.subdomain, { bytes: pdfBytes(), name: "mine.pdf" });
    expect(res.status).toBe(403);
    const docB = await json<Doc>(
      await upload(pmB.token, B.subdomain, { bytes: pdfBytes("b"), name: "b.pdf" }),
    );
    const cross = await upload(
      pmA.token,
      A.subdomain,
      { bytes: pdfBytes(), name: "x.pdf" },
      { document_id: docB.id },
    );
    expect(cross.status).toBe(404);
    expect(
      (await env.DB.prepare("SELECT current_version FROM documents WHERE id = ?").bind(docB.id).first())
        ?.current_version,
    ).toBe(1);
  });
});

describe("who sees what", () => {
  let internal: Doc;
  let shared: Doc;
  beforeAll(async () => {
    internal = await json<Doc>(
      await upload(
        pmA.token,
        A.subdomain,
        { bytes: pdfBytes("internal"), name: "marge.pdf" },
        { title: "Marge interne" },
      ),
    );
    shared = await json<Doc>(
      await upload(
        pmA.token,
        A.subdomain,
        { bytes: pdfBytes("shared"), name: "maquette.pdf" },
        { title: "Maquette", visibility: "client" },
      ),
    );
  });

  it("clients list client-facing documents only; the agency lists all", async () => {
    const forClient = await json<{ rows: Doc[] }>(
      await call("GET", "/api/app/portal/documents", { token: clientA.token, tenant: A.subdomain }),
    );
    const ids = forClient.rows.map((d) => d.id);
    expect(ids).toContain(shared.id);
    expect(ids).not.toContain(internal.id);
    expect(forClient.rows.every((d) => d.visibility === "client")).toBe(true);
    // asking for internal ones changes nothing for a client
    const sneaky = await json<{ rows: Doc[] }>(
      await call("GET", "/api/app/portal/documents?visibility=internal", {
        token: clientA.token,
        tenant: A.subdomain,
      }),
    );
    expect(sneaky.rows.map((d) => d.id)).not.toContain(internal.id);
    const forPm = await json<{ rows: Doc[] }>(
      await call("GET", "/api/app/portal/documents", { token: pmA.token, tenant: A.subdomain }),
    );
    expect(forPm.rows.map((d) => d.id)).toEqual(expect.arrayContaining([shared.id, internal.id]));
  });

  it("a client can't open, link or change an internal document", async () => {
    const get = await call("GET", `/api/app/portal/documents/${internal.id}`, {
      token: clientA.token,
      tenant: A.subdomain,
    });
    expect(get.status).toBe(404);
    expect(await get.text()).not.toContain("Marge");
    expect((await link(clientA, A, internal.latest.id)).status).toBe(404);
    const put = await call("PUT", `/api/app/portal/documents/${internal.id}`, {
      token: clientA.token,
      tenant: A.subdomain,
      body: { visibility: "client" },
    });
    expect(put.status).toBe(403);
    const del = await call("DELETE", `/api/app/portal/documents/${shared.id}`, {
      token: clientA.token,
      tenant: A.subdomain,
    });
    expect(del.status).toBe(403);
  });

  it("the agency shares an internal document by changing its visibility", async () => {
    const doc = await json<Doc>(
      await upload(
        pmA.token,
        A.subdomain,
        { bytes: pdfBytes("later"), name: "later.pdf" },
        { title: "Later" },
      ),
    );
    const res = await call("PUT", `/api/app/portal/documents/${doc.id}`, {
      token: pmA.token,
      tenant: A.subdomain,
      body: { visibility: "client" },
    });
    expect(res.status).toBe(200);
    expect(
      (
        await call("GET", `/api/app/portal/documents/${doc.id}`, {
          token: clientA.token,
          tenant: A.subdomain,
        })
      ).status,
    ).toBe(200);
  });

  it("deleting a document removes its versions and files (agency only)", async () => {
    const doc = await json<Doc>(
      await upload(pmA.token, A.subdomain, { bytes: pdfBytes("gone"), name: "gone.pdf" }, { title: "Gone" }),
    );
    const key = `tenants/${A.id}/documents/${doc.id}/${doc.latest.id}`;
    expect(await env.BUCKET.head(key)).not.toBeNull();
    const res = await call("DELETE", `/api/app/portal/documents/${doc.id}`, {
      token: pmA.token,
      tenant: A.subdomain,
    });
    expect(res.status).toBe(200);
    expect(await env.BUCKET.head(key)).toBeNull();
    expect(
      await env.DB.prepare("SELECT id FROM document_versions WHERE id = ?").bind(doc.latest.id).first(),
    ).toBeNull();
  });
});

describe("signed download links", () => {
  let doc: Doc;
  let url = "";
  beforeAll(async () => {
    doc = await json<Doc>(
      await upload(
        pmA.token,
        A.subdomain,
        { bytes: pdfBytes("download"), name: "Cahier des charges.pdf" },
        { visibility: "client" },
      ),
    );
    const res = await link(clientA, A, doc.latest.id);
    expect(res.status).toBe(200);
    url = (await json<{ url: string }>(res)).url;
  });

  it("serves the file as an attachment, nosniff, private, for at most 15 minutes", async () => {
    const issued = await json<{ url: string; expires_at: string }>(await link(clientA, A, doc.latest.id));
    const ttl = Date.parse(issued.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    const res = await call("GET", url, { tenant: A.subdomain });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Cahier des charges\.pdf"/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toMatch(/private/);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdfBytes("download"));
  });

  it("refuses a tampered link", async () => {
    const [kind, payload, sig] = url.replace("/api/files/", "").split(".");
    const flipped = `${sig?.slice(0, -2)}${sig?.endsWith("AA") ? "AB" : "AA"}`;
    for (const bad of [
      `/api/files/${kind}.${payload}.${flipped}`,
      `/api/files/${kind}.${payload}x.${sig}`,
      `/api/files/ws.${payload}.${sig}`,
      "/api/files/garbage",
    ]) {
      const res = await call("GET", bad, { tenant: A.subdomain });
      expect(res.status, bad).toBe(403);
    }
  });

  it("refuses a link that has expired (test clock), and production ignores the test clock", async () => {
    const later = new Date(Date.now() + 16 * 60_000).toISOString();
    const res = await call("GET", url, { tenant: A.subdomain, headers: { "x-fataplus-test-now": later } });
    expect(res.status).toBe(403);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/expired/);
    const soon = new Date(Date.now() + 10 * 60_000).toISOString();
    expect(
      (await call("GET", url, { tenant: A.subdomain, headers: { "x-fataplus-test-now": soon } })).status,
    ).toBe(200);
    // production, as deployed: the tests' local fake sign-in provider (plain http) is not part of it
    const production = parseConfig({
      ...env,
      ENVIRONMENT: "production",
      SSO_GOOGLE_ISSUER: undefined,
      SSO_MICROSOFT_ISSUER: undefined,
    });
    const probe = new Request("https://x.test", { headers: { "x-fataplus-test-now": later } });
    expect(Math.abs(requestNow(production, probe).getTime() - Date.now())).toBeLessThan(5_000);
  });

  it("refuses A's link in B's tenant, without a tenant, and B's user can't mint a link for A's version", async () => {
    expect((await call("GET", url, { tenant: B.subdomain })).status).toBe(403);
    expect((await call("GET", url, { tenant: B.id })).status).toBe(403);
    expect((await call("GET", url)).status).toBe(403);
    expect((await link(pmB, B, doc.latest.id)).status).toBe(404);
    expect((await link(pmB, A, doc.latest.id)).status).toBe(403);
  });

  it("counts downloads and storage", async () => {
    const counters = await json<{ downloads: number; storage_bytes: number }>(
      await call("GET", "/api/app/portal/counters", { token: pmA.token, tenant: A.subdomain }),
    );
    expect(counters.downloads).toBeGreaterThanOrEqual(2);
    const stored = await env.DB.prepare(
      "SELECT sum(size_bytes) AS n FROM document_versions WHERE tenant_id = ?",
    )
      .bind(A.id)
      .first<{ n: number }>();
    expect(counters.storage_bytes).toBe(stored?.n);
    expect(
      (await call("GET", "/api/app/portal/counters", { token: clientA.token, tenant: A.subdomain })).status,
    ).toBe(403);
  });
});
