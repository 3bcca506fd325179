/**
 * `npm run doctor` against a real local stack (the API worker and the built site under wrangler dev, a migrated
 * local D1, the cron triggered through --test-scheduled), then against a deliberately broken one: the site
 * down, a migration not applied, a secret missing, the cron's last run failed, Resend chosen without its key.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backendDir,
  isolatedRegistry,
  migrate,
  quietEnv,
  root,
  type Server,
  seedIfEmpty,
  startBuiltWeb,
  startServer,
  waitForHttp,
  webDir,
} from "../stack.ts";
import { type Check, localTarget, report, runChecks } from "./doctor.ts";

const wrangler = join(root, "node_modules/.bin/wrangler");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

const dir = mkdtempSync(join(tmpdir(), "fataplus-doctor-test-"));
const persist = join(dir, "state");
const broken = join(dir, "broken-state");
const logs: string[] = [];
let api: Server | undefined;
let web: Server | undefined;
let apiPort = 0;
let webPort = 0;
const secret = "test-only-doctor-secret-0123456789abcdef";

const d1 = (persistTo: string, sql: string) =>
  execFileSync(
    wrangler,
    ["d1", "execute", "fataplus-db", "--local", "--persist-to", persistTo, "--command", sql],
    {
      cwd: root,
      env: quietEnv,
      stdio: "ignore",
    },
  );

beforeAll(async () => {
  apiPort = await freePort();
  webPort = await freePort();
  migrate(persist);
  await seedIfEmpty(persist); // the demo tenants: the nightly backup has something to restore
  migrate(broken);
  if (!existsSync(join(webDir, "dist/server/wrangler.json")))
    execFileSync(join(webDir, "node_modules/.bin/astro"), ["build"], {
      cwd: webDir,
      env: quietEnv,
      stdio: "ignore",
    });
  const registry = isolatedRegistry(join(dir, "registry"));
  const log = (l: string) => logs.push(l);
  api = startServer(
    "api",
    wrangler,
    [
      "dev",
      "--port",
      String(apiPort),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persist,
      "--test-scheduled",
      "--show-interactive-dev-session=false",
    ],
    backendDir,
    log,
    registry,
  );
  await waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, api);
  web = startBuiltWeb(webPort, log, registry);
  await waitForHttp(`http://127.0.0.1:${webPort}/`, web);
  // both crons, once each, as Cloudflare would run them: the 5-minute one and the nightly backup
  for (const cron of ["*/5 * * * *", "0 2 * * *"]) {
    const res = await fetch(`http://127.0.0.1:${apiPort}/__scheduled?cron=${cron.replaceAll(" ", "+")}`);
    expect(res.status).toBe(200);
  }
  for (let i = 0; i < 100; i++) {
    const out = execFileSync(
      wrangler,
      [
        "d1",
        "execute",
        "fataplus-db",
        "--local",
        "--persist-to",
        persist,
        "--json",
        "--command",
        "SELECT count(*) AS n FROM job_runs WHERE ok = 1",
      ],
      { cwd: root, env: quietEnv, encoding: "utf8" },
    );
    if (out.includes('"n": 2')) break;
    await new Promise((r) => setTimeout(r, 300));
  }
}, 480_000);

