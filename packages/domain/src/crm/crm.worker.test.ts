import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../testing/scenario.ts";
import { auditFails, auditRows, countRows, db, given, refused } from "../../testing/workerd.ts";
import { createRecord } from "../records/index.ts";
import {
  canUseCrm,
  deleteView,
  getDashboard,
  getProjectOverview,
  listAssignees,
  listClients,
  listLeads,
  listProjects,
  listViews,
  MAX_VIEWS_PER_SCREEN,
  provisionProject,
  saveView,
} from "./index.ts";

type S = Awaited<ReturnType<typeof setup>>;
const marker = unique("crm");

async function setup() {
  const s = await given({
    tenants: ["a", "b"],
    seed: true,
    roles: ["client", "project_manager", "admin"],
    users: {
      agencyAdmin: { agency: "admin" },
      staff: { agency: "staff" },
      outsider: {},
      pmBoth: { in: { a: "project_manager", b: "project_manager" } },
    },
  });
  const add = (t: "a" | "b", entity: "clients" | "leads" | "tasks", data: Record<string, unknown>) =>
    createRecord({ ctx: s.system(t), input: { entity, data } });
  for (let i = 0; i < 3; i++) await add("a", "clients", { kind: "contact", name: `${marker} a ${i} 100%_x` });
  await add("b", "clients", { kind: "contact", name: `${marker} b 0` });
  await add("a", "leads", { title: `${marker} won`, stage: "won", value_cents: 500 });
  await add("a", "leads", { title: `${marker} open`, stage: "proposal", value_cents: 1200 });
  await add("a", "tasks", { title: "late", project_id: s.refs.a.projects, due_date: "2020-01-01" });
  await add("a", "tasks", { title: "done", project_id: s.refs.a.projects, status: "done" });
  return s;
}

let s: S;
beforeAll(async () => {
  s = await setup();
});

const crmOf = (who: keyof S["users"]) => s.crm(s.users[who]);
const memberOf = (t: "a" | "b", role: "client" | "project_manager" | "admin") => s.crm(s.members[t][role]);

describe("who reaches the CRM", () => {
  it("agency people and a tenant's project managers and admins do; clients and outsiders are FORBIDDEN", async () => {
    for (const ctx of [
      crmOf("agencyAdmin"),
      crmOf("staff"),
      memberOf("a", "project_manager"),
      memberOf("a", "admin"),
    ])
      expect(await canUseCrm(ctx)).toBe(true);
    for (const ctx of [memberOf("a", "client"), crmOf("outsider")]) {
      expect(await canUseCrm(ctx)).toBe(false);
      for (const list of [listClients, listLeads, listProjects])
        await refused(list({ ctx, input: {} }), "FORBIDDEN");
      await refused(getDashboard({ ctx }), "FORBIDDEN");
    }
  });

  it("an archived tenant no longer opens the CRM to its project manager", async () => {
    const t = await given({ tenants: ["gone"], roles: ["project_manager"] });
    await db().prepare("UPDATE tenants SET status = 'archived' WHERE id = ?").bind(t.tenants.gone.id).run();
    await refused(listClients({ ctx: t.crm(t.members.gone.project_manager), input: {} }), "FORBIDDEN");
  });
});

