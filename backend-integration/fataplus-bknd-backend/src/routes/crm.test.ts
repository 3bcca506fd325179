/**
 * The CRM routes against the real worker and a real local D1: scope (who sees which projects' rows), search,
 * sort, pagination, provisioning, the project overview, invitations, saved views and the sign-in hand-off.
 */
import { env } from "cloudflare:workers";
import {
  createRecord,
  getDashboard,
  listClients,
  listLeads,
  listProjects,
  loadIdentity,
  type TenantRef,
  tenantOwnedTables,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, type Refs, scenario, systemCtx, type TestUser, unique } from "../../test/factories.ts";
import { type Recorded, recordingD1, scansOf, touchesTenantTable } from "../../test/recording-d1.ts";

type Page = { rows: Array<Record<string, unknown>>; total: number; page: number; pages: number };

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let staff: TestUser;
let admin: TestUser;
let pmA: TestUser;
let clientA: TestUser;
let adminA: TestUser;
const marker = unique("zq");

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Crm A", B: "Crm B" },
    seed: true,
    roles: ["client", "project_manager", "admin"],
    users: { staff: { agency: "staff" }, admin: { agency: "admin" } },
  });
  ({ A, B } = s.tenants);
  refsA = s.refs.A;
  ({ staff, admin } = s.users);
  ({ project_manager: pmA, admin: adminA, client: clientA } = s.members.A);
  for (const [t, n] of [
    [A, 12],
    [B, 3],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await createRecord({
        ctx: systemCtx(t),
        input: {
          entity: "clients",
          data: { kind: "contact", name: `${marker} ${t.subdomain} ${String(i).padStart(2, "0")}` },
        },
      });
    }
  }
  // An overdue open task and a done one in A.
  await createRecord({
    ctx: systemCtx(A),
    input: { entity: "tasks", data: { title: "late", project_id: refsA.projects, due_date: "2020-01-01" } },
  });
  await createRecord({
    ctx: systemCtx(A),
    input: { entity: "tasks", data: { title: "finished", project_id: refsA.projects, status: "done" } },
  });
});

const get = async (path: string, user: TestUser, tenant?: string) => {
  const res = await call("GET", path, { token: user.token, ...(tenant ? { tenant } : {}) });
  return { status: res.status, body: await json<Page & Record<string, unknown>>(res) };
};

describe("who may open the CRM", () => {
  it("answers access per role", async () => {
    for (const [u, expected] of [
      [staff, true],
      [admin, true],
      [pmA, true],
      [adminA, true],
      [clientA, false],
    ] as const) {
      const { status, body } = await get("/api/app/crm/access", u);
      expect(status).toBe(200);
      expect(body.crm).toBe(expected);
    }
  });

  it("refuses clients and anonymous callers on every CRM list", async () => {
    for (const path of ["clients", "leads", "projects", "dashboard"]) {
      expect((await get(`/api/app/crm/${path}`, clientA)).status).toBe(403);
      expect((await call("GET", `/api/app/crm/${path}`)).status).toBe(401);
    }
  });
});

describe("cross-project lists", () => {
  it("a project manager of A sees A's rows only, and naming B as a filter shows nothing", async () => {
    const mine = await get(`/api/app/crm/clients?q=${marker}&pageSize=100`, pmA);
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(12);
    expect(mine.body.rows.every((r) => r.tenant_id === A.id)).toBe(true);
    const other = await get(`/api/app/crm/clients?q=${marker}&tenant=${B.id}`, pmA);
    expect(other.body.total).toBe(0);
    expect(other.body.rows).toEqual([]);
    for (const path of ["leads", "projects"]) {
      const r = await get(`/api/app/crm/${path}?pageSize=100`, pmA);
      expect(r.body.rows.length).toBeGreaterThan(0);
      expect(r.body.rows.every((row) => row.tenant_id === A.id)).toBe(true);
    }
  });

  it("agency staff see every project's rows, tagged with their project", async () => {
    const all = await get(`/api/app/crm/clients?q=${marker}&pageSize=100`, staff);
    expect(all.body.total).toBe(15);
    const tenants = new Set(all.body.rows.map((r) => r.tenant_subdomain));
    expect(tenants).toEqual(new Set([A.subdomain, B.subdomain]));
  });

  it("searches, sorts and paginates", async () => {
    const p1 = await get(`/api/app/crm/clients?q=${marker}&sort=name&dir=desc&pageSize=5`, staff);
    expect(p1.body).toMatchObject({ total: 15, page: 1, pages: 3 });
    const names = p1.body.rows.map((r) => String(r.name));
    expect(names).toEqual([...names].sort().reverse());
    const p3 = await get(`/api/app/crm/clients?q=${marker}&sort=name&dir=desc&pageSize=5&page=3`, staff);
    expect(p3.body.rows.length).toBe(5);
    expect(p3.body.rows.map((r) => r.id)).not.toContain(p1.body.rows[0]?.id);
    // LIKE wildcards typed by a user match themselves.
    expect(
      (await get("/api/app/crm/clients?q=%25", staff)).body.rows.every((r) => String(r.name).includes("%")),
    ).toBe(true);
  });

  it("refuses unknown sort columns and bad paging with a readable 400", async () => {
    for (const q of ["sort=tenant_id;drop", "page=0", "pageSize=1000", "dir=sideways", "extra=1"]) {
      const r = await get(`/api/app/crm/clients?${q}`, staff);
      expect(r.status).toBe(400);
      expect(String((r.body as { error?: { message?: string } }).error?.message)).toMatch(
        /Invalid client query/,
      );
    }
  });

  it("project rows carry their task metrics", async () => {
    const r = await get(`/api/app/crm/projects?tenant=${A.id}`, pmA);
    const project = r.body.rows.find((p) => p.id === refsA.projects);
    expect(project).toMatchObject({ tasks_total: 3, tasks_done: 1, tasks_open: 2, tasks_overdue: 1 });
  });

  it("the dashboard counts only the caller's projects", async () => {
    const mine = await get("/api/app/crm/dashboard", pmA);
    expect(mine.status).toBe(200);
    const projects = mine.body.projects as Array<{ tenant_id: string }>;
    expect(projects.every((p) => p.tenant_id === A.id)).toBe(true);
    const leads = mine.body.leads as Array<{ stage: string; count: number }>;
    expect(leads.map((l) => l.stage)).toEqual(["new", "qualified", "proposal", "won", "lost"]);
    expect(leads.reduce((n, l) => n + l.count, 0)).toBe(1);
    expect(mine.body.totals).toMatchObject({ overdueTasks: 1 });
  });
});

