import { totpCode } from "@fataplus/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, db, json, makeUser, PASSWORD, scenario, type TestUser } from "../../test/factories.ts";

let ipN = 0;
const ip = () => ({ "cf-connecting-ip": `192.0.2.${++ipN}` });
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

type Mfa = { mfa: { challenge: string; step: "verify" | "enrol"; expires_at: string } };

const login = (email: string, headers = ip()) =>
  call("POST", "/api/auth/login", { body: { email, password: PASSWORD }, headers });

async function challengeFor(email: string, headers = ip()): Promise<Mfa["mfa"]> {
  const res = await login(email, headers);
  expect(res.status).toBe(200);
  expect(res.headers.get("set-cookie")).toBeNull();
  const body = await json<Mfa & { token?: string }>(res);
  expect(body.token).toBeUndefined();
  return body.mfa;
}

/** Enrols a signed-in person on the account routes; the secret and the recovery codes. */
async function enrol(who: TestUser, at = Date.now()) {
  const start = await call("POST", "/api/app/account/mfa/totp", { token: who.token });
  expect(start.status).toBe(201);
  const { data } = await json<{ data: { secret: string; uri: string } }>(start);
  const confirm = await call("POST", "/api/app/account/mfa/totp/confirm", {
    token: who.token,
    body: { code: totpCode(data.secret, at) },
    headers: ip(),
  });
  expect(confirm.status).toBe(200);
  const { data: done } = await json<{ data: { recoveryCodes: string[] } }>(confirm);
  return { secret: data.secret, recoveryCodes: done.recoveryCodes };
}

const verify = (body: unknown, headers = ip()) => call("POST", "/api/auth/mfa/verify", { body, headers });

let client: TestUser;
let other: TestUser;
let admin: TestUser;
let staff: TestUser;
let secret = "";
let recoveryCodes: string[] = [];

beforeAll(async () => {
  const s = await scenario({
    tenants: ["Agency", "A"],
    agency: ["Agency"],
    roles: ["client"],
    users: { admin: { agency: "admin" }, staff: { agency: "staff" }, other: { in: { A: "client" } } },
  });
  client = s.members.A.client;
  other = s.users.other;
  admin = s.users.admin;
  staff = s.users.staff;
  ({ secret, recoveryCodes } = await enrol(client, Date.now() - 30_000));
});
afterAll(async () => {
  await db().prepare("DELETE FROM auth_policy").run();
});

