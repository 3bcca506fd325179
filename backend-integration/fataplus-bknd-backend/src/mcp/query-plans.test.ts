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
import { db, type Refs, scenario, type TestUser } from "../../test/factories.ts";
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

const argsFor = (r: Refs): Record<string, Record<string, unknown>> => ({
  list_projects: { status: "planned" },
  get_project: { id: r.projects },
  list_tasks: { project_id: r.projects, status: "todo" },
  get_task: { id: r.tasks },
  create_task: { project_id: r.projects, title: "plan" },
  update_task_status: { id: r.tasks, status: "review" },
  list_clients: {},
  get_client: { id: r.clients },
  list_leads: { stage: "new" },
  get_lead: { id: r.leads },
  get_project_metrics: { project_id: r.projects },
  search: { query: "Task" },
  list_documents: {},
  post_message: { body: "plan" },
});

it("tools, the summary and token authentication never SCAN a tenant table", async () => {
  const log: Recorded[] = [];
  const rec = recordingD1(db(), log);
  const { token } = await makeAccessToken(admin, { scope: "write", tenants: [A] });
  const principal = await authenticateToken({ db: rec, now: () => new Date(), token });
  await listTokenTenants({ db: rec, principal });
  const ctx: Ctx = await tokenCtx({ db: rec, principal, tenantRef: A.subdomain, now: () => new Date() });
  const args = argsFor(refsA);
  for (const tool of tools) await tool.run({ ctx, input: args[tool.name] ?? {} });
  await tools.find((t) => t.name === "get_project_metrics")?.run({ ctx, input: {} });
  await projectSummary({ ctx, input: { id: refsA.projects } });
  const relevant = log.filter((r) => touchesTenantTable(r.sql, TABLES));
  expect(relevant.length).toBeGreaterThan(tools.length);
  for (const r of relevant) {
    expect(await scansOf(db(), r, TABLES), r.sql).toEqual([]);
  }
});
