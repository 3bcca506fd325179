import { defineConfig } from "vitest/config";

// Unit tests only (pure modules, Node environment). Browser smoke tests: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    name: "web",
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
