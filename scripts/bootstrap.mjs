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
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(devVars, example.replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${secret}`));
  console.log("created backend-integration/fataplus-bknd-backend/.dev.vars with a random JWT_SECRET");
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