describe("enrolment on the account routes", () => {
  it("shows the secret once; the status never carries it; a second enrolment is refused", async () => {
    expect(recoveryCodes).toHaveLength(10);
    const status = await call("GET", "/api/app/account/mfa", { token: client.token });
    expect(status.status).toBe(200);
    const text = await status.text();
    expect(JSON.parse(text)).toMatchObject({ data: { enabled: true, recoveryCodesLeft: 10 } });
    expect(text).not.toContain(secret);
    expect((await call("POST", "/api/app/account/mfa/totp", { token: client.token })).status).toBe(409);
  });

  it("answers 4xx with a readable message for bad input", async () => {
    const who = await makeUser({ memberships: [] });
    for (const body of [{}, { code: "12" }, { code: 123456 }, { code: "123456", extra: 1 }]) {
      const res = await call("POST", "/api/app/account/mfa/totp/confirm", { token: who.token, body });
      expect([400, 409]).toContain(res.status);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/\w/);
    }
    const junk = await call("POST", "/api/app/account/mfa/totp/confirm", {
      token: who.token,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(junk.status).toBe(400);
    await call("POST", "/api/app/account/mfa/totp", { token: who.token });
    const wrong = await call("POST", "/api/app/account/mfa/totp/confirm", {
      token: who.token,
      body: { code: "000000" },
      headers: ip(),
    });
    expect(wrong.status).toBe(422);
    const off = await call("POST", "/api/app/account/mfa/disable", {
      token: who.token,
      body: { password: PASSWORD, code: "123456" },
    });
    expect(off.status).toBe(409); // not on yet
  });

  it("needs a session", async () => {
    expect((await call("GET", "/api/app/account/mfa")).status).toBe(401);
    expect((await call("POST", "/api/app/account/mfa/totp")).status).toBe(401);
  });
});

describe("sign-in with a second factor", () => {
  it("a right password answers a challenge, not a session; the code then signs in, once", async () => {
    const from = ip();
    const mfa = await challengeFor(client.email, from);
    expect(mfa.step).toBe("verify");
    expect(Date.parse(mfa.expires_at) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(Date.parse(mfa.expires_at) - Date.now()).toBeGreaterThan(4 * 60_000);
    const code = totpCode(secret, Date.now());
    const ok = await verify({ challenge: mfa.challenge, code }, from);
    expect(ok.status).toBe(200);
    const body = await json<{ user: { id: number }; token: string }>(ok);
    expect(body.user.id).toBe(client.id);
    const me = await call("GET", "/api/auth/me", { headers: { cookie: cookieOf(ok) } });
    expect(me.status).toBe(200);
    // the session's row says a second factor was checked for it (decision 022's sessions table)
    const row = await db()
      .prepare(
        "SELECT method, mfa FROM sessions WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
      )
      .bind(client.id)
      .first<{ method: string; mfa: number }>();
    expect(row).toEqual({ method: "password", mfa: 1 });
    expect((await call("GET", "/api/auth/me", { token: body.token })).status).toBe(200);
    // single use: the challenge again, and the same code on a fresh challenge
    expect((await verify({ challenge: mfa.challenge, code }, from)).status).toBe(401);
    const again = await challengeFor(client.email, from);
    const replay = await verify({ challenge: again.challenge, code }, from);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("set-cookie")).toBeNull();
  });

  it("a recovery code signs in once", async () => {
    const code = recoveryCodes[0] ?? "";
    const first = await verify({
      challenge: (await challengeFor(client.email)).challenge,
      recoveryCode: code,
    });
    expect(first.status).toBe(200);
    expect(cookieOf(first)).toMatch(/^auth=ey/);
    const second = await verify({
      challenge: (await challengeFor(client.email)).challenge,
      recoveryCode: code,
    });
    expect(second.status).toBe(401);
  });

  it("refuses bad input with a 4xx, an unknown challenge and an expired one with 401", async () => {
    for (const body of [{}, { challenge: "x" }, { code: "123456" }, { challenge: "a".repeat(30) }]) {
      const res = await verify(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/code/);
    }
    const junk = await call("POST", "/api/auth/mfa/verify", {
      rawBody: "not json",
      headers: { "content-type": "application/json" },
    });
    expect(junk.status).toBe(400);
    const unknown = await verify({ challenge: "b".repeat(43), code: "123456" });
    expect(unknown.status).toBe(401);
    expect((await json<{ error: { message: string } }>(unknown)).error.message).toMatch(/sign in again/i);

    const mfa = await challengeFor(client.email);
    await db()
      .prepare("UPDATE mfa_challenges SET expires_at = ? WHERE user_id = ? AND used_at IS NULL")
      .bind(new Date(Date.now() - 1000).toISOString(), client.id)
      .run();
    const late = await verify({ challenge: mfa.challenge, code: totpCode(secret, Date.now() + 30_000) });
    expect(late.status).toBe(401);
  });

  it("throttles wrong codes per (account, source): the sixth from one client is 429, another client still tries", async () => {
    const from = ip();
    for (let i = 0; i < 5; i++) {
      const res = await verify(
        { challenge: (await challengeFor(client.email)).challenge, code: "000000" },
        from,
      );
      expect(res.status).toBe(401);
    }
    const sixth = await verify(
      { challenge: (await challengeFor(client.email)).challenge, code: "000000" },
      from,
    );
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    const elsewhere = await verify({
      challenge: (await challengeFor(client.email)).challenge,
      code: "000000",
    });
    expect(elsewhere.status).toBe(401);
  });

  it("bknd's admin form login mints no session for an account with TOTP: it goes to the site's sign-in", async () => {
    const res = await call("POST", "/api/auth/password/login", {
      rawBody: new URLSearchParams({ email: client.email, password: PASSWORD }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...ip() },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toBeNull();
    const to = new URL(res.headers.get("location") ?? "");
    expect(to.pathname).toBe("/login");
    expect(to.searchParams.get("mfa")).toBe("required");
    // without TOTP, the form still signs in
    const plain = await call("POST", "/api/auth/password/login", {
      rawBody: new URLSearchParams({ email: other.email, password: PASSWORD }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...ip() },
    });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("set-cookie") ?? "").toMatch(/^auth=ey/);
  });

  it("turning it off needs the password and a code; afterwards the password alone signs in", async () => {
    const wrong = await call("POST", "/api/app/account/mfa/disable", {
      token: client.token,
      body: { password: "not-it", recoveryCode: recoveryCodes[1] },
      headers: ip(),
    });
    expect(wrong.status).toBe(422);
    const noFactor = await call("POST", "/api/app/account/mfa/disable", {
      token: client.token,
      body: { password: PASSWORD },
    });
    expect(noFactor.status).toBe(400);
    const ok = await call("POST", "/api/app/account/mfa/disable", {
      token: client.token,
      body: { password: PASSWORD, recoveryCode: recoveryCodes[1] },
      headers: ip(),
    });
    expect(ok.status).toBe(200);
    const res = await login(client.email);
    expect(res.status).toBe(200);
    expect((await json<{ token?: string }>(res)).token).toMatch(/^ey/);
  });
});

describe("the agency's policy", () => {
  it("only agency admins read or set it", async () => {
    for (const who of [staff, other]) {
      expect((await call("GET", "/api/app/admin/mfa-policy", { token: who.token })).status).toBe(403);
      const put = await call("PUT", "/api/app/admin/mfa-policy", {
        token: who.token,
        body: { staff_required_after: "2020-01-01" },
      });
      expect(put.status).toBe(403);
    }
    const bad = await call("PUT", "/api/app/admin/mfa-policy", {
      token: admin.token,
      body: { staff_required_after: "31/12/2026" },
    });
    expect(bad.status).toBe(400);
    expect((await call("GET", "/api/app/admin/mfa-policy", { token: admin.token })).status).toBe(200);
  });

  it("after the grace period, staff without TOTP enrol at sign-in, then get the session", async () => {
    const past = new Date(Date.now() - 86_400_000 * 2).toISOString().slice(0, 10);
    const put = await call("PUT", "/api/app/admin/mfa-policy", {
      token: admin.token,
      body: { staff_required_after: past },
    });
    expect(put.status).toBe(200);
    const view = await json<{ data: { notEnrolled: Array<{ id: number }> } }>(
      await call("GET", "/api/app/admin/mfa-policy", { token: admin.token }),
    );
    expect(view.data.notEnrolled.map((p) => p.id)).toEqual(expect.arrayContaining([staff.id, admin.id]));
    expect(view.data.notEnrolled.map((p) => p.id)).not.toContain(other.id);
    // a client is not concerned
    expect((await json<{ token?: string }>(await login(other.email))).token).toMatch(/^ey/);

    const mfa = await challengeFor(staff.email);
    expect(mfa.step).toBe("enrol");
    const start = await call("POST", "/api/auth/mfa/enrol", { body: { challenge: mfa.challenge } });
    expect(start.status).toBe(200);
    const { secret: staffSecret } = await json<{ secret: string }>(start);
    const done = await verify({ challenge: mfa.challenge, code: totpCode(staffSecret, Date.now()) });
    expect(done.status).toBe(200);
    const body = await json<{ recoveryCodes: string[]; user: { id: number } }>(done);
    expect(body.user.id).toBe(staff.id);
    expect(body.recoveryCodes).toHaveLength(10);
    expect(cookieOf(done)).toMatch(/^auth=ey/);
    // a 'verify' challenge takes no enrolment
    const next = await challengeFor(staff.email);
    expect(next.step).toBe("verify");
    expect((await call("POST", "/api/auth/mfa/enrol", { body: { challenge: next.challenge } })).status).toBe(
      401,
    );
  });
});
