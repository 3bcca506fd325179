// `npm test`: every test suite, from a clean clone. Ends with one line: `N passed, N failed`.
//  0. lint: biome and the layering rules (.dependency-cruiser.cjs)
//  1. unit + worker suites (vitest projects: domain, api-client, web, api-worker on workerd + local D1)
//  2. `npm run deploy -- --dry-run`: both workers bundled for production from the generated configs (`wrangler
//     deploy --dry-run`), the deploy plan and the sizes printed, held to a budget
//  3. bench smoke: `node scripts/bench.ts --smoke --no-build` (one short round of every bench scenario, on the
//     site built in step 2, on ports of its own), one tally per checked scenario, under a time limit
//  4. browser tests: a fresh local D1, the API worker and the built site under wrangler, Debian's Chromium
//     driven by playwright-core (in a separate dev registry, so a running `npm start` is not disturbed)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchSmoke } from "./lib/bench-smoke.ts";
import { GZIP_BUDGET_BYTES, kib } from "./lib/bundles.ts";
import { deployDryRun } from "./lib/deploy/dry-run.ts";
import { StackStartFailed, withE2eStack } from "./lib/e2e-stack.ts";
import { quietEnv, root } from "./lib/stack.ts";

type Tally = { suite: string; passed: number; failed: number; seconds: number };
const tallies: Tally[] = [];
const bin = (name: string) => join(root, "node_modules/.bin", name);
const t = () => performance.now();

function vitest(suite: string, args: string[], env: Record<string, string> = {}): void {
  const start = t();
  const report = join(mkdtempSync(join(tmpdir(), "fataplus-vitest-")), "report.json");
  const res = spawnSync(
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...quietEnv, ...env },
    },
  );
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: { status: string; assertionResults: { status: string }[] }[];
    };
    passed = r.numPassedTests;
    // each failed test once, plus each file that failed without a failed test (it did not load, a hook threw);
    // numFailedTestSuites would count a failed test again for its file and for every describe around it
    const brokenFiles = r.testResults.filter(
      (f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"),
    ).length;
    failed = r.numFailedTests + brokenFiles;
  }
  if (res.status !== 0 && failed === 0) failed = 1; // the run itself failed (config, startup): count it
  tallies.push({ suite, passed, failed, seconds: (t() - start) / 1000 });
}

function ensureChromium(): string | null {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return path;
  if (process.getuid?.() !== 0) {
    console.error(
      `Chromium is missing at ${path}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
    return null;
  }
  console.log("installing Chromium from Debian (apt-get install chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
    stdio: "inherit",
    env,
  });
  return existsSync(path) ? path : null;
}

// 0. lint: biome (format and code rules), the layering rules (dependency-cruiser), strict TypeScript
for (const [suite, cmd, args] of [
  ["lint: biome", bin("biome"), ["check", "."]],
  [
    "lint: layers",
    bin("depcruise"),
    ["packages", "backend-integration", "apps", "scripts", "--config", ".dependency-cruiser.cjs"],
  ],
] as const) {
  const start = t();
  const res = spawnSync(cmd, [...args], { cwd: root, stdio: "inherit", env: quietEnv });
  tallies.push({
    suite,
    passed: res.status === 0 ? 1 : 0,
    failed: res.status === 0 ? 0 : 1,
    seconds: (t() - start) / 1000,
  });
}

// 1. unit and worker suites
vitest("unit + api-worker", []);

// 2. bundles
{
  const start = t();
  const { bundles: results, plan } = deployDryRun();
  for (const line of plan) console.log(`deploy plan  ${line}`);
  for (const b of results) {
    if (b.ok)
      console.log(
        `bundle ok    ${b.name}: ${kib(b.raw)} raw, ${kib(b.gzip)} gzipped (budget ${kib(GZIP_BUDGET_BYTES)})`,
      );
    else
      console.log(
        `bundle FAIL  ${b.name}: ${b.error ?? `${kib(b.gzip)} gzipped is over the ${kib(GZIP_BUDGET_BYTES)} budget`}`,
      );
  }
  tallies.push({
    suite: "bundles",
    passed: results.filter((b) => b.ok).length,
    failed: results.filter((b) => !b.ok).length,
    seconds: (t() - start) / 1000,
  });
}

// Chromium: Lighthouse in the bench smoke, then the browser tests
const chromium = ensureChromium();

// 3. bench smoke: the bench still runs and measures (it rots otherwise: nothing else runs it)
tallies.push(
  await benchSmoke({
    basePort: Number(process.env.TEST_BENCH_PORT ?? 8870), // api 8870-8872, pages 8875-8876
    limitSeconds: Number(process.env.TEST_BENCH_TIMEOUT_S ?? 600),
    chromium,
  }),
);

// 4. browser smoke test on a fresh stack
{
  const start = t();
  if (!chromium) {
    tallies.push({ suite: "e2e", passed: 0, failed: 1, seconds: 0 });
  } else {
    const apiPort = Number(process.env.TEST_API_PORT ?? 8797); // set both to run two test commands at once
    const webPort = Number(process.env.TEST_WEB_PORT ?? 4331);
    try {
      await withE2eStack({ api: apiPort, web: webPort }, chromium, (env) => {
        tallies.push({ suite: "e2e stack start", passed: 1, failed: 0, seconds: (t() - start) / 1000 });
        vitest("e2e (Chromium)", ["--config", "vitest.e2e.config.ts", "--root", "apps/web"], env);
      });
    } catch (e) {
      if (!(e instanceof StackStartFailed)) throw e;
      tallies.push({ suite: "e2e stack start", passed: 0, failed: 1, seconds: (t() - start) / 1000 });
    }
  }
}

console.log("\nSuites:");
for (const s of tallies)
  console.log(
    `  ${s.suite.padEnd(22)} ${String(s.passed).padStart(4)} passed, ${s.failed} failed  (${s.seconds.toFixed(1)} s)`,
  );
const passed = tallies.reduce((n, s) => n + s.passed, 0);
const failed = tallies.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
