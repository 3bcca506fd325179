/** The verbs behind the metrics and search tools, on a real D1: exact figures, and role grants respected. */
import { createRecord, getProjectMetrics, searchEverything, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { db, makeTenant, scenario, systemCtx, unique } from "../../test/factories.ts";

let T: TenantRef;
let projectId: string;
let otherProjectId: string;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  T = (await scenario({ tenants: ["T"], names: { T: "Verbs" } })).tenants.T;
  const ctx = systemCtx(T);
  const client = await createRecord({
    ctx,
    input: { entity: "clients", data: { name: "Zebra 100% Org_x" } },
  });
  const p = await createRecord({
    ctx,
    input: {
      entity: "projects",
      data: { name: "Website", client_id: client.id, budget_cents: 1_000_000, estimate_cents: 800_000 },
    },
  });
  projectId = p.id;
  const q = await createRecord({
    ctx,
    input: { entity: "projects", data: { name: "Other", currency: "USD" } },
  });
  otherProjectId = q.id;
  for (const data of [
    { title: "done, was due yesterday", status: "done", due_date: day(-1) },
    { title: "late", status: "todo", due_date: day(-1) },
    { title: "due tomorrow", status: "in_progress", due_date: day(1) },
    { title: "no due date", status: "review" },
  ]) {
    await createRecord({ ctx, input: { entity: "tasks", data: { ...data, project_id: projectId } } });
  }
  await createRecord({
    ctx,
    input: { entity: "tasks", data: { title: "elsewhere", project_id: otherProjectId } },
  });
  await createRecord({ ctx, input: { entity: "leads", data: { title: "Zebra lead" } } });
});

describe("getProjectMetrics", () => {
  it("counts open, done and overdue tasks of one project, with budget against estimate", async () => {
    const m = await getProjectMetrics({ ctx: systemCtx(T), input: { projectId } });
    expect(m.tasks).toEqual({ total: 4, open: 3, done: 1, overdue: 1, progress: 0.25 });
    expect(m.budgets).toEqual([{ currency: "EUR", budget_cents: 1_000_000, estimate_cents: 800_000 }]);
    expect(m.last_activity_at).not.toBeNull();
  });

  it("sums the whole tenant without a project, per currency", async () => {
    const m = await getProjectMetrics({ ctx: systemCtx(T), input: {} });
    expect(m.projects).toBe(2);
    expect(m.tasks.total).toBe(5);
    expect(m.budgets.map((b) => b.currency)).toEqual(["EUR", "USD"]);
  });

  it("an unknown project is not found", async () => {
    await expect(
      getProjectMetrics({ ctx: systemCtx(T), input: { projectId: crypto.randomUUID() } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("searchEverything", () => {
  it("finds across entities for the team, and skips clients and leads for clients", async () => {
    const team = await searchEverything({ ctx: systemCtx(T, "project_manager"), input: { query: "zebra" } });
    expect(team.results.map((r) => r.entity).sort()).toEqual(["clients", "leads"]);
    const client = await searchEverything({ ctx: systemCtx(T, "client"), input: { query: "zebra" } });
    expect(client.results).toEqual([]);
    expect(client.searched).toEqual(["projects", "tasks"]);
  });

  it("matches words: % and _ separate them and are never wildcards (full-text index, decision 016)", async () => {
    const pct = await searchEverything({ ctx: systemCtx(T), input: { query: "100%" } });
    expect(pct.results.map((r) => r.label)).toEqual(["Zebra 100% Org_x"]);
    const any = await searchEverything({ ctx: systemCtx(T), input: { query: "%%" } });
    expect(any.results).toEqual([]);
    // "Org_x" is the words "org" and "x": its end "g_x" is not the start of a word
    const words = await searchEverything({ ctx: systemCtx(T), input: { query: "org_x" } });
    expect(words.results.map((r) => r.label)).toEqual(["Zebra 100% Org_x"]);
    const inside = await searchEverything({ ctx: systemCtx(T), input: { query: "g_x" } });
    expect(inside.results).toEqual([]);
    const literal = await searchEverything({ ctx: systemCtx(T), input: { query: "e_s" } });
    expect(literal.results).toEqual([]); // "_" would match any character in "Website"/"elsewhere" if unescaped
  });

  it("stays in its tenant", async () => {
    const U = await makeTenant("Verbs other");
    const name = unique("Zebra elsewhere ");
    await createRecord({ ctx: systemCtx(U), input: { entity: "clients", data: { name } } });
    const res = await searchEverything({ ctx: systemCtx(T), input: { query: name } });
    expect(res.results).toEqual([]);
    const rows = await db()
      .prepare("SELECT count(*) AS n FROM clients WHERE name = ?")
      .bind(name)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });
});
