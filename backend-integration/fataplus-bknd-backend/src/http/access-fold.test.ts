/**
 * Decision 017: the caller's access is read in the same D1 round trip as the read it guards, and an isolate's
 * memory of an access (a hint) decides nothing. Through the real worker, on a real local D1, counting the D1
 * round trips of each request (test/d1-trips.ts):
 *  - a data API list, the project overview and an MCP read tool call make one round trip, whose batch starts
 *    with the access check; a create makes two (the check with the reference check, then the write); none of
 *    the reads writes anything before the answer;
 *  - a lost membership, a demotion, a sign-out, a revoked or expired token take effect on the very next
 *    request, however warm the isolate is; a request prepared from an access that changed is answered once,
 *    from the database.
 */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { describe as show, tripsOf, writes } from "../../test/d1-trips.ts";
import {
  call,
  db,
  json,
  mcpCall,
  mcpTool,
  type Refs,
  scenario,
  type TestUser,
} from "../../test/factories.ts";
import { auditOf, makeAccessToken } from "../../test/mcp-factories.ts";

let A: TenantRef;
let refsA: Refs;
let pm: TestUser;
let other: TestUser; // another project manager of A, whose access the tests change

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Fold A", B: "Fold B" },
    seed: true,
    roles: ["client", "project_manager"],
    users: { other: { in: { A: "project_manager" } } },
  });
  A = s.tenants.A;
  refsA = s.refs.A;
  pm = s.members.A.project_manager;
  other = s.users.other;
});

const ACCESS_CHECK = /FROM users u\b/;
const TOKEN_CHECK = /FROM access_tokens tok\b/;
const list = (u: TestUser, entity = "tasks") =>
  call("GET", `/api/data/entity/${entity}?limit=5`, { token: u.token, tenant: A.subdomain });
const MCP_VERSION = { "mcp-protocol-version": "2025-11-25" };
const setRole = (u: TestUser, role: string) =>
  db()
    .prepare("UPDATE memberships SET role = ? WHERE tenant_id = ? AND user_id = ?")
    .bind(role, A.id, u.id)
    .run();

describe("the access check rides in the first read's batch", () => {
  it("a data API list: one round trip, the check first, nothing written", async () => {
    await list(pm); // the isolate has seen this caller
    const trips = await tripsOf(async () => expect((await list(pm)).status).toBe(200));
    expect(trips.length, show(trips)).toBe(1);
    expect(trips[0]?.kind).toBe("batch");
    expect(trips[0]?.sql[0]).toMatch(ACCESS_CHECK);
    expect(trips[0]?.sql.slice(1).some((s) => /from "tasks"/i.test(s))).toBe(true);
  });

  it("the project overview: one round trip, the check first", async () => {
    const overview = () => call("GET", "/api/app/project/overview", { token: pm.token, tenant: A.subdomain });
    await overview();
    const trips = await tripsOf(async () => expect((await overview()).status).toBe(200));
    expect(trips.length, show(trips)).toBe(1);
    expect(trips[0]?.sql[0]).toMatch(ACCESS_CHECK);
    expect(trips.some(writes)).toBe(false);
  });

  it("a create: the check with the reference check, then the write batch; no mail run after it", async () => {
    const create = () =>
      call("POST", "/api/data/entity/tasks", {
        token: pm.token,
        tenant: A.subdomain,
        body: { title: "Folded", project_id: refsA.projects },
      });
    await create();
    const trips = await tripsOf(async () => expect((await create()).status).toBe(201));
    expect(trips.length, show(trips)).toBe(2);
    expect(trips[0]?.sql[0]).toMatch(ACCESS_CHECK);
    expect(writes(trips[0] ?? { kind: "batch", sql: [] })).toBe(false);
    expect(trips[1]?.sql.some((s) => /^INSERT INTO tasks/.test(s))).toBe(true);
    expect(trips[1]?.sql.some((s) => /^INSERT INTO audit_log/.test(s))).toBe(true);
    expect(trips.some((t) => t.sql.some((s) => /email_outbox/.test(s)))).toBe(false);
  });

  it("an MCP read tool call: one round trip before the answer (token, user, access and the read), its audit row after", async () => {
    const { token, id } = await makeAccessToken(pm, { tenants: [A] });
    const callTool = () => mcpCall(token, A.subdomain, mcpTool("list_tasks", { limit: 5 }), MCP_VERSION);
    await callTool();
    const trips = await tripsOf(async () => expect((await callTool()).status).toBe(200));
    expect(trips.length, show(trips)).toBe(1);
    expect(trips[0]?.sql[0]).toMatch(TOKEN_CHECK);
    expect(trips.some(writes)).toBe(false);
    await vi.waitFor(async () => expect(await auditOf(A.id, id)).toHaveLength(2));
  });
});

