/**
 * The password routes (src/routes/passwords.ts): the reset routes are public and listed for the gate, bad
 * input gets a 4xx (never a 5xx), a reset answers the same whoever the address belongs to, and changing one's
 * password ends the other sessions while this device gets a fresh one.
 */
import { createInvitation, type TenantRef } from "@fataplus/domain";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, PASSWORD, scenario, systemCtx, type TestUser } from "../../test/factories.ts";
import type { AppServer } from "../http/context.ts";
import { isPublicRoute } from "../http/public-routes.ts";
import { registerRoutes } from "./index.ts";
import { PASSWORD_PUBLIC_PATHS } from "./passwords.ts";

const STRONG = "Tortue-Mangue-Baobab-88";
let user: TestUser;
let tenantSub = "";
let tenant: TenantRef;
beforeAll(async () => {
  const s = await scenario({ tenants: ["a"], users: { user: { in: { a: "client" } } } });
  user = s.users.user;
  tenant = s.tenants.a;
  tenantSub = s.tenants.a.subdomain;
});
let ipN = 0;
const ip = () => ({ "cf-connecting-ip": `192.0.2.${++ipN}` });

async function lastResetLink(email: string): Promise<URL> {
  const row = await db()
    .prepare(
      "SELECT text_body FROM email_outbox WHERE to_address = ? AND kind = 'password.reset' ORDER BY created_at DESC, rowid DESC LIMIT 1",
    )
    .bind(email)
    .first<{ text_body: string }>();
  const link = /https?:\/\/\S+\?token=\S+/.exec(row?.text_body ?? "")?.[0];
  if (!link) throw new Error(`no reset mail for ${email}`);
  return new URL(link);
}

describe("the password routes' place in the gate", () => {
  it("the reset routes are public, changing a password is not", () => {
    const server: AppServer = new Hono();
    registerRoutes(server, {} as never);
    const registered = server.routes.map((r) => `${r.method} ${r.path}`);
    for (const path of PASSWORD_PUBLIC_PATHS) {
      expect(registered).toContain(`POST ${path}`);
      expect(isPublicRoute("POST", path), path).toBe(true);
      expect(isPublicRoute("GET", path), path).toBe(false);
    }
    expect(registered).toContain("POST /api/app/account/password");
    expect(isPublicRoute("POST", "/api/app/account/password")).toBe(false);
  });
});

