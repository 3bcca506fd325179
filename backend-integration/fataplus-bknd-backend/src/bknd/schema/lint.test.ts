import { env } from "cloudflare:workers";
import { tenantOwnedTables } from "@fataplus/domain";
import { describe, expect, it } from "vitest";
import { lintSchema } from "./lint.ts";

describe("schema lint on the live, migrated D1", () => {
  it("every table follows the tenancy rules", async () => {
    expect(await lintSchema(env.DB, tenantOwnedTables)).toEqual([]);
  });

  it("catches a table that breaks them", async () => {
    await env.DB.batch([
      env.DB.prepare(
        "CREATE TABLE lint_probe (id TEXT PRIMARY KEY, tenant_id TEXT, project_id TEXT REFERENCES projects (id))",
      ),
      env.DB.prepare("CREATE TABLE lint_stray (id TEXT PRIMARY KEY)"),
      // an FTS5 table that is not the search index (search/fts.ts): it and its shadow tables are strays
      env.DB.prepare("CREATE VIRTUAL TABLE lint_fts USING fts5(label)"),
    ]);
    try {
      const problems = await lintSchema(env.DB, [...tenantOwnedTables, "lint_probe"]);
      expect(problems).toEqual(
        expect.arrayContaining([
          "lint_probe: tenant_id is nullable",
          "lint_probe: tenant_id does not reference tenants(id)",
          "lint_probe: foreign key to projects (project_id) is not composite with tenant_id",
          "lint_probe: no index starts with tenant_id",
          "lint_stray: neither tenant-owned nor declared global",
          "lint_fts: neither tenant-owned nor declared global",
          "lint_fts_data: neither tenant-owned nor declared global",
        ]),
      );
    } finally {
      await env.DB.batch([
        env.DB.prepare("DROP TABLE lint_probe"),
        env.DB.prepare("DROP TABLE lint_stray"),
        env.DB.prepare("DROP TABLE lint_fts"),
      ]);
    }
  });
});