afterAll(async () => {
  await Promise.all([web?.stop(), api?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

describe("npm run doctor", () => {
  it("passes every check on a working local stack", async () => {
    const devVars = join(dir, "good.dev.vars");
    writeFileSync(
      devVars,
      `JWT_SECRET=${secret}\nFILES_SIGNING_SECRET=${secret}\nMFA_SECRET=${secret}\nRESEND_API_KEY=\n`,
    );
    const checks = await runChecks(
      localTarget({
        root,
        wrangler,
        persistTo: persist,
        site: `http://localhost:${webPort}`,
        api: `http://localhost:${apiPort}`,
        devVars,
        apiToml: join(backendDir, "wrangler.toml"),
      }),
    );
    const failed = checks.filter((c) => !c.ok);
    expect(failed, `${report(checks).join("\n")}\n${logs.slice(-20).join("\n")}`).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      "site answers",
      "English site answers",
      "portal hosts reach the site",
      "API answers",
      "site reaches the API",
      "migrations current",
      "secrets exist",
      "cron runs",
      "backups recent",
      "mail delivery configured",
    ]);
    expect(report(checks).at(-1)).toBe(`all ${checks.length} checks passed`);
  });

  it("fails each broken part, and says what to do about it", async () => {
    d1(broken, "DELETE FROM d1_migrations WHERE name = '0023_job_runs.sql'");
    d1(
      broken,
      `INSERT INTO job_runs (job, started_at, finished_at, ok, detail) VALUES ('cron', '${new Date().toISOString()}', '${new Date().toISOString()}', 0, 'R2 unreachable')`,
    );
    const devVars = join(dir, "broken.dev.vars");
    writeFileSync(devVars, `JWT_SECRET=${secret}\nFILES_SIGNING_SECRET=${secret}\nMFA_SECRET=\n`);
    const closedPort = await freePort(); // nothing listens there: the site is down
    const checks = byName(
      await runChecks(
        localTarget({
          root,
          wrangler,
          persistTo: broken,
          site: `http://localhost:${closedPort}`,
          api: `http://localhost:${apiPort}`,
          devVars,
          apiToml: join(backendDir, "wrangler.toml"),
          vars: { MAIL_PROVIDER: "resend" },
        }),
      ),
    );
    const failed = Object.values(checks)
      .filter((c) => !c.ok)
      .map((c) => c.name);
    expect(failed.sort()).toEqual(
      [
        "site answers",
        "English site answers",
        "portal hosts reach the site",
        "site reaches the API",
        "migrations current",
        "secrets exist",
        "cron runs",
        "backups recent",
        "mail delivery configured",
      ].sort(),
    );
    expect(checks["API answers"]?.ok).toBe(true);
    for (const name of failed) expect(checks[name]?.fix, name).toMatch(/\S/);
    expect(checks["migrations current"]?.detail).toBe("1 not applied: 0023_job_runs.sql");
    expect(checks["migrations current"]?.fix).toContain("db:migrate");
    expect(checks["secrets exist"]?.detail).toBe("missing: MFA_SECRET");
    expect(checks["cron runs"]?.detail).toBe("its last run failed: R2 unreachable");
    expect(checks["mail delivery configured"]?.detail).toContain("without RESEND_API_KEY");
    expect(checks["site answers"]?.fix).toContain("npm start");
    expect(checks["backups recent"]?.detail).toBe("no nightly backup has run");
  });

  it("npm run restore brings a tenant back from the night's file in R2 into an empty database", () => {
    const out = execFileSync(
      wrangler,
      [
        "d1",
        "execute",
        "fataplus-db",
        "--local",
        "--persist-to",
        persist,
        "--json",
        "--command",
        "SELECT id FROM tenants WHERE subdomain = 'acme'",
      ],
      { cwd: root, env: quietEnv, encoding: "utf8" },
    );
    const id = /"id": "([^"]+)"/.exec(out)?.[1];
    expect(id).toMatch(/^FP-/);
    const key = `backups/${new Date().toISOString().slice(0, 10)}/${id}.json`;
    const target = join(dir, "restored");
    const report = execFileSync(
      process.execPath,
      [
        join(root, "scripts/backup.ts"),
        "import",
        "--r2",
        key,
        "--r2-persist-to",
        persist,
        "--persist-to",
        target,
      ],
      { cwd: root, env: quietEnv, encoding: "utf8" },
    );
    expect(report).toContain(`imported ${id}`);
    expect(report).not.toContain("DIFFERENT");
    expect(report).toMatch(/tasks\s+\d+ rows → +\d+ {2}same checksum/);
  });
});
