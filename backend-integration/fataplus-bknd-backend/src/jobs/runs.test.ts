/**
 * The cron's record (migrations/0023_job_runs.sql): every run leaves a row that says when it started, when it
 * ended and whether it worked, which is what `npm run doctor` reads. A run that fails is recorded as failed with
 * its error, never as good; old runs are pruned.
 */

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../index.ts";
import { RETENTION_DAYS, recordRun } from "./runs.ts";

type Run = {
  job: string;
  started_at: string;
  finished_at: string | null;
  ok: number | null;
  detail: string | null;
};
const runsOf = async (job: string) =>
  (await env.DB.prepare("SELECT * FROM job_runs WHERE job = ? ORDER BY id").bind(job).all<Run>()).results;

describe("job_runs", () => {
  it("records each run of the worker's cron, finished and good", async () => {
    const before = (await runsOf("cron")).length;
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const runs = await runsOf("cron");
    expect(runs).toHaveLength(before + 1);
    const last = runs.at(-1);
    expect(last?.ok).toBe(1);
    expect(last?.finished_at).not.toBeNull();
    expect(Date.parse(last?.finished_at ?? "")).toBeGreaterThanOrEqual(Date.parse(last?.started_at ?? ""));
  });

  it("records a failing run as failed, with its error, and passes the error on", async () => {
    const job = `failing-${crypto.randomUUID()}`;
    await expect(
      recordRun(env.DB, job, async () => {
        throw new Error("R2 unreachable");
      }),
    ).rejects.toThrow("R2 unreachable");
    const [run] = await runsOf(job);
    expect(run?.ok).toBe(0);
    expect(run?.detail).toBe("R2 unreachable");
  });

  it("deletes runs older than the retention, keeps recent ones", async () => {
    const job = `old-${crypto.randomUUID()}`;
    const old = new Date(Date.now() - (RETENTION_DAYS + 1) * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 86_400_000).toISOString();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO job_runs (job, started_at, ok) VALUES (?, ?, 1)").bind(job, old),
      env.DB.prepare("INSERT INTO job_runs (job, started_at, ok) VALUES (?, ?, 1)").bind(job, recent),
    ]);
    await recordRun(env.DB, job, async () => "done");
    const runs = await runsOf(job);
    expect(runs.map((r) => r.started_at)).not.toContain(old);
    expect(runs.map((r) => r.started_at)).toContain(recent);
    expect(runs).toHaveLength(2);
  });
});
