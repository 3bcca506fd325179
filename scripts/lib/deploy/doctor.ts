/**
 * `npm run doctor`: is a deployment working? Each check answers ok or says what to do. Checks: the routes answer
 * (site, English site, a portal host, the API, the API through the site's service binding), the D1 migrations
 * are all applied, the secrets exist, the cron has run lately and well (job_runs, migration 0023), mail is
 * delivered (a provider with its key in production, nothing stuck in the outbox).
 * A `Target` is where the facts come from: production (HTTPS + wrangler against the account, through `Cloud`)
 * or the local stack (`npm start`: localhost, local D1 via wrangler --local, .dev.vars).
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "smol-toml";
import { jsonIn } from "./cloud.ts";
import { SECRETS } from "./deploy.ts";

export type Probe = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

export type Target = {
  name: "production" | "local";
  site: string;
  api: string;
  /** A portal host: any subdomain proves the wildcard route reaches the site (an unknown one answers 404). */
  portal: string;
  migrationsDir: string;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** The names of the secrets that have a value. */
  secrets(): Promise<string[]>;
  vars: Record<string, string>;
};

export type Check = { name: string; ok: boolean; detail: string; fix?: string };

/** GET, following nothing. `*.localhost` is connected to 127.0.0.1 with its Host header (no DNS needed). */
export function probe(url: string, timeoutMs = 10_000): Promise<Probe> {
  const u = new URL(url);
  const local = u.hostname === "localhost" || u.hostname.endsWith(".localhost");
  const request = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: local ? "127.0.0.1" : u.hostname,
        port: u.port || (u.protocol === "https:" ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        method: "GET",
        headers: { host: u.host, "user-agent": "fataplus-doctor" },
        servername: u.hostname,
        timeout: timeoutMs,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          if (body.length < 100_000) body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function route(
  name: string,
  url: string,
  expect: (p: Probe) => string | null,
  fix: string,
): Promise<Check> {
  try {
    const p = await probe(url);
    const problem = expect(p);
    return problem
      ? { name, ok: false, detail: `${url}: ${problem}`, fix }
      : { name, ok: true, detail: `${url}: ${p.status}` };
  } catch (e) {
    return { name, ok: false, detail: `${url}: ${why(e)}`, fix };
  }
}

const status =
  (...ok: number[]) =>
  (p: Probe) =>
    ok.includes(p.status) ? null : `answered ${p.status}, expected ${ok.join(" or ")}`;
const fromOurSite = (p: Probe) =>
  p.status >= 500
    ? `answered ${p.status}`
    : p.headers["x-content-type-options"]
      ? null
      : `answered ${p.status} without the site's security headers: not the fataplus-web worker`;
const health = (p: Probe) => {
  if (p.status !== 200) return `answered ${p.status}`;
  try {
    return (JSON.parse(p.body) as { ok?: boolean }).ok === true ? null : "no { ok: true } in the answer";
  } catch {
    return "the answer is not JSON";
  }
};

/** Every check, in order; none stops the others. */
export async function runChecks(t: Target, now = new Date()): Promise<Check[]> {
  const deployHint =
    t.name === "production"
      ? "run `npm run deploy` again (it redeploys both workers with their routes); check the zone's DNS in the dashboard"
      : "start the stack: `npm start`";
  const checks: Check[] = await Promise.all([
    route("site answers", `${t.site}/`, status(200), deployHint),
    route("English site answers", `${t.site}/en/`, status(200), deployHint),
    route(
      "portal hosts reach the site",
      t.portal,
      fromOurSite,
      t.name === "production"
        ? "add a proxied DNS record `*` in the fata.plus zone, and check the route *.fata.plus/* of fataplus-web"
        : "start the stack: `npm start` (portals are <subdomain>.localhost)",
    ),
    route("API answers", `${t.api}/api/health`, health, deployHint),
    route(
      "site reaches the API",
      `${t.site}/api/health`,
      health,
      "the site's service binding API → fataplus-bknd: deploy the API worker first (`npm run deploy`)",
    ),
  ]);

  // migrations
  const files = readdirSync(t.migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  try {
    const applied = new Set((await t.query("SELECT name FROM d1_migrations")).map((r) => String(r.name)));
    const pending = files.filter((f) => !applied.has(f));
    checks.push(
      pending.length === 0
        ? { name: "migrations current", ok: true, detail: `${files.length} applied` }
        : {
            name: "migrations current",
            ok: false,
            detail: `${pending.length} not applied: ${pending.join(", ")}`,
            fix:
              t.name === "production"
                ? "npx wrangler d1 migrations apply fataplus-db --remote --config backend-integration/fataplus-bknd-backend/wrangler.production.json (or `npm run deploy`)"
                : "npx -y pnpm@10.34.8 run db:migrate",
          },
    );
  } catch (e) {
    checks.push({
      name: "migrations current",
      ok: false,
      detail: `could not read d1_migrations: ${why(e)}`,
      fix:
        t.name === "production"
          ? "`npm run deploy` creates and migrates the database"
          : "npx -y pnpm@10.34.8 run db:migrate",
    });
  }

  // secrets
  try {
    const have = new Set(await t.secrets());
    const missing = SECRETS.filter((s) => s.required && !have.has(s.name)).map((s) => s.name);
    checks.push(
      missing.length === 0
        ? {
            name: "secrets exist",
            ok: true,
            detail: SECRETS.filter((s) => have.has(s.name))
              .map((s) => s.name)
              .join(", "),
          }
        : {
            name: "secrets exist",
            ok: false,
            detail: `missing: ${missing.join(", ")}`,
            fix:
              t.name === "production"
                ? "`npm run deploy` asks for each missing secret (or: npx wrangler secret put NAME --config backend-integration/fataplus-bknd-backend/wrangler.production.json)"
                : "node scripts/bootstrap.mjs adds them to backend-integration/fataplus-bknd-backend/.dev.vars",
          },
    );
  } catch (e) {
    checks.push({ name: "secrets exist", ok: false, detail: why(e), fix: "npm run deploy" });
  }

  // the cron
  const cronFix =
    t.name === "production"
      ? "the API worker's cron (triggers.crons in wrangler.production.json) is set by `npm run deploy`; see Workers → fataplus-bknd → Settings → Triggers, and its logs"
      : "wrangler dev runs no cron by itself: start the API with --test-scheduled and GET /__scheduled";
  try {
    const [last] = await t.query(
      "SELECT started_at, finished_at, ok, detail FROM job_runs WHERE job = 'cron' ORDER BY started_at DESC LIMIT 1",
    );
    const age = last
      ? (now.getTime() - Date.parse(String(last.started_at))) / 60_000
      : Number.POSITIVE_INFINITY;
    if (!last) checks.push({ name: "cron runs", ok: false, detail: "it has never run", fix: cronFix });
    else if (last.ok === 0)
      checks.push({
        name: "cron runs",
        ok: false,
        detail: `its last run failed: ${String(last.detail)}`,
        fix: "read the API worker's logs (wrangler tail, or the dashboard's Observability)",
      });
    else if (last.ok === null || last.ok === undefined)
      checks.push({
        name: "cron runs",
        ok: false,
        detail: `its last run (${String(last.started_at)}) never finished`,
        fix: "read the API worker's logs: it was stopped mid-run (CPU or time limit)",
      });
    else if (age > 15)
      checks.push({
        name: "cron runs",
        ok: false,
        detail: `last ran ${Math.round(age)} min ago (every 5 min expected)`,
        fix: cronFix,
      });
    else
      checks.push({
        name: "cron runs",
        ok: true,
        detail: `last ran ${Math.max(0, Math.round(age))} min ago, ok`,
      });
  } catch (e) {
    checks.push({
      name: "cron runs",
      ok: false,
      detail: `could not read job_runs: ${why(e)}`,
      fix: "apply the migrations (migration 0023 creates job_runs)",
    });
  }

  // the nightly backup (src/jobs/backups.ts)
  const backupFix =
    t.name === "production"
      ? "the 02:00 cron (triggers.crons in wrangler.production.json, set by `npm run deploy`) runs it; read the API worker's logs, and backups/<date>/manifest.json in the fataplus-documents bucket"
      : "run it once: start the API with --test-scheduled and GET /__scheduled?cron=0+2+*+*+*";
  try {
    const [last] = await t.query(
      "SELECT started_at, ok, detail FROM job_runs WHERE job = 'backup' ORDER BY started_at DESC LIMIT 1",
    );
    const hours = last
      ? (now.getTime() - Date.parse(String(last.started_at))) / 3_600_000
      : Number.POSITIVE_INFINITY;
    if (!last)
      checks.push({ name: "backups recent", ok: false, detail: "no nightly backup has run", fix: backupFix });
    else if (last.ok !== 1)
      checks.push({
        name: "backups recent",
        ok: false,
        detail: `the last backup (${String(last.started_at)}) ${last.ok === 0 ? `failed: ${String(last.detail)}` : "never finished"}`,
        fix: "read backups/<date>/manifest.json for the tenants that failed, and the API worker's logs",
      });
    else if (hours > 26)
      checks.push({
        name: "backups recent",
        ok: false,
        detail: `the last good backup is ${Math.round(hours)} h old`,
        fix: backupFix,
      });
    else
      checks.push({
        name: "backups recent",
        ok: true,
        detail: `last backup ${Math.max(0, Math.round(hours))} h ago, complete`,
      });
  } catch (e) {
    checks.push({
      name: "backups recent",
      ok: false,
      detail: `could not read job_runs: ${why(e)}`,
      fix: "apply the migrations",
    });
  }

  // mail
  const provider = t.vars.MAIL_PROVIDER ?? "outbox";
  const keyed = (await t.secrets().catch(() => [] as string[])).includes("RESEND_API_KEY");
  if (provider === "resend" && !keyed)
    checks.push({
      name: "mail delivery configured",
      ok: false,
      detail: "MAIL_PROVIDER=resend without RESEND_API_KEY: the worker refuses to start",
      fix:
        t.name === "production"
          ? "RESEND_API_KEY=… npm run deploy"
          : "put RESEND_API_KEY in backend-integration/fataplus-bknd-backend/.dev.vars, or MAIL_PROVIDER=outbox",
    });
  else if (provider !== "resend" && t.name === "production")
    checks.push({
      name: "mail delivery configured",
      ok: false,
      detail: "MAIL_PROVIDER=outbox: mail is stored in D1 (/crm/outbox), nobody receives it",
      fix: "RESEND_API_KEY=… npm run deploy (a Resend key, with fata.plus verified as a sending domain)",
    });
  else {
    try {
      const [stuck] = await t.query(
        `SELECT count(*) AS n FROM email_outbox WHERE status IN ('queued', 'sending', 'failed') AND created_at < '${new Date(now.getTime() - 3_600_000).toISOString()}'`,
      );
      const n = Number(stuck?.n ?? 0);
      checks.push(
        n === 0
          ? {
              name: "mail delivery configured",
              ok: true,
              detail:
                provider === "resend"
                  ? "Resend, nothing stuck"
                  : "outbox (development): read it at /crm/outbox",
            }
          : {
              name: "mail delivery configured",
              ok: false,
              detail: `${n} messages queued or failed for more than an hour`,
              fix: "read last_error in /crm/outbox; check the Resend key and the sending domain",
            },
      );
    } catch (e) {
      checks.push({
        name: "mail delivery configured",
        ok: false,
        detail: why(e),
        fix: "apply the migrations",
      });
    }
  }
  return checks;
}

export function report(checks: Check[]): string[] {
  const lines = checks.flatMap((c) => [
    `${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`,
    ...(c.ok || !c.fix ? [] : [`      what to do: ${c.fix}`]),
  ]);
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(
    failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`,
  );
  return lines;
}

const run = promisify(execFile);

/** Names with a non-empty value in a .dev.vars file. */
export function devVarsSecrets(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .map((l) => /^([A-Z_][A-Z0-9_]*)=(.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null && (m[2] ?? "").trim() !== "")
    .map((m) => m[1] ?? "");
}

/** The local stack: its URLs, its persisted D1 (wrangler --local), its .dev.vars and wrangler.toml vars. */
export function localTarget(o: {
  root: string;
  wrangler: string;
  persistTo: string;
  site: string;
  api: string;
  devVars: string;
  apiToml: string;
  vars?: Record<string, string>;
}): Target {
  const site = new URL(o.site);
  const tomlVars = (parse(readFileSync(o.apiToml, "utf8")) as { vars?: Record<string, string> }).vars ?? {};
  const devVars = Object.fromEntries(
    existsSync(o.devVars)
      ? readFileSync(o.devVars, "utf8")
          .split("\n")
          .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1] ?? "", m[2] ?? ""])
      : [],
  );
  return {
    name: "local",
    site: o.site.replace(/\/$/, ""),
    api: o.api.replace(/\/$/, ""),
    portal: `${site.protocol}//doctor-check.localhost:${site.port}/`,
    migrationsDir: join(o.root, "migrations"),
    vars: { ...tomlVars, ...devVars, ...o.vars },
    secrets: async () => devVarsSecrets(o.devVars),
    query: async (sql) => {
      const { stdout } = await run(
        o.wrangler,
        ["d1", "execute", "fataplus-db", "--local", "--persist-to", o.persistTo, "--json", "--command", sql],
        { cwd: o.root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" } },
      ).catch((e: { stderr?: string; stdout?: string; message: string }) => {
        throw new Error(
          `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-3).join(" ") || e.message,
        );
      });
      return (jsonIn(stdout) as Array<{ results?: Array<Record<string, unknown>> }>)[0]?.results ?? [];
    },
  };
}
