/**
 * Bundles both workers the way `wrangler deploy` would (`--dry-run --outdir`), and measures what would be
 * uploaded. The budget is the Workers free plan's limit (3 MiB gzipped), so a small agency can self-host.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { backendDir, quietEnv, root, webDir } from "./stack.ts";

export const GZIP_BUDGET_BYTES = 3 * 1024 * 1024;

const bin = (name: string) => join(root, "node_modules/.bin", name);

function measure(dir: string): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(m?js|wasm)$/.test(name)) {
        const buf = readFileSync(p);
        raw += buf.length;
        gzip += gzipSync(buf).length;
      }
    }
  };
  walk(dir);
  return { raw, gzip };
}

export type BundleResult = { name: string; raw: number; gzip: number; ok: boolean; error?: string };

/** Step: a command, or a function run in between (it returns nothing). */
type Step = [string, string[], string] | (() => void);

/**
 * `production`: the generated production configs (scripts/lib/deploy: `npm run deploy -- --dry-run`), the
 * site's written once it is built; without it, each worker's own wrangler config.
 */
export function buildBundles(production?: { api: string; web: () => string }): BundleResult[] {
  const out: BundleResult[] = [];
  const run = (name: string, steps: Step[], outdir: string) => {
    try {
      for (const step of steps) {
        if (typeof step === "function") {
          step();
          continue;
        }
        const [cmd, args, cwd] = step;
        execFileSync(cmd, args, { cwd, env: quietEnv, stdio: ["ignore", "pipe", "pipe"] });
      }
      const size = measure(outdir);
      out.push({ name, ...size, ok: size.gzip > 0 && size.gzip <= GZIP_BUDGET_BYTES });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      out.push({
        name,
        raw: 0,
        gzip: 0,
        ok: false,
        error: (err.stderr?.toString() || err.message).slice(-2000),
      });
    }
  };
  const apiOut = mkdtempSync(join(tmpdir(), "fataplus-api-bundle-"));
  run(
    "api worker (bknd + gate)",
    [
      [
        bin("wrangler"),
        production
          ? ["deploy", "--dry-run", "--config", production.api, "--outdir", apiOut]
          : ["deploy", "--dry-run", "--env", "production", "--outdir", apiOut],
        backendDir,
      ],
    ],
    apiOut,
  );
  const webOut = mkdtempSync(join(tmpdir(), "fataplus-web-bundle-"));
  run(
    "web worker (Astro)",
    [
      [join(webDir, "node_modules/.bin/astro"), ["build"], webDir],
      ...(production
        ? [
            () => {
              const config = production.web(); // from what astro build just wrote
              execFileSync(bin("wrangler"), ["deploy", "--dry-run", "--config", config, "--outdir", webOut], {
                cwd: webDir,
                env: quietEnv,
                stdio: ["ignore", "pipe", "pipe"],
              });
            },
          ]
        : [[bin("wrangler"), ["deploy", "--dry-run", "--outdir", webOut], webDir] as Step]),
    ],
    webOut,
  );
  return out;
}

export const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
