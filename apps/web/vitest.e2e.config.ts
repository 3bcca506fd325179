import { defineConfig } from "vitest/config";

// Browser smoke tests against running servers (web on WEB_URL, API worker behind it).
// Run with `pnpm --filter @fataplus/web test:e2e` once both workers are up.
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
