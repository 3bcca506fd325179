import { beforeAll, describe, expect, it } from "vitest";
import { given, refused } from "../../testing/workerd.ts";
import { createRecord } from "../records/index.ts";
import { getProjectMetrics } from "./index.ts";

const setup = () => given({ tenants: ["a", "b"], seed: true, roles: ["client", "project_manager", "admin"] });
let s: Awaited<ReturnType<typeof setup>>;
let second: string;
beforeAll(async () => {
  s = await setup();
  const ctx = s.system("a");
  const p = await createRecord({
    ctx,
    input: {
      entity: "projects",
      data: { name: "Second", budget_cents: 1000, estimate_cents: 800, currency: "MGA" },
    },
  });
  second = p.id;
  for (const data of [
    { title: "late", project_id: second, due_date: "2020-01-01" },
    { title: "done", project_id: second, status: "done", due_date: "2020-01-01" },
    { title: "later", project_id: second, due_date: "2099-01-01" },
    { title: "no date", project_id: second },
  ])
    await createRecord({ ctx, input: { entity: "tasks", data } });
});

describe("getProjectMetrics", () => {
  it("measures one project: open, done, overdue, progress and budgets", async () => {
    const m = await getProjectMetrics({
      ctx: s.ctx("a", s.members.a.project_manager),
      input: { projectId: second },
    });
    expect(m).toMatchObject({
      scope: "project",
      project_id: second,
      projects: 1,
      tasks: { total: 4, open: 3, done: 1, overdue: 1, progress: 0.25 },
      budgets: [{ currency: "MGA", budget_cents: 1000, estimate_cents: 800 }],
    });
    expect(m.last_activity_at).toEqual(expect.any(String));
  });

  it("measures the whole tenant, and counts nothing of another", async () => {
    const a = await getProjectMetrics({ ctx: s.ctx("a", s.members.a.admin), input: {} });
    expect(a).toMatchObject({ scope: "tenant", project_id: null, projects: 2, tasks: { total: 5, done: 1 } });
    const b = await getProjectMetrics({ ctx: s.ctx("b", s.members.b.admin), input: {} });
    expect(b).toMatchObject({ projects: 1, tasks: { total: 1, open: 1, done: 0, overdue: 0, progress: 0 } });
  });

  it("is open to every role that reads projects and tasks (clients too)", async () => {
    const m = await getProjectMetrics({ ctx: s.ctx("a", s.members.a.client), input: { projectId: second } });
    expect(m.tasks.total).toBe(4);
  });

  it("answers NOT_FOUND for another tenant's project and VALIDATION for a malformed id", async () => {
    await refused(
      getProjectMetrics({ ctx: s.ctx("b", s.members.b.admin), input: { projectId: second } }),
      "NOT_FOUND",
    );
    await refused(
      getProjectMetrics({ ctx: s.ctx("a", s.members.a.admin), input: { projectId: "x" } }),
      "VALIDATION",
    );
  });

  it("gives an empty tenant null progress rather than a division by zero", async () => {
    const t = await given({ tenants: ["x"], roles: ["admin"] });
    expect(await getProjectMetrics({ ctx: t.ctx("x", t.members.x.admin), input: {} })).toEqual({
      scope: "tenant",
      project_id: null,
      projects: 0,
      tasks: { total: 0, open: 0, done: 0, overdue: 0, progress: null },
      budgets: [],
      last_activity_at: null,
    });
  });
});
