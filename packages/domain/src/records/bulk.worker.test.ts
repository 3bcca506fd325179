/**
 * Security review (issue 14), finding 12: a bulk update or delete names the rows it changes. An empty
 * where-clause (which would mean every row of the entity in the tenant) is refused, and one call changes at
 * most MAX_BULK_ROWS rows: past that it is refused as a whole and nothing changes, not even the audit log.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { auditRows, db, given, refused } from "../../testing/workerd.ts";
import { MAX_BULK_ROWS } from "../vocabulary/records.ts";
import { deleteRecords, updateRecords } from "./bulk.ts";

type S = Awaited<ReturnType<typeof given<"a" | "b">>>;
let s: S;

const tasksOf = async (tenantId: string) =>
  (
    await db()
      .prepare("SELECT id, title FROM tasks WHERE tenant_id = ? ORDER BY id")
      .bind(tenantId)
      .all<{ id: string; title: string }>()
  ).results;

beforeAll(async () => {
  s = await given({ tenants: ["a", "b"], seed: true });
  // one more task than a bulk call may change, all titled alike
  await db()
    .prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?3)
       INSERT INTO tasks (id, tenant_id, project_id, title, status, priority)
       SELECT printf('%08x-0002-4000-8000-%012x', 12, i), ?1, ?2, 'Bulk ' || i, 'todo', 'low' FROM seq`,
    )
    .bind(s.tenants.a.id, s.refs.a.projects, MAX_BULK_ROWS + 1)
    .run();
});

describe("bulk writes need a filter", () => {
  it("an empty, missing or null where is refused for updates and deletes, and nothing changes", async () => {
    const ctx = s.system("a");
    const before = await tasksOf(s.tenants.a.id);
    for (const where of [{}, undefined, null]) {
      await refused(
        updateRecords({ ctx, input: { entity: "tasks", where, data: { title: "wiped" } } }),
        "VALIDATION",
        /filter/,
      );
      await refused(deleteRecords({ ctx, input: { entity: "tasks", where } }), "VALIDATION", /filter/);
    }
    expect(await tasksOf(s.tenants.a.id)).toEqual(before);
    expect(await auditRows(s.tenants.a.id, { action: "tasks.update_many" })).toEqual([]);
    expect(await auditRows(s.tenants.a.id, { action: "tasks.delete_many" })).toEqual([]);
  });

  it(`a call that would change more than ${MAX_BULK_ROWS} rows is refused as a whole`, async () => {
    const ctx = s.system("a");
    const before = await tasksOf(s.tenants.a.id);
    const many = { title: { $like: "Bulk *" } };
    await refused(
      updateRecords({ ctx, input: { entity: "tasks", where: many, data: { title: "wiped" } } }),
      "UNPROCESSABLE",
      new RegExp(String(MAX_BULK_ROWS)),
    );
    await refused(
      deleteRecords({ ctx, input: { entity: "tasks", where: many } }),
      "UNPROCESSABLE",
      new RegExp(String(MAX_BULK_ROWS)),
    );
    expect(await tasksOf(s.tenants.a.id)).toEqual(before);
    expect(await auditRows(s.tenants.a.id, { action: "tasks.update_many" })).toEqual([]);
  });

  it("up to the cap, a filtered bulk write changes exactly the rows it names", async () => {
    const ctx = s.system("a");
    const rows = await updateRecords({
      ctx,
      input: { entity: "tasks", where: { title: { $like: "Bulk 1*" } }, data: { status: "done" } },
    });
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThanOrEqual(MAX_BULK_ROWS);
    expect(rows.every((r) => String(r.title).startsWith("Bulk 1"))).toBe(true);
    const gone = await deleteRecords({ ctx, input: { entity: "tasks", where: { title: "Bulk 2" } } });
    expect(gone.map((r) => r.title)).toEqual(["Bulk 2"]);
  });
});
