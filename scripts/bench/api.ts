/**
 * API throughput and latency, as ratios against a baseline measured in the same run.
 *
 * Three workers run on workerd through Miniflare (no `wrangler dev` proxy), each on its own copy of one seeded
 * local D1: the real API worker (bknd + tenant gate + our routes), the same bknd app without our plugin (to
 * price the gate), and a bare Worker doing one indexed D1 read (the baseline). For every scenario and round,
 * autocannon drives the baseline and the target back to back (their order alternates between rounds) with
 * the same connections and duration; the bench prints the median over rounds of target/baseline throughput
 * and p95 latency.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import type { Miniflare } from "miniflare";
import {
  bundle,
  type Check,
  finite,
  median,
  onExit,
  pct,
  percentile,
  sessionJwt,
  startWorker,
  table,
  times,
} from "./lib.ts";

export type ApiOptions = {
  rounds: number;
  duration: number;
  connections: number;
  ports: [number, number, number];
  /** Smoke mode: a scenario whose first answer is wrong is reported (a failed check) and skipped, not fatal. */
  smoke?: boolean;
};

const LOGIN_ACCOUNTS = 40;
const GATE_LIST = "tenant-scoped list (GET /api/data/entity/tasks?limit=20, gate)";
const NO_GATE_LIST = "stock bknd list, no gate (same user, same rows: where tenant_id)";

type Measure = {
  rps: number;
  p50: number;
  p95: number;
  requests: number;
  errors: number;
  non2xx: number;
  statuses: Record<string, number>;
};

