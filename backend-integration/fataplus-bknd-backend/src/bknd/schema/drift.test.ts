/**
 * bknd's entity definitions must mirror the SQL migrations. The migrations are applied to a real local D1
 * (test/setup.ts); bknd is then asked what it would change to match its entities: nothing.
 */

import { env } from "cloudflare:workers";
import { createApp } from "bknd/adapter/cloudflare";
import { describe, expect, it } from "vitest";
import { bkndConfig } from "../app.ts";
import { GLOBAL_TABLES, INDEX_TABLES } from "./lint.ts";

/**
 * Tables that only the migrations know (bknd has no entity for them): global tables, the search index's FTS5
 * table and its shadow tables (migration 0011; bknd ignores views, so search_source is not listed), and
 * wrangler's own d1_migrations. bknd lists them as drops, which is why it must never sync with drop against a
 * real database.
 */
const NOT_BKND_ENTITIES = [
  ...GLOBAL_TABLES.filter((t) => t !== "tenants" && t !== "users"),
  ...INDEX_TABLES,
  "d1_migrations",
];

async function diffFor(config: typeof bkndConfig) {
  const app = await createApp(config, { env });
  const diff = await app.em.schema().getDiff();
  return diff.filter((t) => !(t.isDrop && (NOT_BKND_ENTITIES as readonly string[]).includes(t.name)));
}

describe("bknd entities ↔ SQL migrations", () => {
  it("bknd sees no difference after the migrations", async () => {
    expect(await diffFor(bkndConfig)).toEqual([]);
  });

  it("a field that exists only in bknd is reported as drift", async () => {
    const drifted = {
      ...bkndConfig,
      app: async (e: Env) => {
        const base = typeof bkndConfig.app === "function" ? await bkndConfig.app(e) : (bkndConfig.app ?? {});
        const data = structuredClone(base.config?.data ?? {}) as {
          entities?: Record<string, { fields: Record<string, unknown> }>;
        };
        const tasks = data.entities?.tasks;
        if (tasks) tasks.fields.estimate_hours = { type: "number", config: {} };
        return { ...base, config: { ...base.config, data } };
      },
    } as typeof bkndConfig;
    const diff = await diffFor(drifted);
    expect(diff).toEqual([
      expect.objectContaining({
        name: "tasks",
        columns: expect.objectContaining({ add: ["estimate_hours"] }),
      }),
    ]);
  });
});
