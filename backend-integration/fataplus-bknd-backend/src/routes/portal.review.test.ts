/**
 * Security review of the client portal (issue 4): attacks by a client of the project on what the agency keeps
 * internal, and by other tenants on signed links and live tickets. Each case worked before its fix, or checks a
 * defence that holds.
 */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, scenario, type TestUser } from "../../test/factories.ts";
import { openSocket, pdfBytes, upload } from "../../test/portal-factories.ts";

type Doc = { id: string; visibility: string; versions: Array<{ id: string; version: number }> };

let A: TenantRef;
let B: TenantRef;
let pm: TestUser;
let client: TestUser;
let clientB: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Portal review A", B: "Portal review B" },
    users: {
      pm: { in: { A: "project_manager" } },
      client: { in: { A: "client" } },
      clientB: { in: { B: "client" } },
    },
  });
  ({ A, B } = s.tenants);
  ({ pm, client, clientB } = s.users);
});

describe("a client's upload against a request", () => {
  it("cannot make a document the agency has since made internal visible again (with the agency's versions)", async () => {
    const req = await json<{ id: string }>(
      await call("POST", "/api/app/portal/requests", {
        token: pm.token,
        tenant: A.subdomain,
        body: { title: "Your logo" },
      }),
    );
    const first = await upload(
      client.token,
      A.subdomain,
      { bytes: pdfBytes("client v1"), name: "logo.pdf" },
      { request_id: req.id },
    );
    expect(first.status).toBe(201);
    const doc = await json<Doc>(first);
    // The agency keeps its own work on this document internal from now on.
    const hidden = await call("PUT", `/api/app/portal/documents/${doc.id}`, {
      token: pm.token,
      tenant: A.subdomain,
      body: { visibility: "internal" },
    });
    expect(hidden.status).toBe(200);
    const internal = await upload(
      pm.token,
      A.subdomain,
      { bytes: pdfBytes("internal margin notes"), name: "logo-notes.pdf" },
      { document_id: doc.id },
    );
    expect(internal.status).toBe(201);
    const internalVersion = (await json<Doc>(internal)).versions[0]?.id ?? "";

    const again = await upload(
      client.token,
      A.subdomain,
      { bytes: pdfBytes("client v3"), name: "logo.pdf" },
      { request_id: req.id },
    );
    expect(again.status).toBe(404);
    const seen = await call("GET", `/api/app/portal/documents/${doc.id}`, {
      token: client.token,
      tenant: A.subdomain,
    });
    expect(seen.status).toBe(404);
    const dl = await call("POST", "/api/app/portal/downloads", {
      token: client.token,
      tenant: A.subdomain,
      body: { version_id: internalVersion },
    });
    expect(dl.status).toBe(404);
  });
});

describe("signed links and tickets across tenants", () => {
  it("a download link of tenant A does not work from tenant B's host or ?tenant=", async () => {
    const up = await json<Doc>(
      await upload(
        pm.token,
        A.subdomain,
        { bytes: pdfBytes("shared"), name: "s.pdf" },
        { visibility: "client" },
      ),
    );
    const link = await json<{ url: string }>(
      await call("POST", "/api/app/portal/downloads", {
        token: client.token,
        tenant: A.subdomain,
        body: { version_id: up.versions[0]?.id },
      }),
    );
    expect((await call("GET", link.url, { tenant: B.subdomain })).status).toBe(403);
    expect((await call("GET", `${link.url}?tenant=${B.subdomain}`)).status).toBe(403);
    expect((await call("GET", link.url)).status).toBe(403);
    const ok = await call("GET", link.url, { tenant: A.subdomain });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("a ticket of tenant B does not open tenant A's socket, and a download token is not a ticket", async () => {
    const t = await json<{ url: string }>(
      await call("POST", "/api/app/portal/messages/ticket", { token: clientB.token, tenant: B.subdomain }),
    );
    expect((await openSocket(t.url, A.subdomain)).status).toBe(403);
    const up = await json<Doc>(
      await upload(pm.token, A.subdomain, { bytes: pdfBytes("x"), name: "x.pdf" }, { visibility: "client" }),
    );
    const link = await json<{ url: string }>(
      await call("POST", "/api/app/portal/downloads", {
        token: client.token,
        tenant: A.subdomain,
        body: { version_id: up.versions[0]?.id },
      }),
    );
    const token = link.url.replace("/api/files/", "");
    expect((await openSocket(`/ws/messages?ticket=${token}`, A.subdomain)).status).toBe(403);
  });
});
