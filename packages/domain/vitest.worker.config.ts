import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The domain's verbs, tested beside them (`*.worker.test.ts`) inside workerd on a real local D1 with the real
 * migrations applied (testing/setup.ts) and a local R2. Each test file gets its own database.
 * Pure code keeps its node tests (vitest.config.ts).
 */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: "2026-10-01",
        compatibilityFlags: ["nodejs_compat"],
        d1Databases: ["DB"],
        r2Buckets: ["BUCKET"],
        bindings: { TEST_MIGRATIONS: await readD1Migrations(here("../../migrations")) },
      },
    }),
  ],
  test: {
    name: "domain-worker",
    include: ["src/**/*.worker.test.ts"],
    setupFiles: [here("./testing/setup.ts")],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
}));
