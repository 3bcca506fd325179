// `pnpm bench`: the figures we quote, measured on this machine (a script that prints, not a timed test).
//
//   node scripts/bench.ts [--only api,scale,pages] [--sizes 10k,100k,1M] [--tenants 1,10,100]
//                         [--rounds 5] [--duration 5] [--connections 10] [--lighthouse-runs 5]
//                         [--ports 8850] [--out docs/performance/latest] [--no-build] [--pages crm/leads,…]
//   node scripts/bench.ts --smoke [--ports 8870] [--no-build]
//
//  1. api    throughput and p95 of five API operations, and of the same list without the tenant gate, as
//            ratios to a bare Worker doing one indexed D1 read, alternating rounds (scripts/bench/api.ts)
//  2. scale  D1 rows_read and the query plan of every domain read at 10k, 100k and 1M rows, spread over
//            1, 10 and 100 tenants, with the measured tenant's rows at the end of each table (scale.ts)
//  3. pages  Lighthouse (median of N runs, Debian's Chromium) and gzipped JavaScript per page (pages.ts)
//
// Figures go to <out>.json and <out>.md; the README's "Performance" section quotes them. `--no-build` reuses
// apps/web/dist for the pages part instead of building the site; `--pages` measures only the pages whose name or
// path contains one of the given words (to iterate on a few; not for figures to quote). Ports: api uses <ports>..<ports>+2, pages
// <ports>+5 and <ports>+6.
//
// --smoke: one short round of every scenario of every part, so the bench can't rot unnoticed (the test command
// runs it): api 1 round × 1 s with 2 connections, scale 1k rows over 1 and 2 tenants, pages the gzipped
// JavaScript of every page and one Lighthouse run of the first. Output goes to a temporary directory (never to
// docs/performance). It prints one line per checked scenario and exits non-zero unless every scenario
// answered with its expected statuses and every figure it printed is a finite number; a part that crashes
// counts as a failed check and the other parts still run. Any option above still overrides its smoke value.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Check } from "./bench/lib.ts";
import { root } from "./lib/stack.ts";

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    only: { type: "string" },
    sizes: { type: "string" },
    tenants: { type: "string" },
    rounds: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string" },
    "lighthouse-runs": { type: "string" },
    ports: { type: "string", default: "8850" },
    out: { type: "string" },
    smoke: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    pages: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "usage: node scripts/bench.ts [--only api,scale,pages] [--sizes 10k,100k,1M] [--tenants 1,10,100] [--rounds 5] [--duration 5] [--connections 10] [--lighthouse-runs 5] [--ports 8850] [--out docs/performance/latest] [--no-build] [--pages crm/leads,…]\n       node scripts/bench.ts --smoke [--ports 8870] [--no-build]   (one short round of everything, checked)",
  );
  process.exit(0);
}
const smoke = values.smoke;
/** An option as given, else its smoke value in a smoke run, else its default. */
const opt = (given: string | undefined, full: string, short: string) => given ?? (smoke ? short : full);

const count = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s}`);
  const mult = { "": 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2] ?? ""] ?? 1;
  return Math.round(Number(m[1]) * mult);
};
const int = (s: string, name: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const parts = new Set(
  opt(values.only, "api,scale,pages", "api,scale,pages")
    .split(",")
    .map((s) => s.trim()),
);
const basePort = int(values.ports, "ports");
const out = resolve(
  root,
  values.out ??
    (smoke ? join(mkdtempSync(join(tmpdir(), "fataplus-bench-smoke-")), "smoke") : "docs/performance/latest"),
);
if (smoke && !relative(join(root, "docs/performance"), out).startsWith(".."))
  throw new Error("--smoke never writes into docs/performance: choose another --out");

const started = performance.now();
const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine,
  ...(smoke ? { smoke } : {}),
};
const sections: string[] = [
  `# Fataplus bench${smoke ? " (smoke run: one short round, not figures to quote)" : ""}, ${report.date}`,
  `Machine: ${machine.cpus}, ${machine.memory}, Node ${machine.node}, ${machine.platform}. Other work shared the CPUs: quote the ratios, not the absolute figures.`,
];
const print = (title: string, text: string) => {
  const block = `\n## ${title}\n\n\`\`\`\n${text}\n\`\`\``;
  console.log(block);
  sections.push(block);
};
const checks: Check[] = [];
/** A part; in a smoke run, a part that throws is one failed check and the next part still runs. */
async function part(name: string, run: () => Promise<Check[]>): Promise<void> {
  if (!parts.has(name)) return;
  const printedBefore = sections.length;
  try {
    checks.push(...(await run()));
    // and what it printed, as printed: no figure rendered as NaN or Infinity
    const bad = sections
      .slice(printedBefore)
      .join("\n")
      .split("\n")
      .filter((l) => /\b(NaN|Infinity)\b/.test(l));
    checks.push({
      part: name,
      scenario: "printed figures are numbers",
      ok: bad.length === 0,
      detail: bad.slice(0, 3).join(" | "),
    });
  } catch (e) {
    if (!smoke) throw e;
    console.error(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    checks.push({ part: name, scenario: "the whole part", ok: false, detail: String(e).slice(0, 500) });
  }
}

await part("api", async () => {
  const { benchApi } = await import("./bench/api.ts");
  const api = await benchApi({
    rounds: int(opt(values.rounds, "5", "1"), "rounds"),
    duration: int(opt(values.duration, "5", "1"), "duration"),
    connections: int(opt(values.connections, "10", "2"), "connections"),
    ports: [basePort, basePort + 1, basePort + 2],
    smoke,
  });
  report.api = { results: api.results, gateCost: api.gateCost };
  print("API throughput and latency (ratios to the baseline)", api.text);
  return api.checks;
});

await part("scale", async () => {
  const { benchScale } = await import("./bench/scale.ts");
  const scale = await benchScale({
    sizes: opt(values.sizes, "10k,100k,1M", "1k").split(",").map(count),
    tenants: opt(values.tenants, "1,10,100", "1,2")
      .split(",")
      .map((s) => int(s, "tenants")),
  });
  report.scale = scale.results;
  print("Cost as data grows (D1 rows_read per statement, query plans)", scale.text);
  return scale.checks;
});

await part("pages", async () => {
  const { benchPages } = await import("./bench/pages.ts");
  const pages = await benchPages({
    runs: int(opt(values["lighthouse-runs"], "5", "1"), "lighthouse-runs"),
    apiPort: basePort + 5,
    webPort: basePort + 6,
    noBuild: values["no-build"],
    ...(values.pages ? { only: values.pages.split(",").map((s) => s.trim()) } : {}),
    ...(smoke ? { lighthousePages: 1 } : {}),
  });
  report.pages = pages.results;
  print("Pages (Lighthouse, gzipped JavaScript)", pages.text);
  return pages.checks;
});

if (smoke) report.checks = checks;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${out}.md`, `${sections.join("\n")}\n`);
// in the repository's own format, so a committed run passes the linter
spawnSync(join(root, "node_modules/.bin/biome"), ["format", "--write", `${out}.json`, `${out}.md`], {
  stdio: "ignore",
});
console.log(`\nwrote ${out}.json and ${out}.md`);

if (smoke) {
  console.log("\nSmoke checks:");
  for (const c of checks)
    console.log(`  ${c.ok ? "ok  " : "FAIL"}  ${c.part}: ${c.scenario}${c.ok ? "" : ` — ${c.detail}`}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(
    `smoke: ${checks.length - failed} passed, ${failed} failed in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exit(failed === 0 && checks.length > 0 ? 0 : 1);
}
