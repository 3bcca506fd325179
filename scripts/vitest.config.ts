import { defineConfig } from "vitest/config";

/** The scripts' own logic (deploy, doctor), in node, against local fakes of Cloudflare: never the network. */
export default defineConfig({
  test: {
    name: "scripts",
    environment: "node",
    include: ["lib/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
