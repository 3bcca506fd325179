// Runs on the machine's own Node (20 or later) before anything else: installs the workspace with pnpm 10
// (which also brings Node 24 into node_modules/.bin) and creates the git-ignored dev secrets.
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? " --frozen-lockfile" : "";
execSync(`npx -y pnpm@10.34.8 install${frozen}`, { cwd: root, stdio: "inherit" });

const devVars = join(root, "backend-integration/fataplus-bknd-backend/.dev.vars");
if (!existsSync(devVars)) {
  const example = readFileSync(`${devVars}.example`, "utf8");
  // Every `KEY=change-me…` of the example (JWT_SECRET, FILES_SIGNING_SECRET) gets its own random value.
  writeFileSync(
    devVars,
    example.replace(/^([A-Z_]+)=change-me.*$/gm, (_, k) => `${k}=${randomBytes(48).toString("base64url")}`),
  );
  console.log("created backend-integration/fataplus-bknd-backend/.dev.vars with random secrets");
}
// Secrets the example gained since .dev.vars was created get a fresh random value too.
{
  const example = readFileSync(`${devVars}.example`, "utf8");
  const current = readFileSync(devVars, "utf8");
  const missing = example
    .split("\n")
    .map((l) => /^([A-Z_]+)=change-me/.exec(l)?.[1])
    .filter((k) => k && !new RegExp(`^${k}=`, "m").test(current));
  if (missing.length > 0) {
    const lines = missing.map((k) => `${k}=${randomBytes(48).toString("base64url")}`).join("\n");
    writeFileSync(devVars, `${current}${current.endsWith("\n") ? "" : "\n"}${lines}\n`);
    console.log(`backend-integration/fataplus-bknd-backend/.dev.vars: added ${missing.join(", ")}`);
  }
}
// The site's local values: created from the example, and completed when the example gains a key.
const webVars = join(root, "apps/web/.dev.vars");
const keysOf = (text) =>
  new Set(
    text
      .split("\n")
      .map((l) => l.split("=")[0]?.trim())
      .filter((k) => k && !k.startsWith("#")),
  );
const webExample = readFileSync(`${webVars}.example`, "utf8");
const webCurrent = existsSync(webVars) ? readFileSync(webVars, "utf8") : "";
const missing = webExample
  .split("\n")
  .filter((l) => /^[A-Z_]+=/.test(l) && !keysOf(webCurrent).has(l.split("=")[0]));
if (missing.length > 0) {
  writeFileSync(
    webVars,
    `${webCurrent}${webCurrent && !webCurrent.endsWith("\n") ? "\n" : ""}${missing.join("\n")}\n`,
  );
  console.log(`apps/web/.dev.vars: added ${missing.map((l) => l.split("=")[0]).join(", ")}`);
}
console.log(`bootstrap: install done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
