import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig(async () => ({
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
          MFA_SECRET: "test-only-mfa-secret-0123456789abcdefghijklmnopqrs",
        },
      },
    }),
  ],
  test: {
    name: "api-worker",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: [here("./test/setup.ts")],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
}));