describe("provisioning a project", () => {
  const body = () => ({
    name: unique("Projet "),
    subdomain: unique("p-"),
    client_name: "Coopérative test",
    start_date: "2026-12-01",
    budget_cents: 100_000,
  });

  it("agency admins create a tenant, its client and its project in one go", async () => {
    const input = body();
    const res = await call("POST", "/api/app/crm/projects", { token: admin.token, body: input });
    expect(res.status).toBe(201);
    const created = await json<{ tenant: TenantRef; projectId: string }>(res);
    expect(created.tenant.subdomain).toBe(input.subdomain);
    const row = await env.DB.prepare("SELECT name, client_id FROM projects WHERE tenant_id = ? AND id = ?")
      .bind(created.tenant.id, created.projectId)
      .first<{ name: string; client_id: string }>();
    expect(row?.name).toBe(input.name);
    const client = await env.DB.prepare("SELECT name FROM clients WHERE tenant_id = ? AND id = ?")
      .bind(created.tenant.id, row?.client_id)
      .first<{ name: string }>();
    expect(client?.name).toBe("Coopérative test");
  });

  it("agency staff create projects too (decision 026)", async () => {
    const res = await call("POST", "/api/app/crm/projects", { token: staff.token, body: body() });
    expect(res.status).toBe(201);
  });

  it("refuses project managers, a taken or reserved subdomain, and bad input, leaving nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM tenants").first<{ n: number }>();
    expect((await call("POST", "/api/app/crm/projects", { token: pmA.token, body: body() })).status).toBe(
      403,
    );
    const taken = await call("POST", "/api/app/crm/projects", {
      token: admin.token,
      body: { ...body(), subdomain: A.subdomain },
    });
    expect(taken.status).toBe(409);
    for (const bad of [{ subdomain: "admin" }, { subdomain: "Bad Sub" }, { name: "" }, { tenant_id: A.id }]) {
      const res = await call("POST", "/api/app/crm/projects", {
        token: admin.token,
        body: { ...body(), ...bad },
      });
      expect(res.status).toBe(400);
    }
    const after = await env.DB.prepare("SELECT count(*) AS n FROM tenants").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});

describe("one project's overview, people and invitations", () => {
  it("project managers see members and activity; clients and outsiders are refused", async () => {
    const r = await get("/api/app/project/overview", pmA, A.subdomain);
    expect(r.status).toBe(200);
    const members = r.body.members as Array<{ email: string }>;
    expect(members.map((m) => m.email)).toEqual(expect.arrayContaining([pmA.email, clientA.email]));
    expect((r.body.activity as unknown[]).length).toBeGreaterThan(0);
    expect((await get("/api/app/project/overview", clientA, A.subdomain)).status).toBe(403);
    expect((await get("/api/app/project/overview", pmA, B.subdomain)).status).toBe(403);
    expect((await get("/api/app/project/overview", pmA, "no-such-project")).status).toBe(403);
    expect((await get("/api/app/project/overview", pmA)).status).toBe(400);
    const assignees = await get("/api/app/project/assignees", pmA, A.subdomain);
    const emails = (assignees.body as unknown as Array<{ email: string }>).map((a) => a.email);
    expect(emails).toContain(pmA.email);
    expect(emails).not.toContain(clientA.email);
  });

  it("the agency's admins and staff invite; project managers and a client-side project admin may not", async () => {
    const email = `${unique("inv")}@example.test`;
    for (const who of [pmA, adminA]) {
      const refused = await call("POST", "/api/app/project/invitations", {
        token: who.token,
        tenant: A.subdomain,
        body: { email, role: "client" },
      });
      expect(refused.status).toBe(403);
    }
    const res = await call("POST", "/api/app/project/invitations", {
      token: admin.token,
      tenant: A.subdomain,
      body: { email, role: "client" },
    });
    expect(res.status).toBe(201);
    const inv = await json<{ acceptPath: string }>(res);
    expect(inv.acceptPath).toMatch(/^\/invitation\?token=/);
    const bad = await call("POST", "/api/app/project/invitations", {
      token: admin.token,
      tenant: A.subdomain,
      body: { email: "not-an-email", role: "client" },
    });
    expect(bad.status).toBe(400);
  });
});