describe("listClients / listLeads / listProjects", () => {
  it("a project manager of A sees A's rows only, tagged with the tenant", async () => {
    const page = await listClients({ ctx: memberOf("a", "project_manager"), input: { q: marker } });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.tenant_id)).toEqual([s.tenants.a.id, s.tenants.a.id, s.tenants.a.id]);
    expect(page.rows[0]).toMatchObject({
      tenant_name: s.tenants.a.name,
      tenant_subdomain: s.tenants.a.subdomain,
    });
    const leads = await listLeads({ ctx: memberOf("a", "project_manager"), input: {} });
    expect(new Set(leads.rows.map((r) => r.tenant_id))).toEqual(new Set([s.tenants.a.id]));
    const projects = await listProjects({ ctx: memberOf("a", "project_manager"), input: {} });
    expect(projects.rows.map((r) => r.id)).toEqual([s.refs.a.projects]);
  });

  it("agency staff and a manager of both tenants see both", async () => {
    for (const ctx of [crmOf("staff"), crmOf("pmBoth"), crmOf("agencyAdmin")]) {
      const page = await listClients({ ctx, input: { q: marker } });
      expect(page.total).toBe(4);
    }
  });

  it("restricting to another tenant's id returns nothing (the scope still applies)", async () => {
    const page = await listClients({
      ctx: memberOf("a", "project_manager"),
      input: { tenant: s.tenants.b.id },
    });
    expect(page).toMatchObject({ rows: [], total: 0, pages: 1 });
    const own = await listClients({
      ctx: memberOf("a", "admin"),
      input: { tenant: s.tenants.a.id, q: marker },
    });
    expect(own.total).toBe(3);
  });

  it("searches by words (punctuation separates them and is never a wildcard), filters, sorts and pages", async () => {
    const ctx = crmOf("staff");
    expect((await listClients({ ctx, input: { q: "100%_x" } })).total).toBe(3);
    expect((await listClients({ ctx, input: { q: "100 x" } })).total).toBe(3);
    // each word typed is the start of a word of the record, in any order
    expect((await listClients({ ctx, input: { q: `x ${marker.slice(0, -2)}` } })).total).toBe(3);
    // nothing to search for: a wildcard typed alone matches nothing, not everything
    expect(await listClients({ ctx, input: { q: "%" } })).toMatchObject({
      rows: [],
      total: 0,
      totalCapped: false,
    });
    const desc = await listClients({
      ctx,
      input: { q: marker, sort: "name", dir: "desc", pageSize: 2, page: 1 },
    });
    expect(desc).toMatchObject({ total: 4, pages: 2, page: 1, pageSize: 2 });
    expect(desc.rows.map((r) => r.name)).toEqual([`${marker} b 0`, `${marker} a 2 100%_x`]);
    const second = await listClients({
      ctx,
      input: { q: marker, sort: "name", dir: "desc", pageSize: 2, page: "2" },
    });
    expect(second.rows.map((r) => r.name)).toEqual([`${marker} a 1 100%_x`, `${marker} a 0 100%_x`]);
    const won = await listLeads({ ctx, input: { q: marker, stage: "won" } });
    expect(won.rows.map((r) => r.title)).toEqual([`${marker} won`]);
    const byValue = await listLeads({ ctx, input: { q: marker, sort: "value_cents", dir: "desc" } });
    expect(byValue.rows.map((r) => r.value_cents)).toEqual([1200, 500]);
  });

  it("gives the exact total from the counters past 1,000 rows; a text filter's count stops there, marked capped", async () => {
    const big = await given({ tenants: ["big"], roles: ["project_manager"] });
    const ins = Array.from({ length: 1005 }, (_, i) =>
      db()
        .prepare("INSERT INTO clients (id, tenant_id, kind, name) VALUES (?, ?, 'contact', ?)")
        .bind(crypto.randomUUID(), big.tenants.big.id, `Bulk client ${i}`),
    );
    for (let i = 0; i < ins.length; i += 500) await db().batch(ins.slice(i, i + 500));
    const ctx = big.crm(big.members.big.project_manager);
    expect(await listClients({ ctx, input: {} })).toMatchObject({
      total: 1005,
      totalCapped: false,
      pages: 41,
    });
    expect(await listClients({ ctx, input: { q: "bulk" } })).toMatchObject({
      total: 1000,
      totalCapped: true,
    });
    expect(await listClients({ ctx, input: { q: "bulk 1004" } })).toMatchObject({
      total: 1,
      totalCapped: false,
    });
    expect((await listClients({ ctx, input: { q: "bulk 17" } })).total).toBe(11); // 17, 170–179: prefixes
  });

  it("counts tasks per project: total, done, open and overdue", async () => {
    const page = await listProjects({ ctx: memberOf("a", "admin"), input: {} });
    expect(page.rows[0]).toMatchObject({ tasks_total: 3, tasks_done: 1, tasks_open: 2, tasks_overdue: 1 });
  });

  it("refuses unknown sort columns, filters and keys (VALIDATION)", async () => {
    const ctx = crmOf("staff");
    await refused(listClients({ ctx, input: { sort: "tenant_id" } }), "VALIDATION");
    await refused(listClients({ ctx, input: { sort: "name; DROP TABLE clients" } }), "VALIDATION");
    await refused(listLeads({ ctx, input: { stage: "maybe" } }), "VALIDATION");
    await refused(listProjects({ ctx, input: { where: "1=1" } }), "VALIDATION");
    await refused(listProjects({ ctx, input: { pageSize: 101 } }), "VALIDATION");
    await refused(listProjects({ ctx, input: { page: 0 } }), "VALIDATION");
  });
});