describe("POST /api/auth/reset/request", () => {
  it("answers 200 and the same body for an unknown address and a real one", async () => {
    const known = await call("POST", "/api/auth/reset/request", {
      body: { email: user.email },
      headers: ip(),
    });
    const unknown = await call("POST", "/api/auth/reset/request", {
      body: { email: "nobody-here@example.test" },
      headers: ip(),
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(await known.text()).toBe(await unknown.text());
    expect(known.headers.get("cache-control")).toBe("no-store");
    expect((await lastResetLink(user.email)).origin).toBe("http://localhost:4321");
  });

  it("links to the project subdomain the site names", async () => {
    await call("POST", "/api/auth/reset/request", {
      body: { email: user.email },
      tenant: tenantSub,
      headers: ip(),
    });
    expect((await lastResetLink(user.email)).origin).toBe(`http://${tenantSub}.localhost:4321`);
  });

  it("bad input is a 4xx, never a 5xx", async () => {
    const bodies = [
      { rawBody: "{not json", headers: { "content-type": "application/json" } },
      { body: { email: "not-an-address" } },
      { body: { email: user.email, extra: 1 } },
      { body: [] },
      { rawBody: "email=x", headers: { "content-type": "application/x-www-form-urlencoded" } },
      {},
    ];
    for (const b of bodies) {
      const res = await call("POST", "/api/auth/reset/request", { ...b, headers: { ...ip(), ...b.headers } });
      expect(res.status, JSON.stringify(b)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(b)).toBeLessThan(500);
    }
  });

  it("throttles one client asking again and again: 429 with Retry-After", async () => {
    const me = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await call("POST", "/api/auth/reset/request", { body: { email: user.email }, headers: me })).status,
      );
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
    const res = await call("POST", "/api/auth/reset/request", { body: { email: user.email }, headers: me });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("checking and using a link", () => {
  it("check, then confirm: the password changes, old sessions end, the link is used up", async () => {
    const s = await scenario({ tenants: [], users: { u: {} } });
    const u = s.users.u;
    await call("POST", "/api/auth/reset/request", { body: { email: u.email }, headers: ip() });
    const token = (await lastResetLink(u.email)).searchParams.get("token") ?? "";
    const check = await call("POST", "/api/auth/reset/check", { body: { token } });
    expect(check.status).toBe(200);
    expect(await json(check)).toEqual({ ok: true, locale: "fr" });

    const weak = await call("POST", "/api/auth/reset/confirm", {
      body: { token, password: "motdepasse123" },
    });
    expect(weak.status).toBe(400);
    expect((await json<{ error: { message: string } }>(weak)).error.message).toMatch(/trop facile à deviner/);

    const done = await call("POST", "/api/auth/reset/confirm", { body: { token, password: STRONG } });
    expect(done.status).toBe(200);
    expect(done.headers.get("set-cookie")).toBeNull(); // nobody is signed in by a link
    expect((await call("GET", "/api/auth/me", { token: u.token })).status).toBe(401);
    const again = await call("POST", "/api/auth/reset/confirm", { body: { token, password: STRONG } });
    expect(again.status).toBe(404);
    expect((await call("POST", "/api/auth/reset/check", { body: { token } })).status).toBe(404);
    const login = await call("POST", "/api/auth/login", { body: { email: u.email, password: STRONG } });
    expect(login.status).toBe(200);
  });

  it("bad input is a 4xx, never a 5xx", async () => {
    for (const path of ["/api/auth/reset/check", "/api/auth/reset/confirm"])
      for (const body of [
        {},
        { token: 1 },
        { token: "x".repeat(500) },
        { token: "y".repeat(43), password: "" },
        "x",
      ]) {
        const res = await call("POST", path, { body });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
  });
});

describe("POST /api/app/account/password", () => {
  it("needs a session", async () => {
    const res = await call("POST", "/api/app/account/password", {
      body: { current_password: PASSWORD, new_password: STRONG },
    });
    expect(res.status).toBe(401);
  });

  it("a wrong current password is a 400 on that field, and the session stays", async () => {
    const s = await scenario({ tenants: [], users: { u: { locale: "en" } } });
    const res = await call("POST", "/api/app/account/password", {
      token: s.users.u.token,
      body: { current_password: "nope", new_password: STRONG },
      headers: ip(),
    });
    expect(res.status).toBe(400);
    expect((await json<{ error: { details: unknown } }>(res)).error.details).toEqual([
      { path: "current_password", message: "The current password is incorrect." },
    ]);
    expect((await call("GET", "/api/auth/me", { token: s.users.u.token })).status).toBe(200);
  });

  it("changes it: other sessions end, this device gets a fresh session", async () => {
    const s = await scenario({ tenants: [], users: { u: {} } });
    const u = s.users.u;
    const res = await call("POST", "/api/app/account/password", {
      token: u.token,
      body: { current_password: PASSWORD, new_password: STRONG },
      headers: ip(),
    });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^auth=./);
    expect((await call("GET", "/api/auth/me", { token: u.token })).status).toBe(401);
    expect((await call("GET", "/api/auth/me", { headers: { cookie } })).status).toBe(200);
    expect(
      (await call("POST", "/api/auth/login", { body: { email: u.email, password: STRONG } })).status,
    ).toBe(200);
  });

  it("bad input is a 4xx, never a 5xx", async () => {
    for (const body of [
      {},
      { current_password: PASSWORD },
      { current_password: PASSWORD, new_password: "short" },
      [],
    ]) {
      const res = await call("POST", "/api/app/account/password", { token: user.token, body, headers: ip() });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
  });
});

describe("POST /api/auth/invitations/accept", () => {
  it("refuses a guessable password with a 400 whose reason is in the page's language", async () => {
    const email = `inv-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const { token } = await createInvitation({ ctx: systemCtx(tenant), input: { email, role: "client" } });
    const fr = await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: "motdepasse123" },
    });
    expect(fr.status).toBe(400);
    const frBody = await json<{ error: { details: Array<{ path: string; message: string }> } }>(fr);
    expect(frBody.error.details[0]).toMatchObject({
      path: "password",
      message: expect.stringMatching(/^Ce mot de passe/),
    });
    const en = await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: "azertyuiop123", locale: "en" },
    });
    expect(en.status).toBe(400);
    expect((await json<{ error: { message: string } }>(en)).error.message).toMatch(
      /^This password is too easy/,
    );
    const ok = await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: STRONG, locale: "en" },
    });
    expect(ok.status).toBe(201);
  });
});
