/// <reference types="@cloudflare/vitest-plugin/types" />
// The bindings of the domain's workerd test project (vitest.worker.config.ts).
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    BUCKET: R2Bucket;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
