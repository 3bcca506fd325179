// `npm run e2e [-- files…] [--no-build]`: the browser tests of `npm test` (step 4) on their own, on a fresh local
// D1, the API worker and the built site under wrangler, and Debian's Chromium. With file names (for example
// `e2e/team.e2e.ts`), only those run. `--no-build` reuses the last `astro build` of apps/web.
// Ports: E2E_API_PORT (8807) and E2E_WEB_PORT (4341), so it can run beside `npm start` and `npm test`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isolatedRegistry,
  migrate,
  quietEnv,
  root,
  seedIfEmpty,
  ssoVars,
  startBackend,
  startBuiltWeb,
  startFakeProvider,
  waitForHttp,
  webDir,
} from "./lib/stack.ts";

const args = process.argv.slice(2);
const noBuild = args.includes("--no-build");
const files = args.filter((a) => !a.startsWith("--")).map((f) => f.replace(/^apps\/web\//, ""));
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(`Chromium is missing at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}
if (!noBuild)
  execFileSync(join(webDir, "node_modules/.bin/astro"), ["build"], {
    cwd: webDir,
    env: quietEnv,
    stdio: "inherit",
  });

const apiPort = Number(process.env.E2E_API_PORT ?? 8807);
const webPort = Number(process.env.E2E_WEB_PORT ?? 4341);
const persist = mkdtempSync(join(tmpdir(), "fataplus-e2e-state-"));
const logs: string[] = [];
const log = (l: string) => logs.push(l);
let status = 1;
const fake = await startFakeProvider(0, log);
let api: ReturnType<typeof startBackend> | null = null;
let web: ReturnType<typeof startBuiltWeb> | null = null;
try {
  migrate(persist);
  await seedIfEmpty(persist);
  const registry = isolatedRegistry(mkdtempSync(join(tmpdir(), "fataplus-e2e-registry-")));
  api = startBackend(persist, apiPort, log, registry, `http://localhost:${webPort}`, ssoVars(fake));
  await waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, api);
  web = startBuiltWeb(webPort, log, registry);
  await waitForHttp(`http://127.0.0.1:${webPort}/`, web);
  const res = spawnSync(
    join(root, "node_modules/.bin/vitest"),
    ["run", "--config", "vitest.e2e.config.ts", "--root", "apps/web", ...files],
    {
      cwd: root,
      stdio: "inherit",
      env: {
        ...quietEnv,
        WEB_URL: `http://localhost:${webPort}`,
        API_URL: `http://localhost:${apiPort}`,
        CHROMIUM_PATH: chromium,
        FAKE_OIDC_URL: fake.url,
      },
    },
  );
  status = res.status ?? 1;
} catch (e) {
  console.error("could not start the stack for the browser tests:", e);
  console.error(logs.slice(-40).join("\n"));
} finally {
  await Promise.all([web?.stop(), api?.stop(), fake.stop()]);
  rmSync(persist, { recursive: true, force: true });
}
process.exit(status);
