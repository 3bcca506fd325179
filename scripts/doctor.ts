// `npm run doctor`: checks a deployment, and says what to do about each failed check (scripts/lib/deploy/doctor.ts).
//   npm run doctor                     production: https://fata.plus, https://bknd.fata.plus, the account via wrangler
//   npm run doctor -- --local          the local stack of `npm start` (:4321, :8787, .wrangler/state)
//   npm run doctor -- --local --site http://localhost:4331 --api http://localhost:8797 --persist-to <dir>
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WranglerCloud } from "./lib/deploy/cloud.ts";
import { defaultPaths } from "./lib/deploy/config.ts";
import { NAMES, WORKERS } from "./lib/deploy/deploy.ts";
import { localTarget, report, runChecks, type Target } from "./lib/deploy/doctor.ts";
import { backendDir, quietEnv, root } from "./lib/stack.ts";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
};
const wrangler = join(root, "node_modules/.bin/wrangler");

let target: Target;
if (process.argv.includes("--local")) {
  target = localTarget({
    root,
    wrangler,
    persistTo: arg("--persist-to", join(root, ".wrangler/state")),
    site: arg("--site", "http://localhost:4321"),
    api: arg("--api", "http://localhost:8787"),
    devVars: join(backendDir, ".dev.vars"),
    apiToml: join(backendDir, "wrangler.toml"),
  });
} else {
  if (!existsSync(defaultPaths.apiOut)) {
    console.error("no production config: run `npm run deploy` first (it writes wrangler.production.json)");
    process.exit(1);
  }
  const config = JSON.parse(readFileSync(defaultPaths.apiOut, "utf8")) as { vars?: Record<string, string> };
  const cloud = new WranglerCloud([wrangler], root, quietEnv);
  const domain = arg("--domain", "fata.plus");
  target = {
    name: "production",
    site: `https://${domain}`,
    api: `https://bknd.${domain}`,
    portal: `https://doctor-check.${domain}/`,
    migrationsDir: join(root, "migrations"),
    vars: config.vars ?? {},
    secrets: () => cloud.listSecrets(defaultPaths.apiOut, WORKERS.api),
    query: (sql) => cloud.d1Query(defaultPaths.apiOut, NAMES.d1, sql),
  };
}
const checks = await runChecks(target);
for (const line of report(checks)) console.log(line);
process.exit(checks.every((c) => c.ok) ? 0 : 1);
