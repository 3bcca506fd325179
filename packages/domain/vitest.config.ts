import { defineConfig } from "vitest/config";

/** Pure code, in node. The verbs' tests on a real D1 are the `domain-worker` project (vitest.worker.config.ts). */
export default defineConfig({
  test: {
    name: "domain",
    environment: "node",
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.worker.test.ts", "**/node_modules/**"],
  },
});
