/**
 * The test command's "bench smoke" suite: `node scripts/bench.ts --smoke --no-build` (one short round of every
 * scenario of the bench, on the site the bundles step built) on ports of its own, under a time limit. Each
 * scenario the bench checked is one pass or one failure; a crash, a time-out, a run that reported nothing or a
 * port still in use afterwards is one failure each.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quietEnv, root } from "./stack.ts";

export type SmokeTally = { suite: string; passed: number; failed: number; seconds: number };
type Check = { part: string; scenario: string; ok: boolean; detail?: string };

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function benchSmoke(opts: {
  /** api uses basePort..basePort+2, pages basePort+5 and basePort+6 */
  basePort: number;
  limitSeconds: number;
  chromium: string | null;
}): Promise<SmokeTally> {
  const start = performance.now();
  const ports = [0, 1, 2, 5, 6].map((i) => opts.basePort + i);
  const dir = mkdtempSync(join(tmpdir(), "fataplus-bench-smoke-"));
  const out = join(dir, "smoke");
  const failures: string[] = [];
  for (const port of ports)
    if (await listening(port)) failures.push(`port ${port} is already in use before the smoke run`);
  // its own process group, so that the time limit stops the bench and the workerd processes it started
  const child = spawn(
    join(root, "node_modules/.bin/node"),
    [join(root, "scripts/bench.ts"), "--smoke", "--no-build", "--ports", String(opts.basePort), "--out", out],
    {
      cwd: root,
      stdio: "inherit",
      detached: true,
      env: { ...quietEnv, ...(opts.chromium ? { CHROME_PATH: opts.chromium } : {}) },
    },
  );
  const signal = (s: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, s);
    } catch {}
  };
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.on("error", (e) => {
      failures.push(`could not start the bench: ${e.message}`);
      resolve(null);
    });
  });
  let timedOut = false;
  let kill: NodeJS.Timeout | undefined;
  // SIGTERM first: the bench stops what it started (the preview runs in process groups of its own)
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`bench smoke: over ${opts.limitSeconds} s, stopping it`);
    signal("SIGTERM");
    kill = setTimeout(() => signal("SIGKILL"), 30_000);
  }, opts.limitSeconds * 1000);
  const code = await exited;
  clearTimeout(timer);
  clearTimeout(kill);
  signal("SIGKILL"); // whatever is left of its group

  let passed = 0;
  if (existsSync(`${out}.json`)) {
    const report = JSON.parse(readFileSync(`${out}.json`, "utf8")) as { checks?: Check[] };
    for (const c of report.checks ?? []) {
      if (c.ok) passed++;
      else failures.push(`${c.part}: ${c.scenario}: ${c.detail ?? ""}`);
    }
  }
  if (timedOut) failures.push(`timed out after ${opts.limitSeconds} s`);
  else if (code !== 0 && failures.length === 0) failures.push(`the bench exited with code ${code}`);
  if (passed + failures.length === 0) failures.push("the bench reported no check");
  // nothing it started may still listen on its ports
  await new Promise((r) => setTimeout(r, 1000));
  for (const port of ports)
    if (await listening(port)) failures.push(`port ${port} still in use after the smoke run`);
  for (const f of failures) console.log(`bench smoke FAIL  ${f}`);
  rmSync(dir, { recursive: true, force: true });
  return {
    suite: "bench smoke",
    passed,
    failed: failures.length,
    seconds: (performance.now() - start) / 1000,
  };
}
