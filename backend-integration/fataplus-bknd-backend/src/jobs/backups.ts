/**
 * The nightly backup (decision 029): every tenant exported in the existing format (fataplus-tenant-export/1,
 * with password hashes: it is a backup to restore, packages/domain/src/backup) to R2 under
 * backups/<date>/<tenant id>.json, then a manifest (backups/<date>/manifest.json) that lists each file with its
 * SHA-256 and says whether the night is complete. A night with one tenant failed is written as incomplete and
 * the run throws, so job_runs records it as failed (src/jobs/runs.ts): a partial backup is never reported as
 * good. R2 checks each upload against its SHA-256. Nights older than RETENTION_DAYS are deleted.
 * `npm run restore -- --r2 backups/<date>/<tenant id>.json` brings one tenant back (scripts/backup.ts).
 */
import { exportTenant } from "@fataplus/domain";

export const BACKUP_PREFIX = "backups/";
export const BACKUP_RETENTION_DAYS = 30;
export const NIGHTLY_CRON = "0 2 * * *";
export const MANIFEST_FORMAT = "fataplus-nightly-backup/1";

export type BackupEntry = {
  id: string;
  subdomain: string;
  key?: string;
  bytes?: number;
  sha256?: string;
  error?: string;
};
export type BackupManifest = {
  format: typeof MANIFEST_FORMAT;
  date: string;
  started_at: string;
  finished_at: string;
  complete: boolean;
  tenants: BackupEntry[];
};

export class BackupIncomplete extends Error {
  readonly manifest: BackupManifest;
  constructor(manifest: BackupManifest) {
    const failed = manifest.tenants.filter((t) => t.error);
    super(
      `backup ${manifest.date} incomplete: ${failed.length} of ${manifest.tenants.length} tenants failed (${failed
        .map((t) => `${t.subdomain}: ${t.error}`)
        .join("; ")
        .slice(0, 1500)})`,
    );
    this.name = "BackupIncomplete";
    this.manifest = manifest;
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Deletes the nights older than the retention (whole folders: a night is kept or gone). */
export async function pruneBackups(bucket: R2Bucket, now: Date): Promise<string[]> {
  const oldest = new Date(now.getTime() - BACKUP_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
  const deleted: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: BACKUP_PREFIX, ...(cursor ? { cursor } : {}) });
    const old = page.objects
      .map((o) => o.key)
      .filter((k) => k.slice(BACKUP_PREFIX.length, BACKUP_PREFIX.length + 10) < oldest);
    if (old.length > 0) {
      await bucket.delete(old);
      deleted.push(...old);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

export async function backupAllTenants({
  db,
  bucket,
  now = () => new Date(),
}: {
  db: D1Database;
  bucket: R2Bucket;
  now?: () => Date;
}): Promise<BackupManifest> {
  const started = now();
  const date = started.toISOString().slice(0, 10);
  const { results } = await db
    .prepare("SELECT id, subdomain FROM tenants ORDER BY id")
    .all<{ id: string; subdomain: string }>();
  const tenants: BackupEntry[] = [];
  for (const t of results) {
    try {
      const body = JSON.stringify(await exportTenant({ db, tenantId: t.id, credentials: true, now }));
      const sha256 = await sha256Hex(body);
      const key = `${BACKUP_PREFIX}${date}/${t.id}.json`;
      await bucket.put(key, body, {
        sha256,
        httpMetadata: { contentType: "application/json" },
        customMetadata: { tenant: t.id, format: "fataplus-tenant-export/1" },
      });
      tenants.push({ id: t.id, subdomain: t.subdomain, key, bytes: body.length, sha256 });
    } catch (err) {
      tenants.push({
        id: t.id,
        subdomain: t.subdomain,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    date,
    started_at: started.toISOString(),
    finished_at: now().toISOString(),
    complete: tenants.every((t) => !t.error),
    tenants,
  };
  await bucket.put(`${BACKUP_PREFIX}${date}/manifest.json`, JSON.stringify(manifest, null, 1), {
    httpMetadata: { contentType: "application/json" },
  });
  await pruneBackups(bucket, started);
  if (!manifest.complete) throw new BackupIncomplete(manifest);
  return manifest;
}
