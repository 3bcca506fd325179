/**
 * Each run of a scheduled job, recorded in `job_runs` (migrations/0023_job_runs.sql): a row when it starts,
 * completed when it ends with ok and, for a failure, its error. `npm run doctor` reads the last one; a run
 * whose row stays without `ok` never finished. Runs older than RETENTION_DAYS are deleted on the way.
 */
export const RETENTION_DAYS = 30;

export async function recordRun<T>(db: D1Database, job: string, work: () => Promise<T>): Promise<T> {
  const started = new Date().toISOString();
  const row = await db
    .prepare('INSERT INTO "job_runs" ("job", "started_at") VALUES (?, ?) RETURNING "id"')
    .bind(job, started)
    .first<{ id: number }>();
  const finish = (ok: boolean, detail: string | null) =>
    db.batch([
      db
        .prepare('UPDATE "job_runs" SET "finished_at" = ?, "ok" = ?, "detail" = ? WHERE "id" = ?')
        .bind(new Date().toISOString(), ok ? 1 : 0, detail?.slice(0, 2000) ?? null, row?.id ?? 0),
      db
        .prepare('DELETE FROM "job_runs" WHERE "job" = ? AND "started_at" < ?')
        .bind(job, new Date(Date.now() - RETENTION_DAYS * 86_400_000).toISOString()),
    ]);
  try {
    const result = await work();
    await finish(true, null);
    return result;
  } catch (err) {
    await finish(false, err instanceof Error ? err.message : String(err));
    throw err;
  }
}
