/** Shared helpers of `pnpm bench`: workers under Miniflare (workerd, no wrangler proxy), stats, formatting. */
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { backendDir, quietEnv, root } from "../lib/stack.ts";

export const DB_ID = "00000000-0000-4000-8000-00000000f4a7";
export const COMPAT_DATE = "2026-10-01";
/** A secret for the bench's throwaway databases only. */
export const BENCH_JWT_SECRET = "bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz";
export const SITE_ORIGINS = "http://localhost:4321,http://*.localhost:4321";
const bin = (name: string) => join(root, "node_modules/.bin", name);

/** Bundles a worker entry of the API package as `wrangler deploy` would; returns the script path. */
export function bundle(entry: string, outdir: string): string {
  execFileSync(bin("wrangler"), ["deploy", "--dry-run", "--outdir", outdir, entry], {
    cwd: backendDir,
    env: quietEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const js = readdirSync(outdir).find((f) => f.endsWith(".js"));
  if (!js) throw new Error(`no bundle in ${outdir}`);
  return join(outdir, js);
}

/** One worker on workerd through Miniflare, on 127.0.0.1:port, with a persisted local D1. */
export async function startWorker(opts: {
  name: string;
  port: number;
  persist: string;
  scriptPath?: string;
  script?: string;
}): Promise<Miniflare> {
  // Miniflare 5 takes Miniflare 4's flat options through its converter.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: opts.name,
      modules: true,
      ...(opts.scriptPath
        ? { scriptPath: opts.scriptPath, modulesRoot: dirname(opts.scriptPath) }
        : { script: opts.script ?? "" }),
      compatibilityDate: COMPAT_DATE,
      compatibilityFlags: ["nodejs_compat"],
      d1Databases: { DB: DB_ID },
      kvNamespaces: ["CACHE"],
      r2Buckets: ["BUCKET"],
      bindings: { ENVIRONMENT: "development", SITE_ORIGINS, JWT_SECRET: BENCH_JWT_SECRET },
      resourcePersistencePath: opts.persist,
      host: "127.0.0.1",
      port: opts.port,
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await mf.ready;
  return mf;
}

/** A fresh in-memory D1 with the schema (the migrations, statement by statement). */
export async function memoryD1(): Promise<{ mf: Miniflare; db: D1Database }> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch: () => new Response('') }",
      compatibilityDate: COMPAT_DATE,
      d1Databases: { DB: DB_ID },
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  await applyMigrations(db);
  return { mf, db };
}

export async function applyMigrations(db: D1Database): Promise<void> {
  const dir = join(root, "migrations");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const sql = readFileSync(join(dir, file), "utf8")
      .split("\n")
      .filter((l) => !l.trim().startsWith("--"))
      .join("\n");
    const statements = sql
      .split(/;\s*\n/)
      .map((s) => s.trim().replace(/;$/, ""))
      .filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

/** A bknd session JWT (HS256) for a user, signed with the bench secret: what /api/auth/login would hand out. */
export function sessionJwt(user: { id: number; email: string; role: string }): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...user, signed_in_at: Date.now(), iat: now, exp: now + 3600, iss: "fataplus" };
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}`;
  return `${head}.${createHmac("sha256", BENCH_JWT_SECRET).update(head).digest("base64url")}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? (s[m] as number)
      : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const times = (x: number) => `${x.toFixed(2)}×`;