/** The baseline: one indexed read of one row by primary key in a tenant, as JSON. */
const BASELINE_SCRIPT = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const row = await env.DB.prepare("SELECT id, title, status FROM tasks WHERE tenant_id = ? AND id = ?")
      .bind(url.searchParams.get("t"), url.searchParams.get("id")).first();
    return Response.json({ data: row });
  },
};`;

async function run(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Bodies to send in turn, one per request (sign-ins of different accounts). */
    bodies?: string[];
    connections: number;
    duration: number;
  },
): Promise<Measure> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let n = 0;
  const bodies = opts.bodies;
  const instance = autocannon({
    url,
    method: (opts.method ?? "GET") as "GET",
    headers: opts.headers ?? {},
    ...(opts.body ? { body: opts.body } : {}),
    ...(bodies
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                method: (opts.method ?? "POST") as "POST",
                headers: { ...req.headers, ...(opts.headers ?? {}) },
                body: bodies[n++ % bodies.length] as string,
              }),
            },
          ],
        }
      : {}),
    connections: opts.connections,
    duration: opts.duration,
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    instance.on("done", resolve).on("error", reject),
  );
  return {
    rps: result.requests.total / (result.duration || opts.duration),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
  };
}

type Scenario = {
  name: string;
  goal: boolean; // reads with auth and the gate: held to the 70% / 1.3× goals
  /** The statuses a correct answer has (every request of every measurement is held to them). */
  expect: number[];
  target: () => {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    bodies?: string[];
  };
  baseline?: "bare" | "no-gate";
};

export async function benchApi(opts: ApiOptions) {
  const work = mkdtempSync(join(tmpdir(), "fataplus-bench-api-"));
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const workers: Miniflare[] = [];
  const cleanup = async () => {
    for (const w of workers.splice(0)) await w.dispose().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  };
  const unregister = onExit(cleanup);
  try {
    log("api: bundling the API worker and the no-gate variant…");
    const apiScript = bundle("src/index.ts", join(work, "api-bundle"));
    const noGateScript = bundle("bench/no-gate.ts", join(work, "nogate-bundle"));

    log(
      "api: seeding a local D1 (migrations, demo data, 5,000 tasks over 10 tenants, the measured one last)…",
    );
    const seedDir = join(work, "seed");
    const seeder = await startWorker({
      name: "seed",
      port: 0,
      persist: seedDir,
      bindings: "d1",
      script: BASELINE_SCRIPT,
    });
    const db = (await seeder.getD1Database("DB")) as unknown as D1Database;
    const { applyMigrations } = await import("./lib.ts");
    await applyMigrations(db);
    const { demoSql } = await import("../lib/demo-data.ts");
    const demo = (await demoSql())
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    await db.batch(demo.map((s) => db.prepare(s)));
    const acme = await db.prepare("SELECT id FROM tenants WHERE subdomain = 'acme'").first<{ id: string }>();
    if (!acme) throw new Error("demo data has no acme tenant");
    // Noise: nine more tenants with 500 tasks each, inserted before acme's 500 (acme's rows at the end).
    const { seedTenants } = await import("./seed.ts");
    // the CRM's tables only: the portal's would collide with acme's demo thread and counters
    await seedTenants(db, { tenants: 9, tasksPerTenant: 500, base: 1000, areas: ["crm"] });
    await seedTenants(db, { tenantIds: [acme.id], tasksPerTenant: 500, base: 2000, areas: ["crm"] });
    const project = await db
      .prepare("SELECT id FROM projects WHERE tenant_id = ? ORDER BY id LIMIT 1")
      .bind(acme.id)
      .first<{ id: string }>();
    const task = await db
      .prepare("SELECT id FROM tasks WHERE tenant_id = ? ORDER BY id LIMIT 1")
      .bind(acme.id)
      .first<{ id: string }>();
    const pmUser = await db
      .prepare("SELECT id, email, role FROM users WHERE email = 'pm.acme@fata.plus'")
      .first<{ id: number; email: string; role: string }>();
    if (!project || !task || !pmUser) throw new Error("seed incomplete");
    await db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1 - 1)
         INSERT INTO users (email, strategy, strategy_value, role, status)
         SELECT 'login-' || i || '@bench.test', 'password', (SELECT strategy_value FROM users WHERE id = ?2), 'member', 'active' FROM seq`,
      )
      .bind(LOGIN_ACCOUNTS, pmUser.id)
      .run();
    await seeder.dispose();
    for (const name of ["api", "nogate", "baseline"]) cpSync(seedDir, join(work, name), { recursive: true });

    log("api: starting the three workers on workerd…");
    const [apiPort, noGatePort, basePort] = opts.ports;
    // The per-token limit (120 a minute) would be what the MCP scenario measures: the API worker's binding gets a
    // limit no run reaches. The binding still counts every call (in miniflare: a Durable Object and its SQLite).
    const api = await startWorker({
      name: "api",
      port: apiPort,
      persist: join(work, "api"),
      bindings: "api",
      scriptPath: apiScript,
      liftRateLimits: true,
    });
    workers.push(api);
    const noGate = await startWorker({
      name: "nogate",
      port: noGatePort,
      persist: join(work, "nogate"),
      bindings: "api",
      scriptPath: noGateScript,
    });
    workers.push(noGate);
    const base = await startWorker({
      name: "baseline",
      port: basePort,
      persist: join(work, "baseline"),
      bindings: "d1",
      script: BASELINE_SCRIPT,
    });
    workers.push(base);
    const A = `http://127.0.0.1:${apiPort}`;
    const N = `http://127.0.0.1:${noGatePort}`;
    const baselineUrl = `http://127.0.0.1:${basePort}/?t=${acme.id}&id=${task.id}`;

    // A real sign-in (PBKDF2, throttling) for the project manager of acme, then a token for MCP.
    const login = async (email: string) => {
      const res = await fetch(`${A}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "Fataplus-demo-2026!" }),
      });
      if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const pmToken = await login("pm.acme@fata.plus");
    const tokRes = await fetch(`${A}/api/app/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${pmToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench", expires_in_days: 1, scope: "write", tenants: ["acme"] }),
    });
    if (!tokRes.ok) throw new Error(`token: ${tokRes.status} ${await tokRes.text()}`);
    const pat = ((await tokRes.json()) as { data: { token: string; id: string } }).data;
    // the same person, signed by the same secret: stock bknd checks the token and the role's permissions only
    const pmJwt = sessionJwt(pmUser);
    const tenantHeaders = { authorization: `Bearer ${pmToken}`, "x-fataplus-tenant": "acme" };

    const scenarios: Scenario[] = [
      {
        name: GATE_LIST,
        goal: true,
        expect: [200],
        target: () => ({ url: `${A}/api/data/entity/tasks?limit=20`, headers: tenantHeaders }),
      },
      {
        name: "detail with relations (GET /api/app/project/overview)",
        goal: true,
        expect: [200],
        target: () => ({ url: `${A}/api/app/project/overview`, headers: tenantHeaders }),
      },
      {
        name: "create (POST /api/data/entity/tasks)",
        goal: false,
        expect: [201],
        target: () => ({
          url: `${A}/api/data/entity/tasks`,
          method: "POST",
          headers: { ...tenantHeaders, "content-type": "application/json" },
          body: JSON.stringify({ title: "Bench task", project_id: project.id }),
        }),
      },
      {
        // 40 accounts in turn: sign-in attempts are counted per account before the password is checked (at most
        // 5 in flight per account), so ten connections on one account would measure the throttle instead.
        name: "login (POST /api/auth/login, PBKDF2 100k)",
        goal: false,
        expect: [200],
        target: () => ({
          url: `${A}/api/auth/login`,
          method: "POST",
          headers: { "content-type": "application/json" },
          bodies: Array.from({ length: LOGIN_ACCOUNTS }, (_, i) =>
            JSON.stringify({ email: `login-${i}@bench.test`, password: "Fataplus-demo-2026!" }),
          ),
        }),
      },
      {
        name: "MCP tool call (tools/call list_tasks)",
        goal: true,
        expect: [200],
        target: () => ({
          url: `${A}/api/system/mcp?tenant=acme`,
          method: "POST",
          headers: {
            authorization: `Bearer ${pat.token}`,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            "mcp-protocol-version": "2025-11-25",
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: { name: "list_tasks", arguments: { limit: 20 } },
          }),
        }),
      },
      {
        name: NO_GATE_LIST,
        goal: false,
        expect: [200],
        target: () => ({
          url: `${N}/api/data/entity/tasks?limit=20&where=${encodeURIComponent(JSON.stringify({ tenant_id: acme.id }))}`,
          headers: { authorization: `Bearer ${pmJwt}` },
        }),
      },
    ];

    // Check every target answers as expected before measuring anything (in smoke mode: report, skip, go on).
    const firstAnswers = new Map<string, string>();
    for (const s of [...scenarios]) {
      const t = s.target();
      const body = t.body ?? t.bodies?.[0];
      const res = await fetch(t.url, {
        method: t.method ?? "GET",
        headers: t.headers ?? {},
        ...(body ? { body } : {}),
      });
      const text = await res.text();
      if (s.expect.includes(res.status)) continue;
      const why = `first answer ${res.status}, expected ${s.expect.join("/")}: ${text.slice(0, 300)}`;
      if (!opts.smoke) throw new Error(`${s.name}: ${why}`);
      firstAnswers.set(s.name, why);
      scenarios.splice(scenarios.indexOf(s), 1);
    }
    const warm = { connections: opts.connections, duration: 1 };
    await run(baselineUrl, warm);
    for (const s of scenarios) await run(s.target().url, { ...s.target(), ...warm });

    const perScenario = new Map<string, { target: Measure[]; baseline: Measure[] }>();
    const cfg = { connections: opts.connections, duration: opts.duration };
    for (let round = 1; round <= opts.rounds; round++) {
      for (const s of scenarios) {
        log(`api: round ${round}/${opts.rounds} ${s.name}`);
        const entry = perScenario.get(s.name) ?? { target: [], baseline: [] };
        const t = s.target();
        const measureTarget = async () => entry.target.push(await run(t.url, { ...t, ...cfg }));
        const measureBase = async () => entry.baseline.push(await run(baselineUrl, cfg));
        if (round % 2 === 1) {
          await measureBase();
          await measureTarget();
        } else {
          await measureTarget();
          await measureBase();
        }
        perScenario.set(s.name, entry);
      }
    }

    const results = scenarios.map((s) => {
      const e = perScenario.get(s.name) ?? { target: [], baseline: [] };
      const thr = median(e.target.map((m, i) => m.rps / (e.baseline[i]?.rps ?? Number.NaN)));
      const p95 = median(e.target.map((m, i) => m.p95 / (e.baseline[i]?.p95 ?? Number.NaN)));
      return {
        scenario: s.name,
        goal: s.goal,
        throughputRatio: thr,
        p95Ratio: p95,
        targetRps: median(e.target.map((m) => m.rps)),
        baselineRps: median(e.baseline.map((m) => m.rps)),
        targetP95ms: median(e.target.map((m) => m.p95)),
        baselineP95ms: median(e.baseline.map((m) => m.p95)),
        non2xx: e.target.reduce((n, m) => n + m.non2xx + m.errors, 0),
        statuses: e.target.reduce<Record<string, number>>((acc, m) => {
          for (const [k, v] of Object.entries(m.statuses)) acc[k] = (acc[k] ?? 0) + v;
          return acc;
        }, {}),
        meetsGoal: s.goal ? thr >= 0.7 && p95 <= 1.3 : null,
      };
    });
    const byName = (name: string) => results.find((r) => r.scenario === name);
    const listGate = byName(GATE_LIST);
    const listNoGate = byName(NO_GATE_LIST);
    const gateCost =
      listGate && listNoGate
        ? {
            throughputWithGateOverWithout: listGate.throughputRatio / listNoGate.throughputRatio,
            p95WithGateOverWithout: listGate.p95Ratio / listNoGate.p95Ratio,
          }
        : null;

    // What the smoke run holds: per scenario, every request answered as expected and every figure is a number.
    const checks: Check[] = [...firstAnswers].map(([name, why]) => ({
      part: "api",
      scenario: name,
      ok: false,
      detail: why,
    }));
    for (const s of scenarios) {
      const e = perScenario.get(s.name) ?? { target: [], baseline: [] };
      const r = byName(s.name);
      const problems: string[] = [];
      if (e.target.length !== opts.rounds || e.baseline.length !== opts.rounds)
        problems.push(`${e.target.length}/${opts.rounds} measurements`);
      const sides: Array<[string, Measure[], number[]]> = [
        ["target", e.target, s.expect],
        ["baseline", e.baseline, [200]],
      ];
      for (const [who, ms, expect] of sides) {
        for (const m of ms) {
          if (m.requests === 0) problems.push(`${who}: no answer`);
          if (m.errors > 0) problems.push(`${who}: ${m.errors} errors or timeouts`);
          const wrong = Object.entries(m.statuses).filter(([k]) => !expect.includes(Number(k)));
          if (wrong.length > 0) problems.push(`${who}: ${wrong.map(([k, v]) => `${v}×${k}`).join(" ")}`);
        }
      }
      const figures = r
        ? [r.throughputRatio, r.p95Ratio, r.targetRps, r.baselineRps, r.targetP95ms, r.baselineP95ms]
        : [];
      if (!finite(figures)) problems.push(`figures not all finite: ${figures.join(", ") || "none"}`);
      checks.push({ part: "api", scenario: s.name, ok: problems.length === 0, detail: problems.join("; ") });
    }
    const gateFigures = gateCost
      ? [gateCost.throughputWithGateOverWithout, gateCost.p95WithGateOverWithout]
      : [];
    checks.push({
      part: "api",
      scenario: "the gate's own cost (with / without)",
      ok: finite(gateFigures),
      detail: finite(gateFigures) ? "" : `not measured or not finite: ${gateFigures.join(", ") || "none"}`,
    });

    const text = [
      `API: ${opts.rounds} rounds × ${opts.duration} s per measurement, ${opts.connections} connections (autocannon), workerd via Miniflare; ${cpus().length} CPU(s) shared`,
      table(
        ["scenario", "thr. vs base", "p95 vs base", "goal", "rps (median)", "p95 ms", "non-2xx"],
        results.map((r) => [
          r.scenario,
          pct(r.throughputRatio),
          times(r.p95Ratio),
          r.meetsGoal === null ? "—" : r.meetsGoal ? "met" : "MISSED",
          r.targetRps.toFixed(0),
          r.targetP95ms.toFixed(1),
          Object.entries(r.statuses)
            .filter(([k]) => !k.startsWith("2"))
            .map(([k, v]) => `${v}×${k}`)
            .join(" ") || String(r.non2xx),
        ]),
      ),
      gateCost
        ? `The gate's own cost (same list, with / without the gate): throughput ${pct(gateCost.throughputWithGateOverWithout)}, p95 ${times(gateCost.p95WithGateOverWithout)}`
        : "",
      `Baseline: a bare Worker, one indexed D1 read by primary key (median ${median(results.map((r) => r.baselineRps)).toFixed(0)} rps here).`,
    ].join("\n");
    return { results, gateCost, text, checks };
  } finally {
    unregister();
    await cleanup();
  }
}