describe("saved views", () => {
  it("are per user, keep only the screen's keys, and only their owner deletes them", async () => {
    const res = await call("POST", "/api/app/views", {
      token: pmA.token,
      body: { screen: "leads", name: "Hot", query: "?stage=qualified&sort=value_cents&dir=desc&evil=1" },
    });
    expect(res.status).toBe(201);
    const view = await json<{ id: string; query: string }>(res);
    expect(view.query).toBe("sort=value_cents&dir=desc&stage=qualified");
    const mine = await get("/api/app/views?screen=leads", pmA);
    expect((mine.body as unknown as Array<{ id: string }>).map((v) => v.id)).toContain(view.id);
    const theirs = await get("/api/app/views?screen=leads", staff);
    expect((theirs.body as unknown as Array<{ id: string }>).map((v) => v.id)).not.toContain(view.id);
    expect((await call("DELETE", `/api/app/views/${view.id}`, { token: staff.token })).status).toBe(404);
    expect((await call("DELETE", `/api/app/views/${view.id}`, { token: pmA.token })).status).toBe(200);
    expect((await get("/api/app/views?screen=nope", pmA)).status).toBe(400);
    const unnamed = await call("POST", "/api/app/views", {
      token: pmA.token,
      body: { screen: "leads", name: " ", query: "" },
    });
    expect(unnamed.status).toBe(400);
  });
});

describe("sign-in hand-off to a project subdomain", () => {
  it("a code works once, for its tenant, and only for a project the user may open", async () => {
    const res = await call("POST", "/api/app/auth/handoff", {
      token: clientA.token,
      body: { tenant: A.subdomain },
    });
    expect(res.status).toBe(201);
    const { code, subdomain } = await json<{ code: string; subdomain: string }>(res);
    expect(subdomain).toBe(A.subdomain);
    const wrongTenant = await call("POST", "/api/auth/handoff/redeem", {
      body: { code, tenant: B.subdomain },
    });
    expect(wrongTenant.status).toBe(401);
    // The failed attempt used the code up: a stolen code can be tried once.
    const again = await call("POST", "/api/auth/handoff/redeem", { body: { code, tenant: A.subdomain } });
    expect(again.status).toBe(401);

    const fresh = await json<{ code: string }>(
      await call("POST", "/api/app/auth/handoff", { token: clientA.token, body: { tenant: A.subdomain } }),
    );
    const ok = await call("POST", "/api/auth/handoff/redeem", {
      body: { code: fresh.code, tenant: A.subdomain },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(
      (await call("POST", "/api/auth/handoff/redeem", { body: { code: fresh.code, tenant: A.subdomain } }))
        .status,
    ).toBe(401);

    const outsider = await call("POST", "/api/app/auth/handoff", {
      token: clientA.token,
      body: { tenant: B.subdomain },
    });
    expect(outsider.status).toBe(403);
    expect(
      (
        await call("POST", "/api/auth/handoff/redeem", {
          body: { code: "x".repeat(40), tenant: A.subdomain },
        })
      ).status,
    ).toBe(401);
  });

  it("an expired code is refused", async () => {
    const { code } = await json<{ code: string }>(
      await call("POST", "/api/app/auth/handoff", { token: clientA.token, body: { tenant: A.subdomain } }),
    );
    await env.DB.prepare(
      "UPDATE auth_handoffs SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL",
    ).run();
    expect(
      (await call("POST", "/api/auth/handoff/redeem", { body: { code, tenant: A.subdomain } })).status,
    ).toBe(401);
  });
});

describe("query plans of the CRM verbs", () => {
  it("never scan a tenant table, for agency staff and for project members", async () => {
    const log: Recorded[] = [];
    const db = recordingD1(env.DB, log);
    for (const user of [staff, pmA]) {
      const identity = await loadIdentity({ db: env.DB, userId: user.id });
      if (!identity) throw new Error("no identity");
      const ctx = { db, identity, now: () => new Date() };
      await listClients({ ctx, input: { q: "x", sort: "created_at" } });
      await listLeads({ ctx, input: { stage: "new" } });
      await listProjects({ ctx, input: { sort: "due_date" } });
      await getDashboard({ ctx });
    }
    const relevant = log.filter((r) => touchesTenantTable(r.sql, tenantOwnedTables));
    expect(relevant.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const rec of relevant) {
      const scans = await scansOf(env.DB, rec, tenantOwnedTables);
      if (scans.length > 0) offenders.push(`${scans.join("; ")} ← ${rec.sql}`);
    }
    expect(offenders).toEqual([]);
  });
});
