/**
 * Every statement the MCP tools, the project summary and token authentication send to D1 is recorded and
 * explained: none may SCAN a tenant table (or the access token table).
 */
import {
  authenticateToken,
  type Ctx,
  listTokenTenants,
  projectSummary,
  type TenantRef,
  tenantOwnedTables,
  tokenCtx,
  tools,
} from "@fataplus/domain";
import { beforeAll, expect, it } from "vitest";
import { db, type Refs, scenario, type TestUser, toolCases } from "../../test/factories.ts";
import { makeAccessToken } from "../../test/mcp-factories.ts";
import { type Recorded, recordingD1, scansOf, touchesTenantTable } from "../../test/recording-d1.ts";

const TABLES = [...tenantOwnedTables, "access_tokens"];
let A: TenantRef;
let refsA: Refs;
let admin: TestUser;

beforeAll(async () => {
  // other tenants with rows, so that a missing tenant_id in an index would show as a SCAN
  const s = await scenario({
    tenants: ["A", "o1", "o2", "o3"],
    names: { A: "Plans" },
    seed: true,
    roles: ["admin"],
  });
  A = s.tenants.A;
  refsA = s.refs.A;
  admin = s.members.A.admin;
});

it("tools, the summary and token authentication never SCAN a tenant table", async () => {
  const log: Recorded[] = [];
  const rec = recordingD1(db(), log);
  const { token } = await makeAccessToken(admin, { scope: "write", tenants: [A] });
  const principal = await authenticateToken({ db: rec, now: () => new Date(), token });
  await listTokenTenants({ db: rec, principal });
  const ctx: Ctx = await tokenCtx({ db: rec, principal, tenantRef: A.subdomain, now: () => new Date() });
  // each tool with both argument sets of the tests' case table, and the task list filtered on a status too
  for (const tool of tools) {
    const c = toolCases[tool.name];
    for (const args of [c?.args(refsA) ?? {}, c?.attack?.(refsA)])
      if (args) await tool.run({ ctx, input: args });
  }
  await tools
    .find((t) => t.name === "list_tasks")
    ?.run({ ctx, input: { project_id: refsA.projects, status: "todo" } });
  await tools.find((t) => t.name === "get_project_metrics")?.run({ ctx, input: {} });
  await projectSummary({ ctx, input: { id: refsA.projects } });
  const relevant = log.filter((r) => touchesTenantTable(r.sql, TABLES));
  expect(relevant.length).toBeGreaterThan(tools.length);
  for (const r of relevant) {
    expect(await scansOf(db(), r, TABLES), r.sql).toEqual([]);
  }
});
