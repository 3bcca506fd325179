// `pnpm bench`: the figures we quote, measured on this machine (a script that prints, not a timed test).
//
//   node scripts/bench.ts [--only api,scale,pages] [--sizes 10k,100k,1M] [--tenants 1,10,100]
//                         [--rounds 5] [--duration 5] [--connections 10] [--lighthouse-runs 5]
//                         [--ports 8850] [--out docs/performance/latest]
//
//  1. api    throughput and p95 of five API operations, and of the same list without the tenant gate, as
//            ratios to a bare Worker doing one indexed D1 read, alternating rounds (scripts/bench/api.ts)
//  2. scale  D1 rows_read and the query plan of every domain read at 10k, 100k and 1M rows, spread over
//            1, 10 and 100 tenants, with the measured tenant's rows at the end of each table (scale.ts)
//  3. pages  Lighthouse (median of N runs, Debian's Chromium) and gzipped JavaScript per page (pages.ts)
//
// Figures go to <out>.json and <out>.md; the README's "Performance" section quotes them.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { root } from "./lib/stack.ts";

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    only: { type: "string", default: "api,scale,pages" },
    sizes: { type: "string", default: "10k,100k,1M" },
    tenants: { type: "string", default: "1,10,100" },
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "10" },
    "lighthouse-runs": { type: "string", default: "5" },
    ports: { type: "string", default: "8850" },
    out: { type: "string", default: "docs/performance/latest" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "usage: node scripts/bench.ts [--only api,scale,pages] [--sizes 10k,100k,1M] [--tenants 1,10,100] [--rounds 5] [--duration 5] [--connections 10] [--lighthouse-runs 5] [--ports 8850] [--out docs/performance/latest]",
  );
  process.exit(0);
}

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
const parts = new Set(values.only.split(",").map((s) => s.trim()));
const basePort = int(values.ports, "ports");

const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const report: Record<string, unknown> = { date: new Date().toISOString(), machine };
const sections: string[] = [
  `# Fataplus bench, ${report.date}`,
  `Machine: ${machine.cpus}, ${machine.memory}, Node ${machine.node}, ${machine.platform}. Other work shared the CPUs: quote the ratios, not the absolute figures.`,
];
const print = (title: string, text: string) => {
  const block = `\n## ${title}\n\n\`\`\`\n${text}\n\`\`\``;
  console.log(block);
  sections.push(block);
};

if (parts.has("api")) {
  const { benchApi } = await import("./bench/api.ts");
  const api = await benchApi({
    rounds: int(values.rounds, "rounds"),
    duration: int(values.duration, "duration"),
    connections: int(values.connections, "connections"),
    ports: [basePort, basePort + 1, basePort + 2],
  });
  report.api = { results: api.results, gateCost: api.gateCost };
  print("API throughput and latency (ratios to the baseline)", api.text);
}

if (parts.has("scale")) {
  const { benchScale } = await import("./bench/scale.ts");
  const scale = await benchScale({
    sizes: values.sizes.split(",").map(count),
    tenants: values.tenants.split(",").map((s) => int(s, "tenants")),
  });
  report.scale = scale.results;
  print("Cost as data grows (D1 rows_read per statement, query plans)", scale.text);
}

if (parts.has("pages")) {
  const { benchPages } = await import("./bench/pages.ts");
  const pages = await benchPages({
    runs: int(values["lighthouse-runs"], "lighthouse-runs"),
    apiPort: basePort + 5,
    webPort: basePort + 6,
  });
  report.pages = pages.results;
  print("Pages (Lighthouse, gzipped JavaScript)", pages.text);
}

const out = resolve(root, values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${out}.md`, `${sections.join("\n")}\n`);
// in the repository's own format, so a committed run passes the linter
spawnSync(join(root, "node_modules/.bin/biome"), ["format", "--write", `${out}.json`, `${out}.md`], {
  stdio: "ignore",
});
console.log(`\nwrote ${out}.json and ${out}.md`);