describe("getDashboard", () => {
  it("sums a manager's tenants only: projects, tasks and the open pipeline", async () => {
    const d = await getDashboard({ ctx: memberOf("a", "project_manager") });
    expect(d.projects.map((p) => p.id)).toEqual([s.refs.a.projects]);
    expect(d.totals).toMatchObject({ projects: 1, openTasks: 2, overdueTasks: 1 });
    const byStage = Object.fromEntries(d.leads.map((l) => [l.stage, l]));
    expect(byStage.won).toEqual({ stage: "won", count: 1, value_cents: 500 });
    expect(byStage.proposal).toEqual({ stage: "proposal", count: 1, value_cents: 1200 });
    expect(byStage.new?.count).toBe(1); // the seeded lead
    expect(d.totals.pipelineCents).toBe(1200);
  });

  it("shows agency staff every tenant", async () => {
    const d = await getDashboard({ ctx: crmOf("staff") });
    expect(d.projects.map((p) => p.id)).toEqual(
      expect.arrayContaining([s.refs.a.projects, s.refs.b.projects]),
    );
  });
});

describe("getProjectOverview / listAssignees", () => {
  it("give a tenant's project managers and admins its projects, members and activity", async () => {
    for (const role of ["project_manager", "admin"] as const) {
      const o = await getProjectOverview({ ctx: s.ctx("a", s.members.a[role]) });
      expect(o.tenant).toEqual(s.tenants.a);
      expect(o.projects.map((p) => p.id)).toEqual([s.refs.a.projects]);
      expect(o.members.map((m) => m.email)).toEqual(
        expect.arrayContaining([
          s.members.a.client.email,
          s.members.a.project_manager.email,
          s.users.pmBoth.email,
        ]),
      );
      expect(o.members.map((m) => m.email)).not.toContain(s.members.b.client.email);
      expect(o.activity.length).toBeGreaterThan(0);
    }
  });

  it("list staff, admins and the tenant's managers as assignees, never its clients nor another tenant's people", async () => {
    const people = (await listAssignees({ ctx: s.ctx("a", s.members.a.project_manager) })).map(
      (p) => p.email,
    );
    expect(people).toEqual(
      expect.arrayContaining([s.users.staff.email, s.users.agencyAdmin.email, s.members.a.admin.email]),
    );
    for (const email of [s.members.a.client.email, s.members.b.project_manager.email, s.users.outsider.email])
      expect(people).not.toContain(email);
  });

  it("are FORBIDDEN to clients", async () => {
    await refused(getProjectOverview({ ctx: s.ctx("a", s.members.a.client) }), "FORBIDDEN");
    await refused(listAssignees({ ctx: s.ctx("a", s.members.a.client) }), "FORBIDDEN");
  });
});

