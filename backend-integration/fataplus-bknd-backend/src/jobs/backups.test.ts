/**
 * The nightly backup (src/jobs/backups.ts) on the real local D1 and R2: each tenant's file restores into an
 * empty database with the same rows and checksums; a fault in the middle of the night (one upload refused)
 * leaves a manifest marked incomplete and a failed run in job_runs, never a good one; old nights are deleted;
 * the worker's nightly cron runs it.
 */

import {
  applyD1Migrations,
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createRecord, exportTenant, importTenant, type TenantRef, verifyBackup } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { scenario, systemCtx } from "../../test/factories.ts";
import worker from "../index.ts";
import {
  BACKUP_PREFIX,
  BackupIncomplete,
  type BackupManifest,
  backupAllTenants,
  NIGHTLY_CRON,
} from "./backups.ts";
import { recordRun } from "./runs.ts";

const testEnv = env as unknown as Env & {
  TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1];
  RESTORE_DB: D1Database;
};
let A: TenantRef;
let B: TenantRef;
const night = (iso: string) => () => new Date(iso);

beforeAll(async () => {
  await applyD1Migrations(testEnv.RESTORE_DB, testEnv.TEST_MIGRATIONS);
  const s = await scenario({ tenants: ["A", "B"], names: { A: "Nightly A", B: "Nightly B" }, seed: true });
  ({ A, B } = s.tenants);
  for (let i = 0; i < 5; i++)
    await createRecord({
      ctx: systemCtx(A),
      input: { entity: "tasks", data: { title: `Tâche ${i} ✓`, project_id: s.refs.A.projects } },
    });
});

const manifestOf = async (date: string) =>
  (await (await env.BUCKET.get(`${BACKUP_PREFIX}${date}/manifest.json`))?.json()) as
    | BackupManifest
    | undefined;

describe("nightly backup", () => {
  it("writes every tenant and a complete manifest; a file restores with the same rows and checksums", async () => {
    const manifest = await backupAllTenants({
      db: env.DB,
      bucket: env.BUCKET,
      now: night("2026-11-20T02:00:00Z"),
    });
    expect(manifest.complete).toBe(true);
    expect(manifest.tenants.map((t) => t.id)).toEqual(expect.arrayContaining([A.id, B.id]));
    expect(await manifestOf("2026-11-20")).toEqual(manifest);

    const entry = manifest.tenants.find((t) => t.id === A.id);
    const object = await env.BUCKET.get(entry?.key ?? "");
    const text = (await object?.text()) ?? "";
    expect(text.length).toBe(entry?.bytes);
    const doc = await verifyBackup(JSON.parse(text));
    expect(doc.credentials).toBe(true); // a backup to restore: sign-ins come back too
    await importTenant({ db: testEnv.RESTORE_DB, doc });
    const restored = await exportTenant({ db: testEnv.RESTORE_DB, tenantId: A.id, credentials: true });
    for (const [table, t] of Object.entries(doc.tables)) {
      expect(restored.tables[table]?.count, table).toBe(t.count);
      expect(restored.tables[table]?.sha256, table).toBe(t.sha256);
    }
    expect(doc.tables.tasks?.count).toBeGreaterThanOrEqual(5);
  });

  it("never reports a night with a failed tenant as good", async () => {
    let puts = 0;
    const faulty = new Proxy(env.BUCKET, {
      get(target, prop) {
        if (prop === "put")
          return (...args: Parameters<R2Bucket["put"]>) => {
            puts += 1;
            if (puts === 2) return Promise.reject(new Error("R2 is unreachable (injected)"));
            return target.put(...args);
          };
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const job = `backup-fault-${crypto.randomUUID()}`;
    const run = recordRun(env.DB, job, () =>
      backupAllTenants({ db: env.DB, bucket: faulty, now: night("2026-11-21T02:00:00Z") }),
    );
    await expect(run).rejects.toThrow(BackupIncomplete);
    const manifest = await manifestOf("2026-11-21");
    expect(manifest?.complete).toBe(false);
    const failed = manifest?.tenants.filter((t) => t.error) ?? [];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toContain("injected");
    expect(manifest?.tenants.filter((t) => t.key).length).toBe((manifest?.tenants.length ?? 0) - 1);
    const row = await env.DB.prepare("SELECT ok, detail FROM job_runs WHERE job = ?")
      .bind(job)
      .first<{ ok: number; detail: string }>();
    expect(row?.ok).toBe(0);
    expect(row?.detail).toMatch(/incomplete: 1 of \d+ tenants failed/);
  });

  it("deletes nights older than 30 days, keeps the recent ones", async () => {
    await env.BUCKET.put(`${BACKUP_PREFIX}2026-10-01/manifest.json`, "{}");
    await env.BUCKET.put(`${BACKUP_PREFIX}2026-11-01/manifest.json`, "{}");
    await backupAllTenants({ db: env.DB, bucket: env.BUCKET, now: night("2026-11-22T02:00:00Z") });
    expect(await env.BUCKET.head(`${BACKUP_PREFIX}2026-10-01/manifest.json`)).toBeNull();
    expect(await env.BUCKET.head(`${BACKUP_PREFIX}2026-11-01/manifest.json`)).not.toBeNull();
    expect(await env.BUCKET.head(`${BACKUP_PREFIX}2026-11-22/manifest.json`)).not.toBeNull();
  });

  it("runs from the worker's nightly cron, recorded as the backup job", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: NIGHTLY_CRON }), env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await env.DB.prepare(
      "SELECT ok FROM job_runs WHERE job = 'backup' ORDER BY id DESC LIMIT 1",
    ).first<{ ok: number }>();
    expect(row?.ok).toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await manifestOf(today))?.complete).toBe(true);
  });
});
