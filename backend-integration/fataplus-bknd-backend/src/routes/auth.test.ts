import { createInvitation, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  json,
  loginToken,
  makeTenant,
  makeUser,
  PASSWORD,
  scenario,
  systemCtx,
  type TestUser,
} from "../../test/factories.ts";

let A: TenantRef;
let pm: TestUser;

beforeAll(async () => {
  const s = await scenario({ tenants: ["A"], names: { A: "Auth" }, roles: ["project_manager"] });
  A = s.tenants.A;
  pm = s.members.A.project_manager;
});

describe("sign-in", () => {
  it("logs in, sets the session cookie, and /me reads the user and tenants from the database", async () => {
    const res = await call("POST", "/api/auth/login", {
      body: { email: pm.email.toUpperCase(), password: PASSWORD },
    });
    expect(res.status).toBe(200);
    const body = await json<{ user: { email: string; role: string }; token: string }>(res);
    expect(body.user).toMatchObject({ email: pm.email, role: "member" });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^auth=/);
    const me = await call("GET", "/api/auth/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    const meBody = await json<{ user: { id: number }; tenants: Array<{ id: string; role: string }> }>(me);
    expect(meBody.user.id).toBe(pm.id);
    expect(meBody.tenants).toEqual([expect.objectContaining({ id: A.id, role: "project_manager" })]);
  });

  it("gives the same answer for a wrong password and an unknown account", async () => {
    const wrong = await call("POST", "/api/auth/login", {
      body: { email: pm.email, password: "not-the-password" },
      headers: { "cf-connecting-ip": "198.51.100.1" },
    });
    const unknown = await call("POST", "/api/auth/login", {
      body: { email: "ghost@example.test", password: "x" },
      headers: { "cf-connecting-ip": "198.51.100.1" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it("expired failure counters are cleaned up as new failures arrive", async () => {
    await db()
      .prepare(
        "INSERT INTO auth_throttle (key, window_start, failures) VALUES ('acct:old@example.test', 0, 9)",
      )
      .run();
    await call("POST", "/api/auth/login", {
      body: { email: "someone@example.test", password: "x" },
      headers: { "cf-connecting-ip": "198.51.100.9" },
    });
    expect(
      await db().prepare("SELECT 1 FROM auth_throttle WHERE key = 'acct:old@example.test'").first(),
    ).toBeNull();
    expect(
      await db()
        .prepare("SELECT failures FROM auth_throttle WHERE key = 'acct:someone@example.test'")
        .first(),
    ).toEqual({ failures: 1 });
  });

  it("logout clears the cookie", async () => {
    const res = await call("POST", "/api/auth/logout");
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie") ?? "").toMatch(/auth=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it("bknd's admin login form gets a redirect: into /admin for agency admins, back to the form on failure", async () => {
    const admin = await makeUser({ agencyRole: "admin", login: false });
    const form = (email: string, password: string) =>
      call("POST", "/api/auth/password/login", {
        rawBody: new URLSearchParams({ email, password }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": "198.51.100.3" },
      });
    const ok = await form(admin.email, PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/admin");
    expect(ok.headers.get("set-cookie") ?? "").toMatch(/^auth=ey/);
    const bad = await form(admin.email, "wrong");
    expect(bad.status).toBe(303);
    expect(bad.headers.get("location")).toBe("/admin/auth/login");
    expect(bad.headers.get("set-cookie")).toBeNull();
  });

  it("/me without a session is 401", async () => {
    expect((await call("GET", "/api/auth/me")).status).toBe(401);
  });
});

describe("invitations", () => {
  it("a new person accepts, chooses a password, and gets the membership", async () => {
    const email = `invitee-${Date.now()}@example.test`;
    const inv = await createInvitation({ ctx: systemCtx(A), input: { email, role: "client" } });
    const res = await call("POST", "/api/auth/invitations/accept", {
      body: { token: inv.token, password: "A-strong-password-1", name: "Ina Vitee" },
    });
    expect(res.status).toBe(201);
    const token = await loginToken(email, "A-strong-password-1");
    const list = await call("GET", "/api/data/entity/projects", { token, tenant: A.subdomain });
    expect(list.status).toBe(200);
    const again = await call("POST", "/api/auth/invitations/accept", {
      body: { token: inv.token, password: "A-strong-password-2" },
    });
    expect(again.status).toBe(404);
    const stored = await db()
      .prepare("SELECT strategy_value FROM users WHERE email = ?")
      .bind(email)
      .first<{ strategy_value: string }>();
    expect(stored?.strategy_value).toMatch(/^pbkdf2-sha256\$100000\$/);
  });

  it("a token alone never joins an existing account: its owner must be signed in, and keeps their password", async () => {
    const B = await makeTenant("Second");
    const inv = await createInvitation({ ctx: systemCtx(B), input: { email: pm.email, role: "client" } });
    // Whoever holds the token (the inviter included) cannot attach the existing account to B, nor reset it.
    const res = await call("POST", "/api/auth/invitations/accept", {
      body: { token: inv.token, password: "Attacker-chosen-pw" },
    });
    expect(res.status).toBe(409);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/sign in with it/);
    const someoneElse = await makeUser({});
    const wrongSession = await call("POST", "/api/auth/invitations/accept", {
      token: someoneElse.token,
      body: { token: inv.token },
    });
    expect(wrongSession.status).toBe(409);
    const memberships = () =>
      db()
        .prepare("SELECT count(*) AS n FROM memberships WHERE tenant_id = ? AND user_id = ?")
        .bind(B.id, pm.id)
        .first<{ n: number }>();
    expect((await memberships())?.n).toBe(0);

    // The owner, signed in, joins with the same link; the password is untouched.
    const joined = await call("POST", "/api/auth/invitations/accept", {
      token: pm.token,
      body: { token: inv.token },
    });
    expect(joined.status).toBe(201);
    expect((await memberships())?.n).toBe(1);
    expect(
      (
        await call("POST", "/api/auth/login", {
          body: { email: pm.email, password: "Attacker-chosen-pw" },
          headers: { "cf-connecting-ip": "198.51.100.2" },
        })
      ).status,
    ).toBe(401);
    expect(await loginToken(pm.email)).toMatch(/^ey/);
  });

  it("a new account needs a password", async () => {
    const inv = await createInvitation({
      ctx: systemCtx(A),
      input: { email: `nopw-${Date.now()}@example.test`, role: "client" },
    });
    const res = await call("POST", "/api/auth/invitations/accept", { body: { token: inv.token } });
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/password/);
  });

  it("while invitations are handed over by hand, only the agency's people create them", async () => {
    const memberAdmin = {
      ...systemCtx(A),
      actor: { type: "user", userId: 1, email: "a@b.c", agencyRole: "member" } as const,
    };
    await expect(
      createInvitation({ ctx: memberAdmin, input: { email: "x@example.test", role: "client" } }),
    ).rejects.toThrow(/sent by the agency/);
    const staff = {
      ...systemCtx(A),
      actor: { type: "user", userId: 1, email: "a@b.c", agencyRole: "staff" } as const,
    };
    await expect(
      createInvitation({ ctx: staff, input: { email: `ok-${Date.now()}@example.test`, role: "client" } }),
    ).resolves.toMatchObject({
      token: expect.any(String),
    });
  });

  it("project managers invite clients and partners, only project admins invite managers and admins (decision 026)", async () => {
    for (const role of ["admin", "project_manager"])
      await expect(
        createInvitation({
          ctx: systemCtx(A, "project_manager"),
          input: { email: "x@example.test", role },
        }),
      ).rejects.toThrow(/may not manage the role/);
    await expect(
      createInvitation({
        ctx: systemCtx(A, "project_manager"),
        input: { email: `p-${Date.now()}@example.test`, role: "partner" },
      }),
    ).resolves.toMatchObject({ token: expect.any(String) });
  });

  it("a weak password is refused with a readable message", async () => {
    const inv = await createInvitation({
      ctx: systemCtx(A),
      input: { email: `weak-${Date.now()}@example.test`, role: "client" },
    });
    const res = await call("POST", "/api/auth/invitations/accept", {
      body: { token: inv.token, password: "short" },
    });
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain(
      "at least 12 characters",
    );
  });
});

describe("signing out", () => {
  it("ends the session on the server: the old token is refused everywhere, a new sign-in works", async () => {
    const s = await scenario({ tenants: ["t"], names: { t: "Sign-out" }, roles: ["project_manager"] });
    const tenant = s.tenants.t;
    const user = s.members.t.project_manager;
    const stolen = user.token; // e.g. a copied cookie
    const statuses: number[] = [];
    const st = async (p: Promise<Response>) => {
      const r = await p;
      statuses.push(r.status);
      return r;
    };
    await st(call("GET", "/api/auth/me", { token: stolen }));
    const out = await st(call("POST", "/api/auth/logout", { token: stolen }));
    await st(call("GET", "/api/auth/me", { token: stolen }));
    await st(call("GET", "/api/data/entity/tasks", { token: stolen, tenant: tenant.subdomain }));
    await st(call("GET", "/api/app/crm/access", { token: stolen }));
    const fresh = await loginToken(user.email);
    await st(call("GET", "/api/auth/me", { token: fresh }));
    await st(call("GET", "/api/data/entity/tasks", { token: fresh, tenant: tenant.subdomain }));
    expect(statuses).toEqual([200, 200, 401, 401, 401, 200, 200]);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it("an anonymous or invalid sign-out changes nothing for anyone", async () => {
    const user = await makeUser({});
    const statuses = [
      (await call("POST", "/api/auth/logout")).status,
      (await call("POST", "/api/auth/logout", { token: "not-a-jwt" })).status,
      (await call("GET", "/api/auth/me", { token: user.token })).status,
    ];
    expect(statuses).toEqual([200, 200, 200]);
  });

  it("also voids pending sign-in hand-offs, while a cross-site GET (a plain link) changes nothing", async () => {
    const s = await scenario({ tenants: ["t"], names: { t: "Sign-out handoff" }, roles: ["client"] });
    const tenant = s.tenants.t;
    const user = s.members.t.client;
    const minted = await call("POST", "/api/app/auth/handoff", {
      token: user.token,
      body: { tenant: tenant.subdomain },
    });
    const { code } = await json<{ code: string }>(minted);

    // A cross-site link to GET /api/auth/logout signs nobody out (and clears nothing).
    const link = await call("GET", "/api/auth/logout", {
      token: user.token,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(link.status).toBe(403);
    expect(link.headers.get("set-cookie")).toBeNull();
    expect((await call("GET", "/api/auth/me", { token: user.token })).status).toBe(200);

    expect((await call("POST", "/api/auth/logout", { token: user.token })).status).toBe(200);
    const redeemed = await call("POST", "/api/auth/handoff/redeem", {
      body: { code, tenant: tenant.subdomain },
    });
    expect(redeemed.status).toBe(401);
    expect(redeemed.headers.get("set-cookie")).toBeNull();
  });
});

describe("security review (issue 14), finding 13: every sign-out ends the session on the server", () => {
  const meStatus = async (token: string) => (await call("GET", "/api/auth/me", { token })).status;

  it("bknd's SDK sign-out (GET /api/auth/logout, by cookie or by bearer) ends it, not only the cookie", async () => {
    for (const how of ["cookie", "bearer"] as const) {
      const user = await makeUser({});
      expect(await meStatus(user.token)).toBe(200);
      const out = await call("GET", "/api/auth/logout", {
        headers: { accept: "application/json", ...(how === "cookie" ? { cookie: user.cookie } : {}) },
        ...(how === "bearer" ? { token: user.token } : {}),
      });
      expect(out.status, how).toBe(200);
      expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
      expect(await meStatus(user.token), how).toBe(401);
      expect((await call("GET", "/api/auth/me", { headers: { cookie: user.cookie } })).status).toBe(401);
    }
  });

  it("a same-origin GET from bknd's admin UI ends it too, and so does /admin/auth/logout", async () => {
    const a = await makeUser({ agencyRole: "admin" });
    const viaApi = await call("GET", "/api/auth/logout", {
      headers: { cookie: a.cookie, "sec-fetch-site": "same-origin" },
    });
    expect(viaApi.status).toBe(200);
    expect(await meStatus(a.token)).toBe(401);

    const b = await makeUser({ agencyRole: "admin" });
    const viaAdmin = await call("GET", "/admin/auth/logout", {
      headers: { cookie: b.cookie, "sec-fetch-site": "same-origin" },
    });
    expect(viaAdmin.status).toBe(302);
    expect(viaAdmin.headers.get("location")).toMatch(/\/admin\/auth\/login$/);
    expect(viaAdmin.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await meStatus(b.token)).toBe(401);
  });
});

describe("security review (issue 14), finding 7: no login CSRF", () => {
  it("a cross-site form post to the form login signs nobody in; the admin UI's own form still does", async () => {
    const victim = await makeUser({ agencyRole: "admin", login: false });
    const form = (headers: Record<string, string>, path = "/api/auth/password/login") =>
      call("POST", path, {
        rawBody: new URLSearchParams({ email: victim.email, password: PASSWORD }).toString(),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "cf-connecting-ip": "198.51.100.77",
          ...headers,
        },
      });
    for (const headers of [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" } as Record<string, string>,
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ]) {
      for (const path of ["/api/auth/password/login", "/api/auth/login"]) {
        const res = await form(headers, path);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.headers.get("set-cookie"), JSON.stringify(headers)).toBeNull();
      }
    }
    // bknd's admin UI posts from the API's own origin; the site's pages from an allowed origin
    const own = await form({ origin: "https://bknd.test", "sec-fetch-site": "same-origin" });
    expect(own.status).toBe(303);
    expect(own.headers.get("set-cookie") ?? "").toMatch(/^auth=ey/);
    const site = await form({ origin: "http://localhost:4321", "sec-fetch-site": "same-site" });
    expect(site.status).toBe(303);
  });
});
