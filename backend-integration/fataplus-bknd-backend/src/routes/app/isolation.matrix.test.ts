/**
 * The cross-tenant matrix for Fataplus' own routes (/api/app/*), generated like the data API's
 * (src/gate/isolation.matrix.test.ts): every route × every role a user can hold in tenant A, aimed at tenant
 * B (B named as the tenant, B's ids, B's names as search terms, B's people's views and tokens). Nothing of B
 * may appear in an answer, and B's rows must not change. A route that is added without an entry here fails
 * the coverage test below.
 */
import { env } from "cloudflare:workers";
import { createRecord, queueMail, type TenantRef, type TenantRole } from "@fataplus/domain";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  makeTenant,
  makeUser,
  type Refs,
  seedTenantData,
  snapshotTenant,
  systemCtx,
  type TestUser,
  unique,
} from "../../../test/factories.ts";
import { makeAccessToken } from "../../../test/mcp-factories.ts";
import { pdfBytes, upload } from "../../../test/portal-factories.ts";
import { registerAppRoutes } from "./index.ts";

let A: TenantRef;
let B: TenantRef;
let refsB: Refs;
let bUser: TestUser;
let bViewId = "";
let bTokenId = "";
let bMailId = "";
const marker = unique("secretb");
const users = {} as Record<TenantRole, TestUser>;

beforeAll(async () => {
  A = await makeTenant("Matrix A");
  B = await makeTenant("Matrix B");
  await seedTenantData(A);
  refsB = await seedTenantData(B);
  await createRecord({ ctx: systemCtx(B), input: { entity: "clients", data: { name: `${marker} client` } } });
  await createRecord({ ctx: systemCtx(B), input: { entity: "leads", data: { title: `${marker} lead` } } });
  for (const role of ["client", "project_manager", "admin"] as const) {
    users[role] = await makeUser({ memberships: [[A, role]] });
  }
  bUser = await makeUser({ memberships: [[B, "admin"]] });
  const view = await call("POST", "/api/app/views", {
    token: bUser.token,
    body: { screen: "clients", name: `${marker} view`, query: "q=x" },
  });
  bViewId = ((await view.json()) as { id: string }).id;
  bTokenId = (await makeAccessToken(bUser, { name: `${marker} token`, tenants: [B] })).id;
  // B's portal: an internal and a shared document, a requested file, an approval and a message.
  const bDoc = (await (
    await upload(
      bUser.token,
      B.subdomain,
      { bytes: pdfBytes(marker), name: `${marker}.pdf` },
      { title: `${marker} doc`, visibility: "client" },
    )
  ).json()) as { id: string; latest: { id: string } };
  const bInternal = (await (
    await upload(
      bUser.token,
      B.subdomain,
      { bytes: pdfBytes(`${marker}i`), name: "i.pdf" },
      { title: `${marker} internal` },
    )
  ).json()) as { id: string };
  const bReq = (await (
    await call("POST", "/api/app/portal/requests", {
      token: bUser.token,
      tenant: B.subdomain,
      body: { title: `${marker} req`, due_date: "2020-01-01" },
    })
  ).json()) as { id: string };
  const bApproval = (await (
    await call("POST", "/api/app/portal/approvals", {
      token: bUser.token,
      tenant: B.subdomain,
      body: { document_id: bDoc.id },
    })
  ).json()) as { id: string };
  const bMsg = (await (
    await call("POST", "/api/app/portal/messages", {
      token: bUser.token,
      tenant: B.subdomain,
      body: { body: `${marker} message` },
    })
  ).json()) as { id: string };
  bPortal = {
    doc: bDoc.id,
    version: bDoc.latest.id,
    internal: bInternal.id,
    request: bReq.id,
    approval: bApproval.id,
    message: bMsg.id,
  };
  for (const id of Object.values(bPortal)) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await env.DB.batch([
    queueMail(env.DB, {
      tenantId: B.id,
      to: bUser.email,
      subject: `${marker} mail`,
      text: marker,
      kind: "test",
    }),
  ]);
  const mail = await env.DB.prepare("SELECT id FROM email_outbox WHERE about_tenant_id = ?")
    .bind(B.id)
    .first<{ id: string }>();
  bMailId = mail?.id ?? "";
});

let bPortal = { doc: "", version: "", internal: "", request: "", approval: "", message: "" };

type Attack = {
  method: string;
  path: string;
  tenant?: string;
  body?: unknown;
  upload?: Record<string, string>;
};

