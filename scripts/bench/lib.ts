/** Shared helpers of `pnpm bench`: workers under Miniflare (workerd, no wrangler proxy), stats, formatting. */
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { backendDir, quietEnv, root } from "../lib/stack.ts";

/** Secrets for the bench's throwaway databases only (the developer's .dev.vars is not used). */
export const BENCH_JWT_SECRET = "bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const BENCH_SECRETS = {
  JWT_SECRET: BENCH_JWT_SECRET,
  FILES_SIGNING_SECRET: "bench-only-files-secret-0123456789abcdefghijklmnop",
  RESEND_API_KEY: "",
};
const bin = (name: string) => join(root, "node_modules/.bin", name);
export const wranglerToml = join(backendDir, "wrangler.toml");

type V4Options = Parameters<typeof convertV4MiniflareOptions>[0];
type WorkerSettings = Omit<V4Options, "script" | "scriptPath" | "modules" | "modulesRoot"> & {
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  d1Databases?: unknown;
  bindings?: Record<string, unknown>;
};

let settings: WorkerSettings | undefined;
/**
 * The API worker's settings as its wrangler.toml declares them (top-level environment), converted by wrangler
 * itself: compatibility date and flags, vars, D1, KV, R2, Durable Objects and whatever is bound later, so the
 * bench cannot drift from the config. Two things differ on purpose: the secrets are the bench's own (above),
 * and the static assets (bknd's admin UI, never measured) are left out, so no asset router sits in front of
 * the API worker that the baseline does not have.
 */
export async function apiWorkerSettings(): Promise<WorkerSettings> {
  if (settings) return settings;
  const { unstable_readConfig, unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const level = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = "warn"; // not "Using secrets defined in .dev.vars": they are replaced below
  const config = unstable_readConfig({ config: wranglerToml }, { hideWarnings: true });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  if (level === undefined) delete process.env.WRANGLER_LOG;
  else process.env.WRANGLER_LOG = level;
  // modulesRules: for wrangler's own bundling; the bench runs the one-module bundle `wrangler deploy` wrote
  const {
    assets: _assets,
    bindings: _withDevVars,
    rootPath: _rootPath,
    modulesRules: _modulesRules,
    ...rest
  } = workerOptions;
  settings = { ...rest, bindings: { ...config.vars, ...BENCH_SECRETS } } as WorkerSettings;
  return settings;
}

type RateLimitSetting = { simple?: { limit: number; period: number } } & Record<string, unknown>;

function liftedRateLimits(settings: WorkerSettings): WorkerSettings {
  const limits = (settings as { ratelimits?: Record<string, RateLimitSetting> }).ratelimits ?? {};
  const lifted = Object.fromEntries(
    Object.entries(limits).map(([name, rl]) => [
      name,
      { ...rl, simple: { limit: 1_000_000_000, period: rl.simple?.period ?? 60 } },
    ]),
  );
  return { ...settings, ratelimits: lifted } as WorkerSettings;
}

/** Only the D1 database of the API worker's config (a bare script exports no Durable Object class). */
async function d1Settings(): Promise<WorkerSettings> {
  const s = await apiWorkerSettings();
  return {
    compatibilityDate: s.compatibilityDate,
    compatibilityFlags: s.compatibilityFlags,
    d1Databases: s.d1Databases,
  } as WorkerSettings;
}

/** Bundles a worker entry of the API package as `wrangler deploy` would; returns the script path. */
export function bundle(entry: string, outdir: string): string {
  const res = spawnSync(bin("wrangler"), ["deploy", "--dry-run", "--env", "", "--outdir", outdir, entry], {
    cwd: backendDir,
    env: quietEnv,
    encoding: "utf8",
  });
  if (res.status !== 0) {
    const why = stripVTControlCharacters(`${res.stderr ?? ""}\n${res.stdout ?? ""}`)
      .split("\n")
      .filter((l) => /ERROR|error|✘/.test(l) || l.startsWith("  "))
      .join("\n")
      .trim();
    throw new Error(
      `wrangler could not bundle ${entry}:\n${why || res.error?.message || `exit ${res.status}`}`,
    );
  }
  const js = readdirSync(outdir).find((f) => f.endsWith(".js"));
  if (!js) throw new Error(`no bundle in ${outdir}`);
  return join(outdir, js);
}

/**
 * One worker on workerd through Miniflare, on 127.0.0.1:port, with persisted local storage: the API worker's
 * bindings from its wrangler.toml ("api", for bundles of the API package) or its D1 database only ("d1").
 */
export async function startWorker(opts: {
  name: string;
  port: number;
  persist: string;
  bindings: "api" | "d1";
  scriptPath?: string;
  script?: string;
  /** Every rate-limiting binding of the config with a limit no bench run reaches (same binding, same calls). */
  liftRateLimits?: boolean;
}): Promise<Miniflare> {
  const settings = opts.bindings === "api" ? await apiWorkerSettings() : await d1Settings();
  const base = opts.liftRateLimits ? liftedRateLimits(settings) : settings;
  // Miniflare 5 takes Miniflare 4's flat options (what wrangler hands out) through its converter.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...base,
      name: opts.name,
      modules: true,
      ...(opts.scriptPath
        ? { scriptPath: opts.scriptPath, modulesRoot: dirname(opts.scriptPath) }
        : { script: opts.script ?? "" }),
      resourcePersistencePath: opts.persist,
      host: "127.0.0.1",
      port: opts.port,
    } as V4Options),
  );
  await mf.ready;
  return mf;
}

