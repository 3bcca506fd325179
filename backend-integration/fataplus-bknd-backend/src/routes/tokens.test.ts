/** The personal access token routes the CRM and portal settings call: create (shown once), list, revoke. */
import { sha256Hex, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, scenario, type TestUser } from "../../test/factories.ts";
import { makeAccessToken } from "../../test/mcp-factories.ts";

let A: TenantRef;
let B: TenantRef;
let pm: TestUser;
let other: TestUser;

type TokenBody = {
  id: string;
  token?: string;
  name: string;
  prefix: string;
  scope: string;
  status: string;
  tenants: "all" | Array<{ id: string; subdomain: string }>;
  expires_at: string;
  last_used_at: string | null;
};

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Tokens A", B: "Tokens B" },
    users: { pm: { in: { A: "project_manager" } }, other: { in: { A: "admin" } } },
  });
  ({ A, B } = s.tenants);
  ({ pm, other } = s.users);
});

describe("POST /api/app/tokens", () => {
  it("creates a read-only token by default, shows the secret once and stores only its hash", async () => {
    const res = await call("POST", "/api/app/tokens", {
      token: pm.token,
      body: { name: "Claude", expires_in_days: 30, tenants: [A.subdomain] },
    });
    expect(res.status).toBe(201);
    const { data } = await json<{ data: TokenBody }>(res);
    expect(data.token).toMatch(/^fpat_[A-Za-z0-9_-]{43}$/);
    expect(data.scope).toBe("read");
    expect(data.status).toBe("active");
    expect(data.tenants).toEqual([{ id: A.id, subdomain: A.subdomain, name: A.name }]);
    const days = (Date.parse(data.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
    const row = await db()
      .prepare("SELECT token_hash, user_id FROM access_tokens WHERE id = ?")
      .bind(data.id)
      .first<{ token_hash: string; user_id: number }>();
    expect(row).toEqual({ token_hash: await sha256Hex(data.token ?? ""), user_id: pm.id });
    const listed = await call("GET", "/api/app/tokens", { token: pm.token });
    const text = await listed.text();
    expect(text).not.toContain(data.token ?? "-");
    expect(text).not.toContain(row?.token_hash ?? "-");
    expect(text).toContain(data.prefix);
  });

  it("refuses bad bodies with readable 4xx: no expiry, too long, no name, foreign tenant, unknown fields", async () => {
    const bad: Array<[unknown, number, RegExp]> = [
      [{ name: "x", tenants: "all" }, 400, /expires_in_days/],
      [{ name: "x", expires_in_days: 366, tenants: "all" }, 400, /365/],
      [{ name: "", expires_in_days: 5, tenants: "all" }, 400, /name/],
      [{ name: "x", expires_in_days: 5, tenants: [] }, 400, /tenants/],
      [{ name: "x", expires_in_days: 5, tenants: "all", scope: "admin" }, 400, /scope/],
      [{ name: "x", expires_in_days: 5, tenants: "all", user_id: 1 }, 400, /user_id/],
      [{ name: "x", expires_in_days: 5, tenants: [B.subdomain] }, 422, /no access/],
      [{ name: "x", expires_in_days: 5, tenants: [B.id] }, 422, /no access/],
      [{ name: "x", expires_in_days: 5, tenants: ["no-such-project"] }, 422, /no access/],
    ];
    for (const [body, status, message] of bad) {
      const res = await call("POST", "/api/app/tokens", { token: pm.token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(message);
    }
    const invalidJson = await call("POST", "/api/app/tokens", {
      token: pm.token,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(invalidJson.status).toBe(400);
  });

  it("needs a session: anonymous callers and personal access tokens can't mint tokens", async () => {
    expect((await call("POST", "/api/app/tokens", { body: {} })).status).toBe(401);
    const { token } = await makeAccessToken(pm, { scope: "write", tenants: [A] });
    const res = await call("POST", "/api/app/tokens", {
      token,
      body: { name: "x", expires_in_days: 5, tenants: "all" },
    });
    expect(res.status).toBe(401);
    expect((await call("GET", "/api/app/tokens", { token })).status).toBe(401);
  });
});

describe("GET and DELETE /api/app/tokens", () => {
  it("lists only the caller's own tokens; revoking someone else's token is not found", async () => {
    const mine = await makeAccessToken(pm, { tenants: [A] });
    const theirs = await makeAccessToken(other, { tenants: [A] });
    const list = await json<{ data: TokenBody[] }>(await call("GET", "/api/app/tokens", { token: pm.token }));
    const ids = list.data.map((t) => t.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const foreign = await call("DELETE", `/api/app/tokens/${theirs.id}`, { token: pm.token });
    expect(foreign.status).toBe(404);
    const bad = await call("DELETE", "/api/app/tokens/not-an-id", { token: pm.token });
    expect(bad.status).toBe(400);
    const ok = await call("DELETE", `/api/app/tokens/${mine.id}`, { token: pm.token });
    expect(ok.status).toBe(200);
    const again = await call("DELETE", `/api/app/tokens/${mine.id}`, { token: pm.token });
    expect(again.status).toBe(200); // revoking twice keeps the first revocation time
    const row = await db()
      .prepare("SELECT revoked_at FROM access_tokens WHERE id = ?")
      .bind(theirs.id)
      .first<{ revoked_at: string | null }>();
    expect(row?.revoked_at).toBeNull();
  });
});
