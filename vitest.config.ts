import { defineConfig } from "vitest/config";

/**
 * Every unit and worker test suite, one vitest project each (tests sit beside their code):
 *   domain         packages/domain          node (pure code)
 *   domain-worker  packages/domain          the verbs, inside workerd, real local D1 + R2 with the migrations
 *   api-client   packages/api-client        node
 *   web          apps/web (src/)            node
 *   api-worker   the bknd worker            inside workerd, real local D1 (@cloudflare/vitest-plugin)
 *   scripts      scripts/lib                node: deploy and doctor against local fakes of Cloudflare
 * The browser smoke tests (apps/web/e2e) need both workers running: scripts/test-all.ts starts them.
 */
export default defineConfig({
  test: {
    // Off: with it, each new workerd test worker asks for the "warm" modules and the Cloudflare pool inlines all of
    // their code into one WebSocket message, which passed workerd's 1 MiB limit once the API worker grew ("Message
    // is too large"; every test file after the first then died). Each worker fetches its modules one by one instead.
    fsModuleCache: false,
    // the API worker's access line per request (src/http/observe.ts): thousands per run, read by tests, not
    // printed (a project's own onConsoleLog is not used when the projects run from here)
    onConsoleLog: (log) => !log.includes('"msg":"request"'),
    projects: [
      "packages/domain/vitest.config.ts",
      "packages/domain/vitest.worker.config.ts",
      "packages/api-client/vitest.config.ts",
      "apps/web/vitest.config.ts",
      "backend-integration/fataplus-bknd-backend/vitest.config.ts",
      "scripts/vitest.config.ts",
    ],
  },
});