/** A fresh in-memory D1 with the schema (the migrations, statement by statement). */
export async function memoryD1(): Promise<{ mf: Miniflare; db: D1Database }> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...(await d1Settings()),
      modules: true,
      script: "export default { fetch: () => new Response('') }",
    } as V4Options),
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
    const statements = sqlStatements(readFileSync(join(dir, file), "utf8"));
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

/** A line without its `--` comment (one outside a quoted string or identifier). */
function uncommented(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "-" && line[i + 1] === "-") return line.slice(0, i);
  }
  return line;
}

/**
 * The statements of a migration file: comments dropped, split where a line ends with `;`, except inside a
 * trigger, whose body (`BEGIN … END;`, statements ending with `;` of their own) stays one statement.
 */
export function sqlStatements(sql: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inTrigger = false;
  for (const raw of sql.split("\n")) {
    const line = uncommented(raw).trimEnd();
    if (!line.trim()) continue;
    if (current.length === 0 && /^\s*CREATE\s+TRIGGER\b/i.test(line)) inTrigger = true;
    current.push(line);
    if (inTrigger ? /^\s*END\s*;$/i.test(line) : line.endsWith(";")) {
      out.push(current.join("\n").replace(/;$/, ""));
      current = [];
      inTrigger = false;
    }
  }
  const rest = current.join("\n").trim();
  if (rest) out.push(rest);
  return out;
}

/** A bknd session JWT (HS256) for a user, signed with the bench secret: what /api/auth/login would hand out. */
export function sessionJwt(user: { id: number; email: string; role: string }): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...user, iat: now, exp: now + 3600, iss: "fataplus" };
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

/** One scenario of a smoke run: it answered as expected and every figure it printed is a number. */
export type Check = { part: string; scenario: string; ok: boolean; detail?: string };

export const finite = (xs: unknown[]) =>
  xs.length > 0 && xs.every((x) => typeof x === "number" && Number.isFinite(x));

const exitCleanups = new Set<() => Promise<void>>();
let exitHooked = false;
/**
 * Runs `cleanup` if the bench is stopped by SIGTERM or SIGINT (a time limit, Ctrl-C): workers disposed, the
 * preview's process groups stopped. Returns the function that unregisters it once the part cleaned up itself.
 */
export function onExit(cleanup: () => Promise<void>): () => void {
  exitCleanups.add(cleanup);
  if (!exitHooked) {
    exitHooked = true;
    for (const signal of ["SIGTERM", "SIGINT"] as const)
      process.once(signal, () => {
        process.stderr.write(`bench: ${signal}, stopping what it started…\n`);
        void Promise.allSettled([...exitCleanups].map((c) => c())).then(() => process.exit(130));
      });
  }
  return () => exitCleanups.delete(cleanup);
}
