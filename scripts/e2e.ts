// `npm run e2e [-- files…] [--no-build]`: the browser tests of `npm test` (step 4) on their own, on a fresh stack
// (scripts/lib/e2e-stack.ts) and Debian's Chromium. With file names (for example `e2e/team.e2e.ts`), only those
// run. `--no-build` reuses the last `astro build` of apps/web.
// Ports: E2E_API_PORT (8807) and E2E_WEB_PORT (4341), so it can run beside `npm start` and `npm test`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { StackStartFailed, withE2eStack } from "./lib/e2e-stack.ts";
import { quietEnv, root, webDir } from "./lib/stack.ts";

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith("--")).map((f) => f.replace(/^apps\/web\//, ""));
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(`Chromium is missing at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}
if (!args.includes("--no-build"))
  execFileSync(join(webDir, "node_modules/.bin/astro"), ["build"], {
    cwd: webDir,
    env: quietEnv,
    stdio: "inherit",
  });

const ports = {
  api: Number(process.env.E2E_API_PORT ?? 8807),
  web: Number(process.env.E2E_WEB_PORT ?? 4341),
};
let status = 1;
try {
  status = await withE2eStack(ports, chromium, (env) => {
    const res = spawnSync(
      join(root, "node_modules/.bin/vitest"),
      ["run", "--config", "vitest.e2e.config.ts", "--root", "apps/web", ...files],
      { cwd: root, stdio: "inherit", env: { ...quietEnv, ...env } },
    );
    return res.status ?? 1;
  });
} catch (e) {
  if (!(e instanceof StackStartFailed)) throw e;
}
process.exit(status);