describe("a hint decides nothing", () => {
  it("a lost membership is refused on the very next request: data API, app route, MCP", async () => {
    const s = await scenario({
      tenants: ["L"],
      seed: true,
      users: { leaver: { in: { L: "project_manager" } } },
    });
    const [L, leaver] = [s.tenants.L, s.users.leaver];
    const { token } = await makeAccessToken(leaver, { tenants: [L] });
    const reads = {
      data: () => call("GET", "/api/data/entity/tasks", { token: leaver.token, tenant: L.subdomain }),
      app: () => call("GET", "/api/app/project/overview", { token: leaver.token, tenant: L.subdomain }),
      mcp: () => mcpCall(token, null, mcpTool("list_tasks", { tenant: L.subdomain }), MCP_VERSION),
    };
    for (const read of Object.values(reads)) expect((await read()).status).toBe(200);
    for (const read of Object.values(reads)) expect((await read()).status).toBe(200); // warm
    await db()
      .prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(L.id, leaver.id)
      .run();
    expect((await reads.data()).status).toBe(403);
    expect((await reads.app()).status).toBe(403);
    const mcp = await json<{ result?: { isError?: boolean; content: Array<{ text: string }> } }>(
      await reads.mcp(),
    );
    expect(mcp.result?.isError).toBe(true);
    expect(mcp.result?.content[0]?.text).toMatch(/no access/);
  });

  it("a demotion takes effect on the next request: the client's view and rights, not the manager's", async () => {
    await setRole(other, "project_manager");
    const first = await json<{ data: Array<Record<string, unknown>> }>(await list(other, "projects"));
    expect(first.data[0]).toHaveProperty("budget_cents");
    await list(other, "projects");
    await setRole(other, "client");
    const after = await json<{ data: Array<Record<string, unknown>> }>(await list(other, "projects"));
    expect(after.data.length).toBeGreaterThan(0);
    expect(after.data[0]).not.toHaveProperty("budget_cents");
    const before = await db()
      .prepare("SELECT count(*) AS n FROM tasks WHERE tenant_id = ?")
      .bind(A.id)
      .first();
    const refused = await call("POST", "/api/data/entity/tasks", {
      token: other.token,
      tenant: A.subdomain,
      body: { title: "Not mine to make", project_id: refsA.projects },
    });
    expect(refused.status).toBe(403);
    expect(
      await db().prepare("SELECT count(*) AS n FROM tasks WHERE tenant_id = ?").bind(A.id).first(),
    ).toEqual(before);
  });

  it("a promotion since the last request: the create is answered once, from the database, and made once", async () => {
    await setRole(other, "client");
    expect((await list(other)).status).toBe(200); // the isolate's hint: a client
    await setRole(other, "project_manager");
    const title = `Promoted ${crypto.randomUUID()}`;
    const trips = await tripsOf(async () => {
      const res = await call("POST", "/api/data/entity/tasks", {
        token: other.token,
        tenant: A.subdomain,
        body: { title, project_id: refsA.projects },
      });
      expect(res.status).toBe(201);
    });
    // the first serving's check failed (a client was expected) and nothing was written; the second read first
    expect(trips[0]?.sql[0], show(trips)).toMatch(ACCESS_CHECK);
    expect(trips.filter(writes)).toHaveLength(1);
    const made = await db().prepare("SELECT count(*) AS n FROM tasks WHERE title = ?").bind(title).first();
    expect(made).toEqual({ n: 1 });
  });

  it("ending the sessions ends them on the next request, however warm the isolate", async () => {
    const s = await scenario({ tenants: ["S"], roles: ["project_manager"] });
    const [S, u] = [s.tenants.S, s.members.S.project_manager];
    const read = () => call("GET", "/api/data/entity/tasks", { token: u.token, tenant: S.subdomain });
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);
    await db()
      .prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'everywhere' WHERE user_id = ?")
      .bind(new Date().toISOString(), u.id)
      .run();
    expect((await read()).status).toBe(401);
  });

  it("a revoked or expired token is refused on the next call", async () => {
    const revoked = await makeAccessToken(pm, { tenants: [A] });
    const expired = await makeAccessToken(pm, { tenants: [A] });
    const use = (token: string) => mcpCall(token, A.subdomain, mcpTool("list_tasks", {}), MCP_VERSION);
    for (const t of [revoked, expired]) {
      expect((await use(t.token)).status).toBe(200);
      expect((await use(t.token)).status).toBe(200);
    }
    expect((await call("DELETE", `/api/app/tokens/${revoked.id}`, { token: pm.token })).status).toBe(200);
    await db()
      .prepare("UPDATE access_tokens SET expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), expired.id)
      .run();
    for (const t of [revoked, expired]) expect((await use(t.token)).status).toBe(401);
  });

  it("a client's token after the client left: nothing of the tenant, and no audit row for a call that was refused", async () => {
    const s = await scenario({ tenants: ["C"], seed: true, users: { gone: { in: { C: "client" } } } });
    const [C, gone] = [s.tenants.C, s.users.gone];
    const { token, id } = await makeAccessToken(gone, { tenants: [C] });
    const read = () => mcpCall(token, C.subdomain, mcpTool("list_tasks", {}), MCP_VERSION);
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);
    await vi.waitFor(async () => expect(await auditOf(C.id, id)).toHaveLength(2));
    await db()
      .prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(C.id, gone.id)
      .run();
    // pinned to a tenant it no longer reaches: refused before any tool runs
    expect((await read()).status).toBe(403);
    await new Promise((r) => setTimeout(r, 120)); // longer than the audit rows wait (src/mcp/audit.ts)
    expect(await auditOf(C.id, id)).toHaveLength(2);
  });
});
