/**
 * `pnpm preview`: the production build of the site and the API on a fresh, seeded local D1, as the browser
 * tests and Lighthouse see them (not the dev server). Ports: API 8797, site 4331 (PREVIEW_API_PORT,
 * PREVIEW_WEB_PORT). Stops everything on Ctrl-C. Add `--no-build` to reuse apps/web/dist.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isolatedRegistry,
  migrate,
  type Server,
  seedIfEmpty,
  startBackend,
  startBuiltWeb,
  waitForHttp,
} from "./lib/stack.ts";

const apiPort = Number(process.env.PREVIEW_API_PORT ?? 8797);
const webPort = Number(process.env.PREVIEW_WEB_PORT ?? 4331);
const log = (l: string) => process.stdout.write(`${l}\n`);

if (!process.argv.includes("--no-build")) {
  execFileSync("npx", ["-y", "pnpm@10.34.8", "--filter", "@fataplus/web", "run", "build"], {
    stdio: "inherit",
  });
}
const persist = mkdtempSync(join(tmpdir(), "fataplus-preview-state-"));
let api: Server | null = null;
let web: Server | null = null;
// Before anything starts: a stop while the servers start (the bench's time limit) must stop them too, as they
// run in process groups of their own.
const stop = async () => {
  await Promise.all([web?.stop(), api?.stop()]);
  rmSync(persist, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

migrate(persist);
await seedIfEmpty(persist);
const registry = isolatedRegistry(mkdtempSync(join(tmpdir(), "fataplus-preview-registry-")));
api = startBackend(persist, apiPort, log, registry, `http://localhost:${webPort}`);
await waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, api);
web = startBuiltWeb(webPort, log, registry);
await waitForHttp(`http://127.0.0.1:${webPort}/`, web);
console.log(`\nPreview ready: http://localhost:${webPort}  (portal: http://acme.localhost:${webPort})\n`);
