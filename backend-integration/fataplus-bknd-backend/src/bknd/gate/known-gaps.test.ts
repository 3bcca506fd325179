/**
 * One named regression test for each of the ten ways bknd 0.19/0.20's own policies leak across tenants
 * (shared/notes/bknd-security-gaps.md). Each one replays the attack against the real worker.
 */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  json,
  loginToken,
  makeTenant,
  makeUser,
  mcpCall,
  mcpTool,
  PASSWORD,
  type Refs,
  seedTenantData,
  snapshotTenant,
  type TestUser,
} from "../../../test/factories.ts";
import { makeAccessToken, mcpClient } from "../../../test/mcp-factories.ts";

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let pmA: TestUser;
let clientA: TestUser;
let agencyAdmin: TestUser;

const mcp = mcpCall;
const tool = mcpTool;

beforeAll(async () => {
  A = await makeTenant("Gap A");
  B = await makeTenant("Gap B");
  refsA = await seedTenantData(A);
  refsB = await seedTenantData(B);
  pmA = await makeUser({ memberships: [[A, "project_manager"]] });
  clientA = await makeUser({ memberships: [[A, "client"]] });
  agencyAdmin = await makeUser({ agencyRole: "admin" });
});

describe("bknd gap regressions", () => {
  it("gap 1: $or cannot widen a list, a bulk update, a bulk delete or an MCP update_many", async () => {
    const before = await snapshotTenant(B.id);
    const or = encodeURIComponent(JSON.stringify({ $or: { id: { $gt: "" } } }));
    expect(
      (await call("GET", `/api/data/entity/tasks?where=${or}`, { token: pmA.token, tenant: A.subdomain }))
        .status,
    ).toBe(400);
    const patch = await call("PATCH", "/api/data/entity/tasks", {
      token: pmA.token,
      tenant: A.subdomain,
      body: { update: { title: "pwned" }, where: { $or: { id: { $gt: "" } } } },
    });
    expect(patch.status).toBe(400);
    // a text/plain body is parsed by bknd all the same, so it is refused before anything reads it (415)
    const del = await call("DELETE", "/api/data/entity/tasks", {
      token: pmA.token,
      tenant: A.subdomain,
      rawBody: JSON.stringify({ $or: { id: { $gt: "" } } }),
      headers: { "content-type": "text/plain" },
    });
    expect(del.status).toBe(415);
    const viaMcp = await mcp(
      pmA.token,
      A.subdomain,
      tool("data_entity_update_many", {
        entity: "tasks",
        update: { title: "pwned" },
        where: { $or: { id: { $gt: "" } } },
      }),
    );
    const text = await viaMcp.text();
    expect(text).not.toContain('"success":true');
    expect(await snapshotTenant(B.id)).toBe(before);
  });

  it("gap 2: fn/count and fn/exists are scoped to the tenant, also over MCP", async () => {
    const count = await call("POST", "/api/data/entity/tasks/fn/count", {
      token: pmA.token,
      tenant: A.subdomain,
      body: {},
    });
    expect((await json<{ count: number }>(count)).count).toBe(1);
    const exists = await call("POST", "/api/data/entity/tasks/fn/exists", {
      token: pmA.token,
      tenant: A.subdomain,
      body: { id: refsB.tasks },
    });
    expect((await json<{ exists: boolean }>(exists)).exists).toBe(false);
    // over MCP (the Fataplus server; bknd's count tool is gone): A's total, nothing of B
    const agent = await mcpClient((await makeAccessToken(pmA, { tenants: [A] })).token);
    const listed = await agent.callTool({ name: "list_tasks", arguments: {} });
    expect((listed.structuredContent as { total: number }).total).toBe(1);
    const metrics = await agent.callTool({ name: "get_project_metrics", arguments: {} });
    expect((metrics.structuredContent as { tasks: { total: number } }).tasks.total).toBe(1);
    const foreign = await agent.callTool({ name: "get_task", arguments: { id: refsB.tasks } });
    expect(foreign.isError).toBe(true);
  });

  it("gap 3: with, join and dotted keys are refused; a foreign key into B is refused on create", async () => {
    for (const q of [
      "with=projects",
      "join=clients",
      `where=${encodeURIComponent('{"projects.tenant_id":"x"}')}`,
    ]) {
      const res = await call("GET", `/api/data/entity/tasks?${q}`, { token: pmA.token, tenant: A.subdomain });
      expect(res.status).toBe(400);
    }
    const create = await call("POST", "/api/data/entity/tasks", {
      token: pmA.token,
      tenant: A.subdomain,
      body: { title: "points into B", project_id: refsB.projects },
    });
    expect(create.status).toBe(422);
    expect((await json<{ error: { message: string } }>(create)).error.message).toContain("project_id");
  });

  it("gap 4: an update body cannot move a row into another tenant", async () => {
    const res = await call("PATCH", `/api/data/entity/clients/${refsA.clients}`, {
      token: pmA.token,
      tenant: A.subdomain,
      body: { tenant_id: B.id },
    });
    expect(res.status).toBe(400);
    const row = await db()
      .prepare("SELECT tenant_id FROM clients WHERE id = ?")
      .bind(refsA.clients)
      .first<{ tenant_id: string }>();
    expect(row?.tenant_id).toBe(A.id);
  });

  it("gap 5: entities without a rule (users, memberships, tenants, invitations, audit_log) are closed", async () => {
    for (const entity of ["users", "memberships", "tenants", "invitations", "audit_log"]) {
      const list = await call("GET", `/api/data/entity/${entity}`, { token: pmA.token, tenant: A.subdomain });
      expect(list.status).toBe(404);
    }
    const promote = await call("PATCH", `/api/data/entity/users/${pmA.id}`, {
      token: pmA.token,
      tenant: A.subdomain,
      body: { role: "admin" },
    });
    expect(promote.status).toBe(404);
    const me = await db()
      .prepare("SELECT role FROM users WHERE id = ?")
      .bind(pmA.id)
      .first<{ role: string }>();
    expect(me?.role).toBe("member");
  });

  it("gap 6: registration is closed, whatever the body says", async () => {
    const email = `intruder-${Date.now()}@example.test`;
    for (const path of ["/api/auth/password/register", "/api/auth/register"]) {
      const res = await call("POST", path, {
        body: { email, password: PASSWORD, role: "admin", tenant_id: A.id },
      });
      expect(res.status).toBe(403);
    }
    expect(await db().prepare("SELECT 1 FROM users WHERE email = ?").bind(email).first()).toBeNull();
  });

  it("gap 7: media routes are closed to everybody but agency admins", async () => {
    for (const path of ["/api/media/files", "/api/media/file/x.png"]) {
      const res = await call("GET", path, { token: pmA.token, tenant: A.subdomain });
      expect(res.status).toBe(403);
    }
    const upload = await call("POST", "/api/media/upload/x.txt", {
      token: clientA.token,
      tenant: A.subdomain,
      rawBody: "hi",
    });
    expect(upload.status).toBe(403);
  });

  it("gap 8: MCP tools that mint tokens, create users or read the config are refused to non-admins", async () => {
    for (const [name, args] of [
      ["auth_user_token", { email: agencyAdmin.email }],
      ["auth_user_create", { email: "x@example.test", password: PASSWORD, role: "admin" }],
      ["system_config", { secrets: true }],
      ["data_sync", { force: true, drop: true }],
    ] as const) {
      const res = await mcp(pmA.token, A.subdomain, tool(name, args));
      expect(res.status).toBe(403);
      const body = await json<{ error: { message: string } }>(res);
      // a session is refused before any tool runs: MCP takes personal access tokens only (decision 006)
      expect(body.error.message).toMatch(/session is not an MCP credential/);
    }
    const config = await call("GET", "/api/system/config?secrets=true", { token: pmA.token });
    expect(config.status).toBe(403);
    // Token minting and bknd-hashed passwords are refused to agency admins too.
    for (const [name, args] of [
      ["auth_user_token", { email: pmA.email }],
      ["auth_user_password_change", { email: pmA.email, password: "x-new-password-x" }],
      ["auth_user_create", { email: "y@example.test", password: PASSWORD }],
    ] as const) {
      const res = await mcp(agencyAdmin.token, null, tool(name, args));
      expect(res.status).toBe(403);
    }
    expect(await loginToken(pmA.email)).toMatch(/^ey/);
  });

  it("gap 9: the gate is registered ahead of bknd's routes and fails closed", async () => {
    // No token: the gate answers (our error envelope), not bknd.
    const anon = await call("GET", "/api/data/entity/tasks", { tenant: A.subdomain });
    expect(anon.status).toBe(401);
    expect((await json<{ error: { code: string } }>(anon)).error.code).toBe("UNAUTHENTICATED");
    // A forged token is nobody.
    const forged = `${pmA.token.slice(0, -4)}AAAA`;
    expect((await call("GET", "/api/data/entity/tasks", { token: forged, tenant: A.subdomain })).status).toBe(
      401,
    );
    // An unknown route shape under /api/data is refused rather than passed on.
    expect(
      (await call("GET", "/api/data/schema.json", { token: pmA.token, tenant: A.subdomain })).status,
    ).toBe(404);
    // Encoded path tricks are refused before routing.
    expect(
      (await call("GET", "/api/data/entity/%74asks", { token: pmA.token, tenant: A.subdomain })).status,
    ).toBe(400);
    // Flows have no auth of their own in bknd: closed, even to agency admins.
    expect((await call("POST", "/api/flows/any", { token: agencyAdmin.token, body: {} })).status).toBe(403);
  });

  it("gap 9b: nobody, not even an agency admin, can sync the schema or rebuild with sync (REST or MCP)", async () => {
    expect((await call("POST", "/api/system/build?sync=true", { token: agencyAdmin.token })).status).toBe(
      403,
    );
    expect(
      (await call("GET", "/api/data/sync?force=true&drop=true", { token: agencyAdmin.token })).status,
    ).toBe(403);
    for (const [name, args] of [
      ["data_sync", { force: true, drop: true }],
      ["system_build", { sync: true }],
    ] as const) {
      // bknd's MCP server is off: a session is refused, and a token's server has no such tool
      const res = await mcp(agencyAdmin.token, null, tool(name, args));
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/session is not an MCP credential/);
      const agent = await mcpClient((await makeAccessToken(agencyAdmin, { scope: "write" })).token);
      await expect(agent.callTool({ name, arguments: args })).rejects.toThrow(/Unknown tool/);
    }
    const tables = await db()
      .prepare("SELECT name FROM sqlite_master WHERE name IN ('d1_migrations', 'auth_throttle')")
      .all();
    expect(tables.results).toHaveLength(2);
  });

  describe("gap 10: secure defaults", () => {
    it("passwords are PBKDF2, never bknd's sha256", async () => {
      const row = await db()
        .prepare("SELECT strategy_value FROM users WHERE id = ?")
        .bind(pmA.id)
        .first<{ strategy_value: string }>();
      expect(row?.strategy_value.startsWith("pbkdf2-sha256$")).toBe(true);
    });

    it("tokens expire within an hour and the cookie is HttpOnly, Secure, SameSite", async () => {
      const res = await call("POST", "/api/auth/login", { body: { email: pmA.email, password: PASSWORD } });
      const { token } = await json<{ token: string }>(res);
      const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as {
        exp: number;
        iat: number;
      };
      expect(payload.exp - payload.iat).toBeLessThanOrEqual(3600);
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=(Lax|Strict)/i);
    });

    it("identity and role come from the database, not from the token", async () => {
      const demoted = await makeUser({ agencyRole: "admin" });
      expect((await call("GET", "/api/system/info", { token: demoted.token })).status).toBe(200);
      await db().prepare("UPDATE users SET role = 'member' WHERE id = ?").bind(demoted.id).run();
      expect((await call("GET", "/api/system/info", { token: demoted.token })).status).toBe(403);
      const removed = await makeUser({ memberships: [[A, "admin"]] });
      expect(
        (await call("GET", "/api/data/entity/tasks", { token: removed.token, tenant: A.subdomain })).status,
      ).toBe(200);
      await db().prepare("DELETE FROM memberships WHERE user_id = ?").bind(removed.id).run();
      expect(
        (await call("GET", "/api/data/entity/tasks", { token: removed.token, tenant: A.subdomain })).status,
      ).toBe(403);
      await db().prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(removed.id).run();
      expect((await call("GET", "/api/auth/me", { token: removed.token })).status).toBe(401);
    });

    it("CORS does not reflect foreign origins", async () => {
      const evil = await call("GET", "/api/health", { headers: { origin: "https://evil.example" } });
      expect(evil.headers.get("access-control-allow-origin")).toBeNull();
      const portal = await call("GET", "/api/health", { headers: { origin: "https://acme.fata.plus" } });
      expect(portal.headers.get("access-control-allow-origin")).toBe("https://acme.fata.plus");
      const deep = await call("GET", "/api/health", { headers: { origin: "https://a.b.fata.plus" } });
      expect(deep.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await call("OPTIONS", "/api/data/entity/tasks", {
        headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("limit is capped at 100", async () => {
      const T = await makeTenant("Many rows");
      const refs = await seedTenantData(T);
      const pm = await makeUser({ memberships: [[T, "project_manager"]] });
      const batch = Array.from({ length: 100 }, (_, i) => ({
        title: `bulk ${i}`,
        project_id: refs.projects,
      }));
      for (let i = 0; i < 2; i++) {
        const res = await call("POST", "/api/data/entity/tasks", {
          token: pm.token,
          tenant: T.subdomain,
          body: batch,
        });
        expect(res.status).toBe(201);
      }
      const list = await call("GET", "/api/data/entity/tasks?limit=100000", {
        token: pm.token,
        tenant: T.subdomain,
      });
      expect((await json<{ data: unknown[] }>(list)).data).toHaveLength(100);
      const q = await call("POST", "/api/data/entity/tasks/query", {
        token: pm.token,
        tenant: T.subdomain,
        body: { limit: 5000 },
      });
      expect((await json<{ data: unknown[] }>(q)).data).toHaveLength(100);
      const tooMany = await call("POST", "/api/data/entity/tasks", {
        token: pm.token,
        tenant: T.subdomain,
        body: [...batch, ...batch],
      });
      expect(tooMany.status).toBe(400);
    });

    it("failed logins are limited per IP, across accounts", async () => {
      const ip = { "cf-connecting-ip": "203.0.113.77" };
      let last = 0;
      for (let i = 0; i < 31; i++) {
        const res = await call("POST", "/api/auth/login", {
          body: { email: `nobody${i}@example.test`, password: "x" },
          headers: ip,
        });
        last = res.status;
      }
      expect(last).toBe(429);
      const fromElsewhere = await call("POST", "/api/auth/login", {
        body: { email: pmA.email, password: PASSWORD },
        headers: { "cf-connecting-ip": "203.0.113.78" },
      });
      expect(fromElsewhere.status).toBe(200);
    });

    it("failed logins are limited per account, with 429", async () => {
      const victim = await makeUser({ login: false });
      let last = 0;
      for (let i = 0; i < 6; i++) {
        last = (
          await call("POST", "/api/auth/login", { body: { email: victim.email, password: "wrong-password" } })
        ).status;
      }
      expect(last).toBe(429);
      // the right password is refused too while locked
      const locked = await call("POST", "/api/auth/login", {
        body: { email: victim.email, password: PASSWORD },
      });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
      // other accounts are not affected
      expect(await loginToken(pmA.email)).toMatch(/^ey/);
    });
  });
});
