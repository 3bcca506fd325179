import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The local fake OIDC provider (packages/fake-oidc) the single sign-on tests sign in against: a free port is
 * chosen here, so the worker's bindings can name it, and test/fake-oidc.global.ts starts it there.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}
const oidcPort = Number(process.env.FAKE_OIDC_PORT ?? (await freePort()));
process.env.FAKE_OIDC_PORT = String(oidcPort);
const oidc = `http://127.0.0.1:${oidcPort}`;
// the local fake of Stripe's API (test/fake-stripe.global.ts), for the card payment tests (decision 028)
const stripePort = Number(process.env.FAKE_STRIPE_PORT ?? (await freePort()));
process.env.FAKE_STRIPE_PORT = String(stripePort);

/**
 * The stripe package (decision 028) as one pre-built module for the tests: served file by file (~270 modules
 * with inline source maps) it pushes what vitest sends each new test worker past workerd's 1 MiB WebSocket
 * message, and the next test file's worker dies. esbuild (vite's own) bundles its worker build once here;
 * wrangler bundles the real package for deployment as usual.
 */
async function stripeBundle(): Promise<string> {
  const domainRequire = createRequire(here("../../packages/domain/package.json"));
  const entry = domainRequire
    .resolve("stripe")
    .replace(/cjs\/stripe\.cjs\.node\.js$/, "esm/stripe.esm.worker.js");
  const esbuild = createRequire(domainRequire.resolve("vite")).resolve("esbuild");
  const { build } = (await import(esbuild)) as typeof import("esbuild");
  const out = here("./node_modules/.cache/stripe.worker.bundle.mjs");
  mkdirSync(here("./node_modules/.cache"), { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: out,
    minify: true,
    legalComments: "none",
    logLevel: "error",
  });
  return out;
}
const stripeModule = await stripeBundle();

export default defineConfig(async () => ({
  resolve: { alias: [{ find: /^stripe$/, replacement: stripeModule }] },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here("./wrangler.toml") },
      miniflare: {
        // an empty second database: the per-tenant backup is restored into it (src/bknd/schema/backup.test.ts)
        d1Databases: { DB: "00000000-0000-4000-8000-00000000f4a7", RESTORE_DB: "restore-test-db" },
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here("../../migrations")),
          // a test-only secret; the real one comes from .dev.vars or `wrangler secret put`
          JWT_SECRET: "test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz",
          FILES_SIGNING_SECRET: "test-only-files-secret-0123456789abcdefghijklmnop",
          // single sign-on against the local fake provider (test/fake-oidc.global.ts); never a real one
          FAKE_OIDC_URL: oidc,
          SSO_GOOGLE_ISSUER: `${oidc}/google`,
          SSO_GOOGLE_CLIENT_ID: "fataplus-test-google",
          SSO_GOOGLE_CLIENT_SECRET: "test-only-google-secret",
          SSO_MICROSOFT_ISSUER: `${oidc}/microsoft`,
          SSO_MICROSOFT_CLIENT_ID: "fataplus-test-microsoft",
          SSO_MICROSOFT_CLIENT_SECRET: "test-only-microsoft-secret",
          MFA_SECRET: "test-only-mfa-secret-0123456789abcdefghijklmnopqrs",
          STRIPE_SECRET_KEY: "sk_test_fake_0123456789",
          STRIPE_WEBHOOK_SECRET: "whsec_test_only_0123456789",
          STRIPE_API_URL: `http://127.0.0.1:${stripePort}`,
          STRIPE_TIMEOUT_MS: "1000",
          FAKE_STRIPE_URL: `http://127.0.0.1:${stripePort}`,
        },
      },
    }),
  ],
  test: {
    name: "api-worker",
    // see the root vitest.config.ts: the warm-module snapshot outgrew workerd's 1 MiB WebSocket message
    fsModuleCache: false,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: [here("./test/setup.ts")],
    globalSetup: [here("./test/fake-oidc.global.ts"), here("./test/fake-stripe.global.ts")],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // the worker's access line per request (src/http/observe.ts): thousands per run, read by tests, not printed
    onConsoleLog: (log) => !log.includes('"msg":"request"'),
  },
}));
