// Lighthouse figures for a running site (not a test): the median of several runs per URL, with Debian's
// Chromium. Run from the repository root, with the site up (e.g. `npm start` in another terminal):
//
//   node scripts/lighthouse.ts [--runs 5] [--base http://localhost:4321] [--desktop] [--out file.json] [url…]
//
// URLs are paths on --base (`/`, `/en/`, `/services/`) or absolute URLs; default `/` and `/en/`. Lighthouse
// 13.5 is pinned and fetched by npx (it needs Node >= 22: node_modules/.bin provides Node 24). Chromium comes
// from CHROME_PATH (default /usr/bin/chromium). Default form factor: Lighthouse's mobile emulation with
// simulated throttling; --desktop uses its desktop preset. Pages behind sign-in (the CRM, a portal):
// `--login staff@fata.plus` signs in first and sends the session cookie with every request.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const LIGHTHOUSE = "lighthouse@13.5.0";
const root = join(import.meta.dirname, "..");

const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({
  // `pnpm run lighthouse -- …` passes the `--` through: skip it.
  args: argv[0] === "--" ? argv.slice(1) : argv,
  allowPositionals: true,
  options: {
    runs: { type: "string", default: "5" },
    base: { type: "string", default: "http://localhost:4321" },
    out: { type: "string" },
    desktop: { type: "boolean", default: false },
    /** Sign in as this user first (through the site's /api/auth/login) and send the session cookie. */
    login: { type: "string" },
    password: { type: "string", default: "Fataplus-demo-2026!" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(
    "usage: node scripts/lighthouse.ts [--runs 5] [--base http://localhost:4321] [--desktop] [--out file.json] [url…]",
  );
  process.exit(0);
}

const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const urls = (positionals.length > 0 ? positionals : ["/", "/en/"]).map((u) => new URL(u, values.base).href);

interface Run {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  /** Largest Contentful Paint, ms. */
  lcp: number;
  cls: number;
  /** Total Blocking Time, ms. */
  tbt: number;
}
type Metric = keyof Run;
const METRICS: Metric[] = ["performance", "accessibility", "bestPractices", "seo", "lcp", "cls", "tbt"];

interface LighthouseReport {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  categories: Record<string, { score: number | null; auditRefs?: Array<{ id: string; weight: number }> }>;
  audits: Record<string, { numericValue?: number; score?: number | null; title?: string }>;
}

async function sessionCookie(email: string): Promise<string> {
  // A portal (acme.localhost) signs in through the main site: Node does not resolve *.localhost, Chromium does,
  // and the session cookie is sent as a header with every request anyway.
  const base = new URL(values.base);
  if (base.hostname.endsWith(".localhost")) base.hostname = "localhost";
  const origin = base.origin;
  const res = await fetch(`${origin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email, password: values.password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${email} failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
const extraHeaders = values.login ? JSON.stringify({ Cookie: await sessionCookie(values.login) }) : null;

const env = {
  ...process.env,
  PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
  CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  npm_config_yes: "true",
};
const work = mkdtempSync(join(tmpdir(), "fataplus-lighthouse-"));
let version = "";

function lighthouse(url: string, index: number): Run {
  const output = join(work, `report-${index}.json`);
  const args = [
    "-y",
    LIGHTHOUSE,
    url,
    "--output=json",
    `--output-path=${output}`,
    "--quiet",
    "--only-categories=performance,accessibility,best-practices,seo",
    "--chrome-flags=--headless --no-sandbox --disable-gpu",
    ...(values.desktop ? ["--preset=desktop"] : []),
    ...(extraHeaders ? [`--extra-headers=${extraHeaders}`] : []),
  ];
  // Lighthouse sometimes loses the trace of a run (NO_NAVSTART, NO_FCP): retry that run, twice at most.
  let report: LighthouseReport | null = null;
  for (let attempt = 1; report === null; attempt++) {
    const res = spawnSync("npx", args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const parsed = res.status === 0 ? (JSON.parse(readFileSync(output, "utf8")) as LighthouseReport) : null;
    const error =
      parsed?.runtimeError?.message ?? (res.status === 0 ? null : `exit ${res.status}: ${res.stderr}`);
    if (error === null) report = parsed;
    else if (attempt >= 3) throw new Error(`lighthouse failed on ${url}: ${error}`);
    else process.stderr.write(`  retrying (${error.trim().split("\n").pop()})\n`);
  }
  if (report === null) throw new Error("unreachable");
  version = report.lighthouseVersion;
  const score = (id: string) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const audit = (id: string) => report.audits[id]?.numericValue ?? Number.NaN;
  // What costs points in accessibility and best practices, so a score below 100 says where to look.
  for (const category of ["accessibility", "best-practices"]) {
    for (const ref of report.categories[category]?.auditRefs ?? []) {
      const a = report.audits[ref.id];
      if (ref.weight > 0 && a && typeof a.score === "number" && a.score < 1)
        process.stderr.write(`  ${category}: ${ref.id} (${a.title ?? ""})\n`);
    }
  }
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    lcp: Math.round(audit("largest-contentful-paint")),
    cls: Number(audit("cumulative-layout-shift").toFixed(3)),
    tbt: Math.round(audit("total-blocking-time")),
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const results: Array<{ url: string; median: Run; runs: Run[] }> = [];
let n = 0;
try {
  for (const url of urls) {
    const perRun: Run[] = [];
    for (let i = 1; i <= runs; i++) {
      process.stderr.write(`lighthouse ${url} run ${i}/${runs}…\n`);
      perRun.push(lighthouse(url, n++));
    }
    const med = Object.fromEntries(
      METRICS.map((m) => [m, median(perRun.map((r) => r[m]))]),
    ) as unknown as Run;
    results.push({ url, median: med, runs: perRun });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const header = ["url", "perf", "a11y", "best-pr.", "seo", "LCP ms", "CLS", "TBT ms"];
const rows = results.map(({ url, median: m }) => [
  url,
  String(m.performance),
  String(m.accessibility),
  String(m.bestPractices),
  String(m.seo),
  String(Math.round(m.lcp)),
  m.cls.toFixed(3),
  String(Math.round(m.tbt)),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(
  `\nLighthouse ${version}, median of ${runs} run(s), ${values.desktop ? "desktop preset" : "mobile emulation"}:`,
);
console.log(line(header));
for (const r of rows) console.log(line(r));

if (values.out) {
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        lighthouse: version,
        formFactor: values.desktop ? "desktop" : "mobile",
        runs,
        chrome: env.CHROME_PATH,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${out}`);
}
