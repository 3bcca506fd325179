/**
 * The cross-tenant matrix, over the MCP tools. Generated from the domain's tool list × every tenant role:
 * members of tenant A, with write tokens covering all their tenants, call every tool with B named as the
 * tenant (subdomain and FP- id), with B's ids in every id argument, with B's names as search terms (and B's
 * full-text index tokens in FTS5 syntax), and compare counts. Each answer must contain nothing of B, and B's rows must not change.
 * A new tool fails the coverage test until it has an entry in the tests' case table (@fataplus/domain/testing).
 */
import {
  exposedEntityNames,
  ftsScopeToken,
  prompts,
  type TenantRef,
  type TenantRole,
  tenantRoles,
  tools,
} from "@fataplus/domain";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  db,
  labelsOf,
  mcpTool,
  type Refs,
  scenario,
  snapshotTenant,
  type TestUser,
  toolCases,
  toolNamesWhere,
} from "../../test/factories.ts";
import { makeAccessToken, mcpClient, patCall } from "../../test/mcp-factories.ts";

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let bSnapshot: string;
let bLabels: string[];
const users = {} as Record<TenantRole, TestUser>;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Tools A", B: "Tools B" },
    seed: true,
    roles: tenantRoles,
  });
  ({ A, B } = s.tenants);
  ({ A: refsA, B: refsB } = s.refs);
  Object.assign(users, s.members.A);
  bSnapshot = await snapshotTenant(B.id);
  bLabels = await labelsOf(db(), B.id);
});

afterEach(async () => {
  expect(await snapshotTenant(B.id)).toBe(bSnapshot);
});

/** Everything that would reveal B: its id, its rows' ids, its rows' names. */
const bMarkers = () => [B.id, ...Object.values(refsB), ...bLabels];

function expectNothingOfB(text: string, what: string) {
  for (const m of bMarkers()) expect(text, `${what} leaks ${m}`).not.toContain(m);
}

type Outcome = { text: string; result: CallToolResult | null; rpcError: string | null };

async function callTool(agent: Client, name: string, args: Record<string, unknown>): Promise<Outcome> {
  try {
    const result = (await agent.callTool({ name, arguments: args })) as CallToolResult;
    return { text: JSON.stringify(result), result, rpcError: null };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { text: message, result: null, rpcError: message };
  }
}

/** The answer to a role that may not use a tool: a tool error saying so (never an internal error). */
function expectRoleRefused(out: Outcome, what: string) {
  expect(out.result?.isError, what).toBe(true);
  expect(out.text, what).toMatch(/may not use/);
}

/** Arguments per tool, given the ids to use (A's, or B's to attack): the tests' case table. */
const argsFor = (name: string, r: Refs): Record<string, unknown> => {
  const c = toolCases[name];
  return (c?.attack ?? c?.args)?.(r) ?? {};
};

/** Tools without an id argument: nothing of B to point them at (naming B as the tenant is attacked above). */
const noIdArgs = new Set(toolNamesWhere((c) => c.noIds === true));

/** List tools and the table whose rows they count. */
const lists: Record<string, string> = Object.fromEntries(
  Object.entries(toolCases).flatMap(([name, c]) => (c.counts ? [[name, c.counts]] : [])),
);

it("every tool is in the matrix", () => {
  expect(toolNamesWhere(() => true)).toEqual(tools.map((t) => t.name).sort());
});

