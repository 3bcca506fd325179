/**
 * Sessions per device (decision 022): signing out ends this device only, "sign out everywhere" ends them all,
 * and the owner lists and ends their sessions. Through the real routes, with real sign-ins.
 */
import { describe, expect, it } from "vitest";
import { call, loginToken, makeUser, sessionIdOf, signIn } from "../../test/factories.ts";

const me = async (token: string) => (await call("GET", "/api/auth/me", { token })).status;
type Listed = {
  sessions: { id: string; current: boolean; method: string; mfa: boolean; userAgent: string | null }[];
};

describe("sessions per device", () => {
  it("signing out ends this device only; the other device stays signed in", async () => {
    const u = await makeUser({});
    const laptop = u.token;
    const phone = await loginToken(u.email);
    expect([await me(laptop), await me(phone)]).toEqual([200, 200]);
    const out = await call("POST", "/api/auth/logout", { token: laptop });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect([await me(laptop), await me(phone)]).toEqual([401, 200]);
  });

  it("lists where the user is signed in, this device marked, and ends another device", async () => {
    const u = await makeUser({});
    const phone = await signIn(u.email);
    const list = await call("GET", "/api/app/account/sessions", {
      token: u.token,
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("no-store");
    const { sessions } = (await list.json()) as Listed;
    expect(sessions.map((x) => [x.id, x.current]).sort()).toEqual(
      [
        [sessionIdOf(u.token), true],
        [sessionIdOf(phone.token), false],
      ].sort(),
    );
    expect(sessions.every((x) => x.method === "password" && x.mfa === false)).toBe(true);

    const end = await call("POST", "/api/app/account/sessions/end", {
      token: u.token,
      body: { id: sessionIdOf(phone.token) },
    });
    expect(end.status).toBe(200);
    expect([await me(u.token), await me(phone.token)]).toEqual([200, 401]);
    // by cookie too: the phone's cookie names the same ended session
    expect((await call("GET", "/api/auth/me", { headers: { cookie: phone.cookie } })).status).toBe(401);
  });

  it("ending: this device, an ended, unknown or foreign session, and bad input get a 4xx with a reason", async () => {
    const u = await makeUser({});
    const other = await makeUser({});
    const end = (body: unknown) => call("POST", "/api/app/account/sessions/end", { token: u.token, body });
    const answers = [
      await end({ id: sessionIdOf(u.token) }),
      await end({ id: sessionIdOf(other.token) }),
      await end({ id: "n".repeat(24) }),
      await end({}),
      await end({ id: 5 }),
    ];
    expect(answers.map((r) => r.status)).toEqual([422, 404, 404, 400, 400]);
    for (const r of answers)
      expect(((await r.json()) as { error: { message: string } }).error.message).toBeTruthy();
    // the other user is still signed in, and so is this one
    expect([await me(u.token), await me(other.token)]).toEqual([200, 200]);
  });

  it("sign out everywhere ends every session of the user, this one included, and nobody else's", async () => {
    const u = await makeUser({});
    const other = await makeUser({});
    const phone = await loginToken(u.email);
    const all = await call("POST", "/api/app/account/sessions/end-all", { token: u.token });
    expect(all.status).toBe(200);
    expect(all.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect([await me(u.token), await me(phone), await me(other.token)]).toEqual([401, 401, 200]);
    // signing in again opens a new session that works
    expect(await me(await loginToken(u.email))).toBe(200);
  });

  it("a session token without a session row (issued before decision 022) is no session", async () => {
    const u = await makeUser({});
    const [head, claims] = u.token.split(".");
    const { sid, ...payload } = JSON.parse(atob((claims ?? "").replace(/-/g, "+").replace(/_/g, "/")));
    // re-signed with the test secret, so that only the claims differ
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode("test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz"),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const b64u = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    const token = async (claims: object) => {
      const body = b64u(new TextEncoder().encode(JSON.stringify(claims)));
      const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${head}.${body}`));
      return `${head}.${body}.${b64u(new Uint8Array(mac))}`;
    };
    expect(await me(await token(payload))).toBe(401);
    expect(await me(await token({ ...payload, signed_in_at: Date.now() }))).toBe(401);
    // the same claims with the sid kept are accepted: what fails is the missing session row, not the signature
    expect(await me(await token({ ...payload, sid }))).toBe(200);
  });
});
