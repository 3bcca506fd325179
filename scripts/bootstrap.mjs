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

// The git-ignored local values of each worker: created from its .dev.vars.example and completed when the
// example gains a key. A key whose example value is `generate` gets a fresh
// random secret on this machine.
const keysOf = (text) =>
  new Set(
    text
      .split("\n")
      .map((l) => l.split("=")[0]?.trim())
      .filter((k) => k && !k.startsWith("#")),
  );
function completeDevVars(relative) {
  const path = join(root, relative);
  const example = readFileSync(`${path}.example`, "utf8");
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  const have = keysOf(current);
  const missing = example
    .split("\n")
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l) && !have.has(l.split("=")[0]))
    .map((l) => {
      const [key, ...rest] = l.split("=");
      const value = rest.join("=");
      const secret = value === "generate";
      return secret ? `${key}=${randomBytes(48).toString("base64url")}` : l;
    });
  if (missing.length === 0) return;
  writeFileSync(path, `${current}${current && !current.endsWith("\n") ? "\n" : ""}${missing.join("\n")}\n`);
  console.log(`${relative}: added ${missing.map((l) => l.split("=")[0]).join(", ")}`);
}
completeDevVars("backend-integration/fataplus-bknd-backend/.dev.vars");
completeDevVars("apps/web/.dev.vars");
console.log(`bootstrap: install done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