/** What a user of A tries against B, per route ("METHOD path" as registered). */
const attacks: Record<string, () => Attack[]> = {
  "GET /api/app/crm/access": () => [{ method: "GET", path: "/api/app/crm/access", tenant: B.subdomain }],
  "GET /api/app/crm/dashboard": () => [
    { method: "GET", path: "/api/app/crm/dashboard", tenant: B.subdomain },
  ],
  "GET /api/app/crm/clients": () => [
    { method: "GET", path: `/api/app/crm/clients?tenant=${B.id}&pageSize=100` },
    { method: "GET", path: `/api/app/crm/clients?q=${marker}` },
  ],
  "GET /api/app/crm/leads": () => [
    { method: "GET", path: `/api/app/crm/leads?tenant=${B.id}&pageSize=100` },
    { method: "GET", path: `/api/app/crm/leads?q=${marker}` },
  ],
  "GET /api/app/crm/projects": () => [
    { method: "GET", path: `/api/app/crm/projects?tenant=${B.id}` },
    { method: "GET", path: `/api/app/crm/projects?q=${encodeURIComponent(B.name)}` },
  ],
  "POST /api/app/crm/projects": () => [
    { method: "POST", path: "/api/app/crm/projects", body: { name: "Takeover", subdomain: B.subdomain } },
    { method: "POST", path: "/api/app/crm/projects", body: { name: "Fresh", subdomain: unique("m-") } },
  ],
  "GET /api/app/crm/outbox": () => [
    { method: "GET", path: `/api/app/crm/outbox?q=${marker}` },
    { method: "GET", path: "/api/app/crm/outbox", tenant: B.subdomain },
  ],
  "GET /api/app/crm/outbox/:id": () => [{ method: "GET", path: `/api/app/crm/outbox/${bMailId}` }],
  "GET /api/app/project/overview": () => [
    { method: "GET", path: "/api/app/project/overview", tenant: B.subdomain },
    { method: "GET", path: `/api/app/project/overview?tenant=${B.id}` },
  ],
  "GET /api/app/project/assignees": () => [
    { method: "GET", path: "/api/app/project/assignees", tenant: B.subdomain },
  ],
  "POST /api/app/project/invitations": () => [
    {
      method: "POST",
      path: "/api/app/project/invitations",
      tenant: B.subdomain,
      body: { email: "x@evil.test", role: "admin" },
    },
  ],
  "GET /api/app/portal/home": () => [{ method: "GET", path: "/api/app/portal/home", tenant: B.subdomain }],
  "GET /api/app/portal/activity": () => [
    { method: "GET", path: "/api/app/portal/activity", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/activity?tenant=${B.id}` },
  ],
  "GET /api/app/portal/counters": () => [
    { method: "GET", path: "/api/app/portal/counters", tenant: B.subdomain },
  ],
  "GET /api/app/portal/documents": () => [
    { method: "GET", path: "/api/app/portal/documents", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/documents?tenant=${B.id}&visibility=internal` },
  ],
  "POST /api/app/portal/documents": (): Attack[] => [
    { method: "POST", path: "/api/app/portal/documents", tenant: B.subdomain, upload: { title: "x" } },
    {
      method: "POST",
      path: "/api/app/portal/documents",
      tenant: A.subdomain,
      upload: { document_id: bPortal.doc },
    },
    {
      method: "POST",
      path: "/api/app/portal/documents",
      tenant: A.subdomain,
      upload: { request_id: bPortal.request },
    },
  ],
  "GET /api/app/portal/documents/:id": () => [
    { method: "GET", path: `/api/app/portal/documents/${bPortal.doc}`, tenant: A.subdomain },
    { method: "GET", path: `/api/app/portal/documents/${bPortal.internal}`, tenant: B.subdomain },
  ],
  "PUT /api/app/portal/documents/:id": () => [
    {
      method: "PUT",
      path: `/api/app/portal/documents/${bPortal.internal}`,
      tenant: A.subdomain,
      body: { visibility: "client" },
    },
    {
      method: "PUT",
      path: `/api/app/portal/documents/${bPortal.doc}`,
      tenant: B.subdomain,
      body: { title: "pwned" },
    },
  ],
  "DELETE /api/app/portal/documents/:id": () => [
    { method: "DELETE", path: `/api/app/portal/documents/${bPortal.doc}`, tenant: A.subdomain },
    { method: "DELETE", path: `/api/app/portal/documents/${bPortal.doc}`, tenant: B.subdomain },
  ],
  "POST /api/app/portal/downloads": () => [
    {
      method: "POST",
      path: "/api/app/portal/downloads",
      tenant: A.subdomain,
      body: { version_id: bPortal.version },
    },
    {
      method: "POST",
      path: "/api/app/portal/downloads",
      tenant: B.subdomain,
      body: { version_id: bPortal.version },
    },
  ],
  "GET /api/app/portal/requests": () => [
    { method: "GET", path: "/api/app/portal/requests", tenant: B.subdomain },
  ],
  "POST /api/app/portal/requests": () => [
    { method: "POST", path: "/api/app/portal/requests", tenant: B.subdomain, body: { title: "injected" } },
  ],
  "POST /api/app/portal/requests/remind": () => [
    { method: "POST", path: "/api/app/portal/requests/remind", tenant: B.subdomain },
  ],
  "POST /api/app/portal/requests/:id/review": () => [
    {
      method: "POST",
      path: `/api/app/portal/requests/${bPortal.request}/review`,
      tenant: A.subdomain,
      body: { decision: "accept" },
    },
    {
      method: "POST",
      path: `/api/app/portal/requests/${bPortal.request}/review`,
      tenant: B.subdomain,
      body: { decision: "accept" },
    },
  ],
  "GET /api/app/portal/approvals": () => [
    { method: "GET", path: "/api/app/portal/approvals", tenant: B.subdomain },
  ],
  "POST /api/app/portal/approvals": () => [
    {
      method: "POST",
      path: "/api/app/portal/approvals",
      tenant: A.subdomain,
      body: { document_id: bPortal.doc },
    },
    {
      method: "POST",
      path: "/api/app/portal/approvals",
      tenant: B.subdomain,
      body: { document_id: bPortal.doc },
    },
  ],
  "POST /api/app/portal/approvals/:id/decision": () => [
    {
      method: "POST",
      path: `/api/app/portal/approvals/${bPortal.approval}/decision`,
      tenant: A.subdomain,
      body: { decision: "approve" },
    },
    {
      method: "POST",
      path: `/api/app/portal/approvals/${bPortal.approval}/decision`,
      tenant: B.subdomain,
      body: { decision: "approve" },
    },
  ],
  "GET /api/app/portal/messages": () => [
    { method: "GET", path: "/api/app/portal/messages?after=0", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/messages?tenant=${B.id}` },
  ],
  "POST /api/app/portal/messages": () => [
    { method: "POST", path: "/api/app/portal/messages", tenant: B.subdomain, body: { body: "intrusion" } },
  ],
  "POST /api/app/portal/messages/read": () => [
    { method: "POST", path: "/api/app/portal/messages/read", tenant: B.subdomain, body: { seq: 1 } },
  ],
  "POST /api/app/portal/messages/ticket": () => [
    { method: "POST", path: "/api/app/portal/messages/ticket", tenant: B.subdomain },
  ],
  "GET /api/app/views": () => [{ method: "GET", path: "/api/app/views?screen=clients" }],
  "POST /api/app/views": () => [
    {
      method: "POST",
      path: "/api/app/views",
      body: { screen: "clients", name: "mine", query: `tenant=${B.id}` },
    },
  ],
  "DELETE /api/app/views/:id": () => [{ method: "DELETE", path: `/api/app/views/${bViewId}` }],
  "GET /api/app/tokens": () => [{ method: "GET", path: "/api/app/tokens" }],
  "POST /api/app/tokens": () => [
    {
      method: "POST",
      path: "/api/app/tokens",
      body: { name: "sneaky", expires_in_days: 30, tenants: [B.subdomain] },
    },
    {
      method: "POST",
      path: "/api/app/tokens",
      body: { name: "sneaky", expires_in_days: 30, tenants: [B.id] },
    },
  ],
  "DELETE /api/app/tokens/:id": () => [{ method: "DELETE", path: `/api/app/tokens/${bTokenId}` }],
  "POST /api/app/auth/handoff": () => [
    { method: "POST", path: "/api/app/auth/handoff", body: { tenant: B.subdomain } },
  ],
};

/** Everything of B that must never reach a user of A. */
const secretsOfB = () => [
  marker,
  B.name,
  ...Object.values(refsB),
  bViewId,
  bTokenId,
  bMailId,
  bUser.email,
  ...Object.values(bPortal),
];

async function bState(): Promise<string> {
  const view = await env.DB.prepare("SELECT id FROM saved_views WHERE id = ?").bind(bViewId).first();
  const token = await env.DB.prepare("SELECT revoked_at FROM access_tokens WHERE id = ?")
    .bind(bTokenId)
    .first();
  const files = (await env.BUCKET.list({ prefix: `tenants/${B.id}/` })).objects.map((o) => [o.key, o.etag]);
  return JSON.stringify([await snapshotTenant(B.id), view, token, files]);
}

describe("every /api/app route is in the matrix", () => {
  it("covers the registered routes and the sign-in hand-off", () => {
    const app = new Hono();
    registerAppRoutes(app);
    const registered = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
    registered.add("POST /api/app/auth/handoff"); // registered with the auth routes (src/routes/auth.ts)
    expect([...registered].sort()).toEqual(Object.keys(attacks).sort());
  });
});

describe.each(["client", "project_manager", "admin"] as const)("a %s of A, aimed at B", (role) => {
  it.each(Object.keys(attacks))("%s reveals and changes nothing of B", async (route) => {
    const before = await bState();
    for (const attack of attacks[route]?.() ?? []) {
      const res = attack.upload
        ? await upload(
            users[role].token,
            attack.tenant ?? A.subdomain,
            { bytes: pdfBytes(), name: "x.pdf" },
            attack.upload,
          )
        : await call(attack.method, attack.path, {
            token: users[role].token,
            ...(attack.tenant ? { tenant: attack.tenant } : {}),
            ...(attack.body !== undefined ? { body: attack.body } : {}),
          });
      expect(res.status, `${attack.method} ${attack.path}`).toBeLessThan(500);
      const text = await res.text();
      for (const secret of secretsOfB())
        expect(text, `${attack.method} ${attack.path}`).not.toContain(secret);
    }
    expect(await bState()).toBe(before);
  });
});
