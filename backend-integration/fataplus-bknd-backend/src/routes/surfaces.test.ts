/** The admin UI, OpenAPI and MCP endpoints exist, and only the right people reach what is behind them. */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, MCP_ACCEPT, scenario, type TestUser } from "../../test/factories.ts";
import { makeAccessToken } from "../../test/mcp-factories.ts";

let A: TenantRef;
let admin: TestUser;
let pm: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    names: { A: "Surfaces" },
    roles: ["project_manager"],
    users: { admin: { agency: "admin" } },
  });
  A = s.tenants.A;
  admin = s.users.admin;
  pm = s.members.A.project_manager;
});

const mcpHeaders = MCP_ACCEPT;
const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } },
};

describe("admin UI", () => {
  it("serves the admin shell to agency admins only", async () => {
    const anon = await call("GET", "/admin");
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toBe("/admin/auth/login");
    expect((await call("GET", "/admin", { token: pm.token })).status).toBe(403);
    expect((await call("GET", "/admin/data", { token: pm.token })).status).toBe(403);
    const ok = await call("GET", "/admin", { token: admin.token });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<html/i);
  });

  it("agency admins work unscoped in bknd's own routes", async () => {
    const res = await call("GET", "/api/data/entity/tenants?limit=5", { token: admin.token });
    expect(res.status).toBe(200);
  });

  it("non-admins never reach system routes (agency admins do)", async () => {
    // [path, project manager without a tenant, the same in their tenant, agency admin]
    const expected: Array<[string, number, number, number]> = [
      ["/api/system/config", 403, 403, 200],
      ["/api/system/schema", 403, 403, 200],
      ["/api/system/info", 403, 403, 200],
      // the data API wants a tenant first, and in a tenant "schema.json" is no entity of it
      ["/api/data/schema.json", 400, 404, 200],
    ];
    for (const [path, bare, inTenant, asAdmin] of expected) {
      expect((await call("GET", path, { token: pm.token })).status, path).toBe(bare);
      expect((await call("GET", path, { token: pm.token, tenant: A.subdomain })).status, path).toBe(inTenant);
      expect((await call("GET", path, { token: admin.token })).status, path).toBe(asAdmin);
    }
  });
});

describe("documented CRUD contract", () => {
  it("GET|POST /api/data/:entity and GET|PUT|DELETE /api/data/:entity/:id", async () => {
    const opts = { token: pm.token, tenant: A.subdomain };
    const created = await call("POST", "/api/data/clients", { ...opts, body: { name: "Contract Ltd" } });
    expect(created.status).toBe(201);
    const id = (await json<{ data: { id: string } }>(created)).data.id;
    const list = await call("GET", "/api/data/clients", opts);
    expect((await json<{ data: Array<{ id: string }> }>(list)).data.map((r) => r.id)).toContain(id);
    const put = await call("PUT", `/api/data/clients/${id}`, { ...opts, body: { name: "Contract SARL" } });
    expect(put.status).toBe(200);
    const got = await call("GET", `/api/data/clients/${id}`, opts);
    expect((await json<{ data: { name: string } }>(got)).data.name).toBe("Contract SARL");
    expect((await call("DELETE", `/api/data/clients/${id}`, opts)).status).toBe(200);
    expect((await call("GET", `/api/data/clients/${id}`, opts)).status).toBe(404);
    const { results } = await db()
      .prepare(
        "SELECT action, actor_type, actor_id FROM audit_log WHERE tenant_id = ? AND entity_id = ? ORDER BY created_at, rowid",
      )
      .bind(A.id, id)
      .all();
    expect(results).toEqual([
      { action: "clients.create", actor_type: "user", actor_id: String(pm.id) },
      { action: "clients.update", actor_type: "user", actor_id: String(pm.id) },
      { action: "clients.delete", actor_type: "user", actor_id: String(pm.id) },
    ]);
  });
});

describe("OpenAPI", () => {
  it("is served at /api/system/openapi.json to signed-in users", async () => {
    expect((await call("GET", "/api/system/openapi.json")).status).toBe(401);
    const res = await call("GET", "/api/system/openapi.json", { token: pm.token });
    expect(res.status).toBe(200);
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(res);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/api/data"))).toBe(true);
  });
});

describe("MCP endpoint", () => {
  it("initialises over Streamable HTTP with a personal access token and answers tools inside the tenant", async () => {
    const { token } = await makeAccessToken(pm, { tenants: [A] });
    const init = await call("POST", `/api/system/mcp?tenant=${A.subdomain}`, {
      token,
      body: initialize,
      headers: mcpHeaders,
    });
    expect(init.status).toBe(200);
    expect((await json<{ result: { serverInfo: { name: string } } }>(init)).result.serverInfo.name).toBe(
      "fataplus",
    );
    const count = await call("POST", `/api/system/mcp?tenant=${A.subdomain}`, {
      token,
      headers: { ...mcpHeaders, "mcp-protocol-version": "2025-06-18" },
      body: {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "list_tasks", arguments: {} },
      },
    });
    expect(await count.text()).toContain('"total":0');
  });

  it("refuses sessions: bknd's MCP tools are off, agents use a personal access token", async () => {
    const res = await call("POST", `/api/system/mcp?tenant=${A.subdomain}`, {
      token: pm.token,
      body: initialize,
      headers: mcpHeaders,
    });
    expect(res.status).toBe(403);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/personal access token/);
  });

  it("refuses anonymous callers and tool calls without a tenant", async () => {
    expect((await call("POST", "/api/system/mcp", { body: initialize, headers: mcpHeaders })).status).toBe(
      401,
    );
    const noTenant = await call("POST", "/api/system/mcp", {
      token: pm.token,
      headers: mcpHeaders,
      body: {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "data_entity_read_many", arguments: { entity: "tasks" } },
      },
    });
    expect(noTenant.status).toBe(403);
  });
});