describe("provisionProject", () => {
  it("creates the tenant, its client organisation, the project and their audit rows (agency admins)", async () => {
    const subdomain = unique("prov-");
    const out = await provisionProject({
      ctx: crmOf("agencyAdmin"),
      input: {
        name: "Nouveau site",
        subdomain,
        client_name: "Maison Rova",
        budget_cents: 900_000,
        status: "active",
      },
    });
    expect(out.tenant).toEqual({
      id: expect.stringMatching(/^FP-/),
      name: "Nouveau site",
      subdomain,
      kind: "project",
    });
    const project = await db()
      .prepare("SELECT tenant_id, name, status, budget_cents, client_id FROM projects WHERE id = ?")
      .bind(out.projectId)
      .first();
    expect(project).toMatchObject({
      tenant_id: out.tenant.id,
      name: "Nouveau site",
      status: "active",
      budget_cents: 900_000,
    });
    const audit = await auditRows(out.tenant.id);
    expect(audit.map((a) => [a.action, a.entity, a.actor_type, a.actor_id])).toEqual([
      ["tenant.create", "tenants", "user", String(s.users.agencyAdmin.id)],
      ["create", "clients", "user", String(s.users.agencyAdmin.id)],
      ["create", "projects", "user", String(s.users.agencyAdmin.id)],
    ]);
  });

  it("is open to agency staff too (decision 026)", async () => {
    const out = await provisionProject({
      ctx: crmOf("staff"),
      input: { name: "Par le staff", subdomain: unique("staff-") },
    });
    const audit = await auditRows(out.tenant.id);
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ["tenant.create", String(s.users.staff.id)],
      ["create", String(s.users.staff.id)],
    ]);
  });

  it("is FORBIDDEN to everyone but the agency's admins and staff", async () => {
    for (const ctx of [memberOf("a", "admin"), memberOf("a", "project_manager"), memberOf("a", "client")])
      await refused(provisionProject({ ctx, input: { name: "X", subdomain: unique("no-") } }), "FORBIDDEN");
  });

  it("refuses a taken subdomain (CONFLICT) and a bad body (VALIDATION)", async () => {
    const ctx = crmOf("agencyAdmin");
    await refused(
      provisionProject({ ctx, input: { name: "X", subdomain: s.tenants.a.subdomain } }),
      "CONFLICT",
    );
    await refused(provisionProject({ ctx, input: { name: "X", subdomain: "admin" } }), "VALIDATION");
    await refused(
      provisionProject({ ctx, input: { name: "X", subdomain: unique("v-"), client_id: s.refs.a.clients } }),
      "VALIDATION",
    );
    await refused(provisionProject({ ctx, input: { name: "", subdomain: unique("v-") } }), "VALIDATION");
  });

  it("writes nothing when an audit row fails", async () => {
    const undo = await auditFails({ action: "tenant.create" });
    const subdomain = unique("half-");
    const before = await countRows("projects", null);
    await expect(
      provisionProject({ ctx: crmOf("agencyAdmin"), input: { name: "Half", subdomain, client_name: "C" } }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(
      await db().prepare("SELECT 1 FROM tenants WHERE subdomain = ?").bind(subdomain).first(),
    ).toBeNull();
    expect(await countRows("projects", null)).toBe(before);
  });
});

describe("saved views", () => {
  it("saves a view with only the screen's keys, lists and deletes it for its owner", async () => {
    const ctx = memberOf("a", "project_manager");
    const v = await saveView({
      ctx,
      input: { screen: "leads", name: " Mes leads ", query: "?stage=won&tenant_id=x&q=rova&bogus=1&dir=" },
    });
    expect(v).toMatchObject({ screen: "leads", name: "Mes leads", query: "q=rova&stage=won" });
    expect(await listViews({ ctx, input: { screen: "leads" } })).toEqual([v]);
    await deleteView({ ctx, input: { id: v.id } });
    expect(await listViews({ ctx, input: { screen: "leads" } })).toEqual([]);
  });

  it("keeps views private: another user neither lists nor deletes them (NOT_FOUND)", async () => {
    const v = await saveView({
      ctx: memberOf("a", "admin"),
      input: { screen: "clients", name: "mine", query: "q=x" },
    });
    expect(await listViews({ ctx: memberOf("b", "admin"), input: { screen: "clients" } })).toEqual([]);
    await refused(deleteView({ ctx: memberOf("b", "admin"), input: { id: v.id } }), "NOT_FOUND");
    expect(await listViews({ ctx: memberOf("a", "admin"), input: { screen: "clients" } })).toEqual([v]);
  });

  it("refuses an unknown screen, an empty name (VALIDATION) and a view past the limit (CONFLICT)", async () => {
    const ctx = crmOf("staff");
    await refused(listViews({ ctx, input: { screen: "invoices" } }), "VALIDATION");
    await refused(saveView({ ctx, input: { screen: "invoices", name: "x", query: "" } }), "VALIDATION");
    await refused(saveView({ ctx, input: { screen: "tasks", name: " ", query: "" } }), "VALIDATION");
    for (let i = 0; i < MAX_VIEWS_PER_SCREEN; i++)
      await saveView({ ctx, input: { screen: "tasks", name: `v${i}`, query: "" } });
    await refused(saveView({ ctx, input: { screen: "tasks", name: "one more", query: "" } }), "CONFLICT");
  });
});
