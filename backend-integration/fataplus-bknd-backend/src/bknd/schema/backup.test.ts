/**
 * Per-tenant backup and restore (decision 011): one tenant exported and imported into an empty database
 * gives equal row counts and checksums per table, holds nothing of any other tenant, and a damaged file or a
 * failing import writes nothing.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  type Ctx,
  checkSearchIndex,
  counterDrift,
  createInvitation,
  createRecord,
  derivedTables,
  exportTenant,
  exposedEntityNames,
  ftsScopeToken,
  globalDerivedTables,
  importTenant,
  searchEverything,
  searchIndexTables,
  type TenantRef,
  tenantOwnedTables,
  verifyBackup,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { seedBootcamp } from "../../../test/bootcamp-factories.ts";
import { makeUser, scenario, systemCtx } from "../../../test/factories.ts";

const testEnv = env as unknown as Env & {
  TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  RESTORE_DB?: D1Database;
};
let A: TenantRef;
let B: TenantRef;
let target: D1Database;

beforeAll(async () => {
  if (!testEnv.RESTORE_DB) throw new Error("RESTORE_DB binding missing (vitest.config.ts)");
  target = testEnv.RESTORE_DB;
  await applyD1Migrations(target, testEnv.TEST_MIGRATIONS);
  const s = await scenario({ tenants: ["A", "B"], names: { A: "Backup A", B: "Backup B" }, seed: true });
  ({ A, B } = s.tenants);
  const refs = s.refs.A;
  for (let i = 0; i < 30; i++)
    await createRecord({
      ctx: systemCtx(A),
      input: { entity: "tasks", data: { title: `Tâche ${i} ✓ "quoted"`, project_id: refs.projects } },
    });
  await createRecord({
    ctx: systemCtx(A),
    input: { entity: "clients", data: { name: "Sub org", organization_id: refs.clients } },
  });
  await makeUser({ memberships: [[A, "admin"]], login: false });
  await makeUser({
    memberships: [
      [A, "client"],
      [B, "client"],
    ],
    login: false,
  });
  await makeUser({ memberships: [[B, "admin"]], login: false });
  await createInvitation({ ctx: systemCtx(A), input: { email: "invitee@example.test", role: "client" } });
  // bootcamp rows (its counters are derived too: migrations/0012): a course, learners, a lesson done
  const boot = await seedBootcamp(A);
  for (const [i, status] of ["active", "completed", "applied"].entries())
    await env.DB.prepare(
      "INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, status) VALUES (?, ?, ?, ?, 'L', ?)",
    )
      .bind(crypto.randomUUID(), A.id, boot.pastCohort, `learner${i}@example.test`, status)
      .run();
  await env.DB.prepare(
    `INSERT INTO bootcamp_progress (id, tenant_id, enrolment_id, lesson_id, completed_at)
     SELECT ?, tenant_id, id, ?, '2026-01-01T00:00:00.000Z' FROM bootcamp_enrolments WHERE tenant_id = ? AND status = 'active'`,
  )
    .bind(crypto.randomUUID(), boot.lessonNow, A.id)
    .run();
});

const backedUp = tenantOwnedTables.filter((t) => !(derivedTables as readonly string[]).includes(t));

describe("per-tenant backup and restore", () => {
  it("exports every tenant table and imports it into an empty database with equal counts and checksums", async () => {
    const backup = await exportTenant({ db: env.DB, tenantId: A.id, credentials: true });
    // every tenant-owned table is in it, with A's rows only, except the counters derived from them
    for (const t of [...derivedTables, ...globalDerivedTables])
      expect(Object.keys(backup.tables)).not.toContain(t);
    // nor the search index (FTS5 and its shadow tables), which the import rebuilds the same way
    for (const t of searchIndexTables) expect(Object.keys(backup.tables)).not.toContain(t);
    expect(Object.keys(backup.tables).filter((t) => t.startsWith("search_"))).toEqual([]);
    for (const t of backedUp) expect(Object.keys(backup.tables)).toContain(t);
    for (const t of backedUp) {
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM ${t} WHERE tenant_id = ?`)
        .bind(A.id)
        .first<{ n: number }>();
      expect(backup.tables[t]?.count, t).toBe(n?.n);
    }
    expect(backup.tables.tasks?.count).toBeGreaterThan(30);
    expect(backup.tables.users?.count).toBe(2);
    expect(JSON.stringify(backup)).not.toContain(B.id);

    // through JSON, as the command writes and reads the file
    const result = await importTenant({ db: target, doc: JSON.parse(JSON.stringify(backup)) });
    expect(result.ok).toBe(true);
    for (const row of result.tables) expect(row.restoredRows, row.table).toBe(row.rows);
    const again = await exportTenant({ db: target, tenantId: A.id, credentials: true });
    for (const [table, dump] of Object.entries(backup.tables)) {
      expect(again.tables[table]?.count, table).toBe(dump.count);
      expect(again.tables[table]?.sha256, table).toBe(dump.sha256);
    }
    // the import's inserts rebuilt the counters: a recount finds nothing to change, and they equal the source's
    expect(await counterDrift({ db: target, tenantId: A.id })).toEqual([]);
    // agency_counts too (global: the target's only tenant is A, so every counter there is A's, summed)
    expect(await counterDrift({ db: target })).toEqual([]);
    const counts = (db: D1Database) =>
      db
        .prepare(
          "SELECT entity, field, value, n, sum_a, sum_b FROM record_counts WHERE tenant_id = ? AND n <> 0 ORDER BY entity, field, value",
        )
        .bind(A.id)
        .all();
    expect((await counts(target)).results).toEqual((await counts(env.DB)).results);
    expect((await counts(target)).results.length).toBeGreaterThan(10);
    // and the search index: the restored tenant finds the same records, and the index matches them exactly
    const search = (db: D1Database) =>
      searchEverything({
        ctx: { ...systemCtx(A), db } satisfies Ctx,
        input: { query: "tache quoted", limit: 50 },
      });
    const found = await search(target);
    expect(found.results.map((r) => r.id).sort()).toEqual(
      (await search(env.DB)).results.map((r) => r.id).sort(),
    );
    expect(found.results).toHaveLength(30);
    expect(await checkSearchIndex({ db: target })).toBeNull();
    const bootcampCounts = (db: D1Database) =>
      db
        .prepare(
          "SELECT field, value, n, sum_a FROM bootcamp_counts WHERE tenant_id = ? AND n <> 0 ORDER BY field, value",
        )
        .bind(A.id)
        .all();
    expect((await bootcampCounts(target)).results).toEqual((await bootcampCounts(env.DB)).results);
    expect((await bootcampCounts(target)).results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "course_learners", n: 2 }),
        expect.objectContaining({ field: "enrolment_lessons_done", n: 1 }),
      ]),
    );
    // the restored project works: a member can be resolved with the same role
    const member = await target
      .prepare("SELECT user_id, role FROM memberships WHERE tenant_id = ? ORDER BY id")
      .bind(A.id)
      .all();
    expect(member.results.length).toBe(backup.tables.memberships?.count);
  });

  it("a client export leaves password hashes out", async () => {
    const exported = await exportTenant({ db: env.DB, tenantId: A.id });
    expect(exported.tables.users?.columns).not.toContain("strategy_value");
    expect(JSON.stringify(exported)).not.toContain("pbkdf2");
  });

  it("a damaged file is refused before anything is written, and an import is all or nothing", async () => {
    const backup = await exportTenant({ db: env.DB, tenantId: B.id, credentials: true });
    const damaged = JSON.parse(JSON.stringify(backup));
    damaged.tables.tasks.rows[0][3] = "tampered";
    await expect(verifyBackup(damaged)).rejects.toThrow(/checksum/);
    await expect(importTenant({ db: target, doc: damaged })).rejects.toThrow(/checksum/);
    // B's user who is also in A already exists in the target: the import fails on that row, and none of B lands
    await expect(importTenant({ db: target, doc: backup })).rejects.toThrow();
    const left = await target
      .prepare("SELECT count(*) AS n FROM tenants WHERE id = ?")
      .bind(B.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    for (const t of tenantOwnedTables) {
      const n = await target
        .prepare(`SELECT count(*) AS n FROM ${t} WHERE tenant_id = ?`)
        .bind(B.id)
        .first<{ n: number }>();
      expect(n?.n, t).toBe(0);
    }
    // nor in the search index: the failed import's index rows went with its records
    for (const entity of exposedEntityNames) {
      const n = await target
        .prepare("SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?")
        .bind(`scope : "${ftsScopeToken(entity, B.id)}"`)
        .first<{ n: number }>();
      expect(n?.n, entity).toBe(0);
    }
  });
});