describe.each(tenantRoles)("a %s of A, through every tool", (role) => {
  let agent: Client;
  let token: string;

  beforeAll(async () => {
    token = (await makeAccessToken(users[role], { scope: "write", tenants: "all" })).token;
    agent = await mcpClient(token);
  });

  it("naming B as the tenant (subdomain or id) reveals nothing and changes nothing", async () => {
    for (const tool of tools) {
      for (const tenant of [B.subdomain, B.id, B.subdomain.toUpperCase(), ` ${B.id} `]) {
        const out = await callTool(agent, tool.name, { ...argsFor(tool.name, refsA), tenant });
        expectNothingOfB(out.text, `${tool.name} tenant=${tenant}`);
        expect(out.result?.isError ?? true, `${tool.name} tenant=${tenant}`).toBe(true);
      }
    }
  });

  it("every prompt, with B named as the tenant or B's ids as arguments, reveals nothing of B", async () => {
    const listed = (await agent.listPrompts()).prompts.map((p) => p.name);
    for (const prompt of prompts) {
      const ids = { project_id: refsB.projects, lead_id: refsB.leads };
      const attempts: Array<Record<string, string>> = [
        { ...ids },
        { ...ids, tenant: B.subdomain },
        { project_id: refsA.projects, lead_id: refsA.leads, tenant: B.id },
      ];
      for (const args of attempts) {
        const used = Object.fromEntries(
          Object.entries(args).filter(([k]) => k === "tenant" || prompt.arguments.some((a) => a.name === k)),
        );
        let text: string;
        try {
          text = JSON.stringify(await agent.getPrompt({ name: prompt.name, arguments: used }));
        } catch (e) {
          text = e instanceof Error ? e.message : String(e);
        }
        expectNothingOfB(text, `${role} prompt ${prompt.name} ${JSON.stringify(used)}`);
      }
      // offered only where the role may read through every tool the prompt uses
      expect(listed.includes(prompt.name), `${role} ${prompt.name}`).toBe(
        prompt.uses.every((t) => tools.find((x) => x.name === t)?.allowedFor(role)),
      );
    }
  });

  it("B's ids in every id argument reveal nothing, count nothing and change nothing", async () => {
    const aBefore = await snapshotTenant(A.id);
    for (const tool of tools) {
      if (noIdArgs.has(tool.name) && tool.name !== "search") continue;
      const out = await callTool(agent, tool.name, argsFor(tool.name, refsB));
      const what = `${role} ${tool.name}`;
      expectNothingOfB(out.text, what);
      const content = out.result?.structuredContent as { items?: unknown[]; total?: number } | undefined;
      if (!tool.allowedFor(role)) {
        expectRoleRefused(out, what);
      } else if (tool.name in lists) {
        // a filter on B's id matches nothing in A
        expect(out.result?.isError, what).toBeFalsy();
        expect(content?.total, what).toBe(0);
        expect(content?.items, what).toEqual([]);
      } else if (tool.name === "search") {
        expect(out.result?.isError, what).toBeFalsy();
      } else {
        // B's row is unknown here, exactly like a row that doesn't exist
        expect(out.result?.isError, what).toBe(true);
        expect(out.text, what).toMatch(
          /No \w+ with this id in this project|does not refer to anything in this project/,
        );
      }
    }
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });

  it("B's names as search terms find nothing", async () => {
    for (const label of bLabels) {
      const out = await callTool(agent, "search", { query: label });
      // the answer echoes the caller's own query; nothing else of B may be in it
      expectNothingOfB(out.text.replaceAll(label, ""), `search ${label}`);
      const content = out.result?.structuredContent as { results: unknown[] } | undefined;
      expect(content?.results ?? [], `search ${label}`).toEqual([]);
    }
  });

  it("FTS5 syntax, B's index tokens and column filters in the query find nothing of B and never fail", async () => {
    const bTokens = exposedEntityNames.map((e) => ftsScopeToken(e, B.id));
    const queries = [
      ...bTokens.flatMap((t) => [t, `scope:${t}`, `scope : "${t}"`, `${t}*`, `{scope label}:${t}`]),
      ...bLabels
        .slice(0, 3)
        .flatMap((l) => [
          `${l} OR scope : "${bTokens[0]}"`,
          `${l}" OR "${bTokens[2]}`,
          `NEAR(${l}, 5)`,
          `"${l}"*`,
          `label:${l} NOT x`,
        ]),
      `tenant_id:${B.id}`,
      `0tasks* OR 0clients*`,
      `a"b`,
      `"*"`,
      `()`,
      `^* ^*`,
    ];
    // its own token: the tool calls below would spend the shared token's rate limit (120 a minute)
    const own = await mcpClient(
      (await makeAccessToken(users[role], { scope: "read", tenants: "all" })).token,
    );
    const echoes = (q: string) => [
      JSON.stringify(JSON.stringify(q)).slice(3, -3),
      JSON.stringify(q).slice(1, -1),
      q,
    ];
    for (const query of queries) {
      const out = await callTool(own, "search", { query });
      const what = `${role} search ${query}`;
      expect(out.rpcError, what).toBeNull();
      expect(out.result?.isError, `${what}: ${out.text.slice(0, 200)}`).toBeFalsy();
      // the answer echoes the caller's own query (in JSON, inside JSON); nothing else of B may be in it
      expectNothingOfB(
        echoes(query).reduce((t, e) => t.replaceAll(e, ""), out.text),
        what,
      );
      const content = out.result?.structuredContent as { results: unknown[] } | undefined;
      expect(content?.results, what).toEqual([]);
    }
  });

  it("counts and metrics are A's alone", async () => {
    for (const [name, table] of Object.entries(lists)) {
      const out = await callTool(agent, name, {});
      expectNothingOfB(out.text, name);
      if (!tools.find((t) => t.name === name)?.allowedFor(role)) {
        expectRoleRefused(out, `${role} ${name}`);
        continue;
      }
      expect(out.result?.isError, `${role} ${name}: ${out.text.slice(0, 200)}`).toBeFalsy();
      const expected = await db()
        .prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
        .bind(A.id)
        .first<{ n: number }>();
      const content = out.result?.structuredContent as { total: number } | undefined;
      expect(content?.total, name).toBe(expected?.n);
    }
    const metrics = await callTool(agent, "get_project_metrics", {});
    expectNothingOfB(metrics.text, "metrics");
    const tasksInA = await db()
      .prepare("SELECT count(*) AS n FROM tasks WHERE tenant_id = ?")
      .bind(A.id)
      .first<{ n: number }>();
    const m = metrics.result?.structuredContent as { tasks: { total: number } } | undefined;
    expect(m?.tasks.total).toBe(tasksInA?.n);
  });

  it("a connection pinned to B, B's resources and B in the tool list are refused or absent", async () => {
    for (const query of [`?tenant=${B.subdomain}`, `?tenant=${B.id}`]) {
      const res = await patCall(token, mcpTool("list_tasks", {}), { query });
      expect(res.status, query).toBe(403);
      expectNothingOfB(await res.text(), query);
    }
    for (const tenant of [B.subdomain, A.subdomain]) {
      const uri = `fataplus://projects/${tenant}/${refsB.projects}/summary`;
      const out = await agent.readResource({ uri }).then(
        (r) => JSON.stringify(r),
        (e: unknown) => String(e),
      );
      expect(out, uri).toMatch(/not found/i);
      expectNothingOfB(out.replace(uri, ""), uri);
    }
    const listed = JSON.stringify(await agent.listTools());
    expect(listed).not.toContain(B.subdomain);
    expectNothingOfB(listed, "tools/list");
    const resources = JSON.stringify(await agent.listResources());
    expectNothingOfB(resources, "resources/list");
    expect(resources).not.toContain(B.subdomain);
  });
});
