// `npm run deploy`: the platform on a Cloudflare account, from nothing, through wrangler (scripts/lib/deploy/).
//   npm run deploy                 log in first (npx wrangler login, or CLOUDFLARE_API_TOKEN + CLOUDFLARE_ACCOUNT_ID)
//   npm run deploy -- --dry-run    both workers built for production, the plan printed, nothing sent
// Secrets can be given in the environment instead of typed: JWT_SECRET=… RESEND_API_KEY=… npm run deploy
import { execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { GZIP_BUDGET_BYTES, kib } from "./lib/bundles.ts";
import { WranglerCloud } from "./lib/deploy/cloud.ts";
import { DeployError, deploy, SECRETS } from "./lib/deploy/deploy.ts";
import { deployDryRun } from "./lib/deploy/dry-run.ts";
import { quietEnv, root, webDir } from "./lib/stack.ts";

const bin = (name: string) => `${root}/node_modules/.bin/${name}`;

/** One line from the terminal; a secret's characters are not echoed. */
function ask(question: string, { secret }: { secret: boolean }): Promise<string> {
  if (!process.stdin.isTTY) return Promise.resolve("");
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (secret) process.stdout.write("\n");
      resolve(answer);
    });
    muted = secret;
  });
}

if (process.argv.includes("--dry-run")) {
  const { bundles, plan } = deployDryRun();
  console.log("deploy --dry-run: what a deploy creates or finds, then deploys (nothing was sent):");
  for (const line of plan) console.log(`  ${line}`);
  for (const b of bundles)
    console.log(
      b.ok
        ? `bundle ok    ${b.name}: ${kib(b.raw)} raw, ${kib(b.gzip)} gzipped (budget ${kib(GZIP_BUDGET_BYTES)})`
        : `bundle FAIL  ${b.name}: ${b.error ?? "over the budget"}`,
    );
  process.exit(bundles.every((b) => b.ok) ? 0 : 1);
}

try {
  await deploy({
    cloud: new WranglerCloud([bin("wrangler")], root, quietEnv),
    ask,
    log: (l) => console.log(l),
    buildWeb: () => {
      execFileSync(`${webDir}/node_modules/.bin/astro`, ["build"], {
        cwd: webDir,
        env: quietEnv,
        stdio: "inherit",
      });
    },
    given: Object.fromEntries(SECRETS.map((s) => [s.name, process.env[s.name]])),
  });
} catch (e) {
  console.error(e instanceof DeployError ? `deploy stopped: ${e.message}` : e);
  process.exit(1);
}
