-- Fataplus schema, part 23: what the scheduled jobs did (docs/decisions/029-deploy-and-observe.md). One row per
-- run of the cron, written when it starts and completed when it ends: `ok` stays NULL for a run that never
-- finished (the isolate died), 0 with its error for a failed one. `npm run doctor` reads the last run to say
-- whether the cron runs; runs older than 30 days are deleted by the cron itself. Global: no tenant's data.
CREATE TABLE "job_runs" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "job" TEXT NOT NULL CHECK (length("job") BETWEEN 1 AND 60),
  "started_at" TEXT NOT NULL,
  "finished_at" TEXT,
  "ok" INTEGER CHECK ("ok" IS NULL OR "ok" IN (0, 1)),
  "detail" TEXT CHECK ("detail" IS NULL OR length("detail") <= 2000)
);
CREATE INDEX "idx_job_runs_job_started_at" ON "job_runs" ("job", "started_at");
