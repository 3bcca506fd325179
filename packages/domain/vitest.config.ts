import { defineConfig } from "vitest/config";

// test-node/: tests that need Node itself (a local fake HTTP server for the AI adapters); they have their own
// tsconfig so that the domain's sources never see Node's types.
export default defineConfig({
  test: { name: "domain", environment: "node", include: ["src/**/*.test.ts", "test-node/**/*.test.ts"] },
});
