/**
 * listRecords: keyset pages give exactly the order of one plain query, for nullable sort columns in both
 * directions; totals come from the counters when a counter fits the filter, and are capped otherwise.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db, given, refused } from "../../testing/workerd.ts";
import { countRecords, listRecords } from "./read.ts";

type S = Awaited<ReturnType<typeof setup>>;

async function setup() {
  const s = await given({ tenants: ["a", "b"], seed: true });
  // 1,200 tasks in a: due dates with NULLs and ties, three statuses, two priorities
  await db()
    .prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1200)
       INSERT INTO tasks (id, tenant_id, project_id, title, status, priority, due_date)
       SELECT printf('%08x-0001-4000-8000-%012x', 7, i), ?1, ?2, 'Paged task ' || i,
         CASE i % 3 WHEN 0 THEN 'done' WHEN 1 THEN 'todo' ELSE 'in_progress' END,
         CASE i % 10 WHEN 0 THEN 'low' ELSE 'high' END,
         CASE WHEN i % 5 = 0 THEN NULL ELSE date('2026-03-01', '+' || (i % 9) || ' days') END FROM seq`,
    )
    .bind(s.tenants.a.id, s.refs.a.projects)
    .run();
  return s;
}

let s: S;
beforeAll(async () => {
  s = await setup();
});

const reference = async (order: string) =>
  (
    await db()
      .prepare(`SELECT id FROM tasks WHERE tenant_id = ? ORDER BY ${order}`)
      .bind(s.tenants.a.id)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

describe("listRecords", () => {
  for (const [sort, order] of [
    ["due_date", "due_date ASC, rowid ASC"],
    ["-due_date", "due_date DESC, rowid DESC"],
    ["-created_at", "created_at DESC, rowid DESC"],
    ["title", "title ASC, rowid ASC"],
  ] as const)
    it(`keyset pages by ${sort} walk every row once, in the order of one query`, async () => {
      const ctx = s.system("a");
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const res = await listRecords({ ctx, input: { entity: "tasks", sort, limit: 100, cursor } });
        ids.push(...res.data.map((r) => r.id));
        if (!res.meta.next) break;
        cursor = res.meta.next;
      }
      expect(ids).toEqual(await reference(order));
    });

  it("a cursor must be one a page returned, for the same sort, and not with an offset", async () => {
    const ctx = s.system("a");
    const first = await listRecords({ ctx, input: { entity: "tasks", sort: "title", limit: 5 } });
    expect(first.meta.next).toEqual(expect.any(String));
    const next = first.meta.next ?? "";
    await refused(listRecords({ ctx, input: { entity: "tasks", cursor: "not-a-cursor" } }), "BAD_QUERY");
    await refused(
      listRecords({ ctx, input: { entity: "tasks", sort: "-title", cursor: next } }),
      "BAD_QUERY",
      /another sort/,
    );
    await refused(
      listRecords({ ctx, input: { entity: "tasks", sort: "title", cursor: next, offset: 5 } }),
      "BAD_QUERY",
    );
  });

  it("totals: from the counters for no filter, a counted field, or a task's project and status", async () => {
    const ctx = s.system("a");
    const count = async (where: string) =>
      (
        await db()
          .prepare(`SELECT count(*) AS n FROM tasks WHERE tenant_id = ? ${where}`)
          .bind(s.tenants.a.id)
          .first<{ n: number }>()
      )?.n;
    const all = await listRecords({ ctx, input: { entity: "tasks", limit: 1 } });
    expect(all.meta).toMatchObject({ total: await count(""), totalCapped: false });
    expect(all.meta.total).toBeGreaterThan(1200);
    const done = await listRecords({ ctx, input: { entity: "tasks", limit: 1, filter: { status: "done" } } });
    expect(done.meta).toMatchObject({ total: await count("AND status = 'done'"), totalCapped: false });
    const both = await listRecords({
      ctx,
      input: { entity: "tasks", limit: 1, filter: { project_id: s.refs.a.projects, status: "todo" } },
    });
    expect(both.meta.total).toBe(await count(`AND project_id = '${s.refs.a.projects}' AND status = 'todo'`));
    // another tenant's counters are its own
    const b = await listRecords({ ctx: s.system("b"), input: { entity: "tasks", limit: 1 } });
    expect(b.meta.total).toBe(1);
  });

  it("totals: a filter without a counter counts up to 1,000 and says there are more", async () => {
    const ctx = s.system("a");
    const high = await listRecords({
      ctx,
      input: { entity: "tasks", limit: 3, filter: { priority: "high" } },
    });
    expect(high.meta).toMatchObject({ total: 1000, totalCapped: true });
    expect(high.data).toHaveLength(3);
    const few = await listRecords({
      ctx,
      input: { entity: "tasks", limit: 3, filter: { priority: "high", status: "done" } },
    });
    const recount = await db()
      .prepare(
        "SELECT count(*) AS n FROM tasks WHERE tenant_id = ? AND priority = 'high' AND status = 'done'",
      )
      .bind(s.tenants.a.id)
      .first<{ n: number }>();
    expect(recount?.n).toBeGreaterThan(100);
    expect(few.meta).toMatchObject({ total: recount?.n, totalCapped: false });
  });

  it("countRecords (the data API's fn/count) is exact: from a counter for equalities it holds, else a count", async () => {
    const ctx = s.system("a");
    const recount = async (where: string) =>
      (
        await db()
          .prepare(`SELECT count(*) AS n FROM tasks WHERE tenant_id = ? ${where}`)
          .bind(s.tenants.a.id)
          .first<{ n: number }>()
      )?.n;
    const cases: Array<[unknown, string]> = [
      [{}, ""],
      [{ status: "done" }, "AND status = 'done'"],
      [
        { status: { $eq: "todo" }, project_id: s.refs.a.projects },
        `AND status = 'todo' AND project_id = '${s.refs.a.projects}'`,
      ],
      [{ priority: "high" }, "AND priority = 'high'"],
      [{ status: { $ne: "done" } }, "AND status <> 'done'"],
    ];
    for (const [where, sql] of cases) {
      const { count } = await countRecords({ ctx, input: { entity: "tasks", where } });
      expect(count, JSON.stringify(where)).toBe(await recount(sql));
    }
    expect(
      (await countRecords({ ctx, input: { entity: "tasks", where: { priority: "high" } } })).count,
    ).toBeGreaterThan(1000);
    expect((await countRecords({ ctx: s.system("b"), input: { entity: "tasks" } })).count).toBe(1);
    await refused(
      countRecords({ ctx, input: { entity: "tasks", where: { tenant_id: s.tenants.b.id } } }),
      "BAD_QUERY",
    );
  });
});
