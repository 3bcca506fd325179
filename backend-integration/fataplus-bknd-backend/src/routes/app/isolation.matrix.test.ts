/**
 * The cross-tenant matrix for Fataplus' own routes (/api/app/*), generated like the data API's
 * (src/gate/isolation.matrix.test.ts): every route × every role a user can hold in tenant A, aimed at tenant
 * B (B named as the tenant, B's ids, B's names as search terms, B's people's views and tokens). Nothing of B
 * may appear in an answer, and B's rows must not change. A route that is added without an entry here fails
 * the coverage test below.
 */
import { env } from "cloudflare:workers";
import {
  createRecord,
  createTenant,
  queueMail,
  submitIntake,
  type TenantRef,
  type TenantRole,
} from "@fataplus/domain";
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
import { registerAppRoutes } from "./index.ts";

let A: TenantRef;
let B: TenantRef;
let refsB: Refs;
let bUser: TestUser;
let bViewId = "";
let bTokenId = "";
/** B's side of the intake: a lead in an agency workspace and the project tenant it provisioned (P). */
let bLeadId = "";
let P = { id: "", subdomain: "" };
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
  await createTenant({
    ctx: { db: env.DB, now: () => new Date() },
    input: { name: `${marker} agency`, subdomain: unique("ag-"), kind: "agency" },
  });
  const intake = await submitIntake({
    ctx: { db: env.DB, now: () => new Date() },
    input: {
      locale: "fr",
      idempotency_key: unique("matrix-intake-key-"),
      name: `${marker} person`,
      email: `${unique("m")}@example.test`,
      organisation: `${marker} org`,
      project_type: "website",
      goals: `${marker} goals for the project`,
      budget: "5k_15k",
      timeline: "flexible",
    },
    ip: "192.0.2.1",
    siteOrigin: "https://fata.plus",
  });
  if (intake.status !== "created") throw new Error("intake not created");
  bLeadId = intake.leadId;
  P = { id: intake.tenantId, subdomain: intake.subdomain };
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

type Attack = { method: string; path: string; tenant?: string; body?: unknown };

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
  "GET /api/app/crm/leads/:id/intake": () => [
    { method: "GET", path: `/api/app/crm/leads/${bLeadId}/intake` },
    { method: "GET", path: `/api/app/crm/leads/${bLeadId}/intake`, tenant: P.subdomain },
  ],
  "PUT /api/app/crm/leads/:id/proposal": () => [
    {
      method: "PUT",
      path: `/api/app/crm/leads/${bLeadId}/proposal`,
      body: {
        title: "Hijacked",
        items: [{ phase: "build", deliverable: "x", effort_days: 1, price_cents: 1, source: "goals" }],
        assumptions: [],
        valid_until: "2099-01-01",
        version: 1,
      },
    },
  ],
  "POST /api/app/crm/leads/:id/proposal/send": () => [
    { method: "POST", path: `/api/app/crm/leads/${bLeadId}/proposal/send`, body: { version: 1 } },
  ],
  "POST /api/app/crm/leads/:id/decision": () => [
    { method: "POST", path: `/api/app/crm/leads/${bLeadId}/decision`, body: { decision: "reject" } },
    { method: "POST", path: `/api/app/crm/leads/${bLeadId}/decision`, body: { decision: "accept" } },
  ],
  "GET /api/app/portal/proposal": () => [
    { method: "GET", path: "/api/app/portal/proposal", tenant: P.subdomain },
    { method: "GET", path: `/api/app/portal/proposal?tenant=${P.id}` },
  ],
  "POST /api/app/portal/proposal/respond": () => [
    {
      method: "POST",
      path: "/api/app/portal/proposal/respond",
      tenant: P.subdomain,
      body: { decision: "accept", version: 1 },
    },
  ],
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
  bLeadId,
  P.id,
];

async function bState(): Promise<string> {
  const view = await env.DB.prepare("SELECT id FROM saved_views WHERE id = ?").bind(bViewId).first();
  const token = await env.DB.prepare("SELECT revoked_at FROM access_tokens WHERE id = ?")
    .bind(bTokenId)
    .first();
  const lead = await env.DB.prepare(
    "SELECT l.stage, i.decided_at, t.status, t.stage AS tstage FROM leads l JOIN intakes i ON i.lead_id = l.id JOIN tenants t ON t.id = i.project_tenant_id WHERE l.id = ?",
  )
    .bind(bLeadId)
    .first();
  return JSON.stringify([await snapshotTenant(B.id), await snapshotTenant(P.id), view, token, lead]);
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
      const res = await call(attack.method, attack.path, {
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
