/**
 * One MCP server per isolate (decision 017): every HTTP request is served by the same SDK server, and what a
 * request may see (its token, its user, its tenants) never leaks into another request served at the same time,
 * even when both use the same JSON-RPC ids.
 */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { mcpCall, mcpTool, type Refs, scenario, type TestUser } from "../../test/factories.ts";
import { auditOf, makeAccessToken } from "../../test/mcp-factories.ts";
import { mcpHub } from "./server.ts";

type Caller = { tenant: TenantRef; refs: Refs; user: TestUser; token: string; tokenId: string };
const callers: Caller[] = [];

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B", "C"],
    names: { A: "Hub A", B: "Hub B", C: "Hub C" },
    seed: true,
    roles: ["project_manager"],
  });
  for (const key of ["A", "B", "C"] as const) {
    const user = s.members[key].project_manager;
    const { token, id } = await makeAccessToken(user, { tenants: [s.tenants[key]] });
    callers.push({ tenant: s.tenants[key], refs: s.refs[key], user, token, tokenId: id });
  }
});

const HEADERS = { "mcp-protocol-version": "2025-11-25" };
const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "hub-test", version: "1" } },
};

describe("one MCP server per isolate", () => {
  it("serves every request with the same server", async () => {
    const hub = await mcpHub();
    const before = hub.served;
    for (const c of callers)
      expect((await mcpCall(c.token, null, mcpTool("list_projects", {}))).status).toBe(200);
    expect(hub.served - before).toBe(callers.length);
    expect(await mcpHub()).toBe(hub);
  });

  it("requests at the same time, with the same JSON-RPC ids, each get their own caller's answer", async () => {
    const rounds = 8;
    const work = Array.from({ length: rounds * callers.length }, (_, i) => {
      const c = callers[i % callers.length] as Caller;
      // every message has id 1; half the connections pinned to the tenant, the others name it
      const pinned = i % 2 === 0;
      const args = pinned ? {} : { tenant: c.tenant.subdomain };
      const kind = i % 3; // initialize, list_projects, get_project
      const body =
        kind === 0
          ? initialize
          : kind === 1
            ? mcpTool("list_projects", args)
            : mcpTool("get_project", { ...args, id: c.refs.projects });
      return { c, body, pinned, kind };
    });
    const answers = await Promise.all(
      work.map(async (w) => {
        const res = await mcpCall(w.c.token, w.pinned ? w.c.tenant.subdomain : null, w.body, HEADERS);
        return { w, status: res.status, text: await res.text() };
      }),
    );
    for (const { w, status, text } of answers) {
      expect(status, text).toBe(200);
      const others = callers.filter((o) => o !== w.c);
      for (const o of others) {
        expect(text).not.toContain(o.tenant.id);
        expect(text).not.toContain(o.tenant.subdomain);
        expect(text).not.toContain(o.refs.projects);
      }
      const msg = JSON.parse(text) as { id: number; result: Record<string, unknown> };
      expect(msg.id).toBe(1);
      if (w.kind === 0) {
        expect(String(msg.result.instructions)).toContain(w.c.tenant.subdomain);
      } else if (w.kind === 1) {
        const items = (msg.result.structuredContent as { items: Array<{ id: string }> }).items;
        expect(items.map((p) => p.id)).toContain(w.c.refs.projects);
      } else {
        expect((msg.result.structuredContent as { project: { id: string } }).project.id).toBe(
          w.c.refs.projects,
        );
      }
    }
    // each call is in its own tenant's audit log, as its own token
    await vi.waitFor(async () => {
      for (const c of callers) {
        const rows = await auditOf(c.tenant.id, c.tokenId);
        const calls = work.filter((w) => w.c === c && w.kind !== 0).length;
        expect(rows.filter((r) => r.action === "mcp.tool_call").length).toBeGreaterThanOrEqual(calls);
      }
    });
  });
});
