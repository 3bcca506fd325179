/**
 * Single sign-on through the worker's routes against the local fake OIDC provider (packages/fake-oidc, started
 * by test/fake-oidc.global.ts): the browser's part is played here, step by step — start, the provider's page
 * (which consents for the person the test names), the callback with the state cookie. No real provider.
 */
import { env, exports } from "cloudflare:workers";
import { createInvitation, type TenantRef, totpCode } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  makeTenant,
  makeUser,
  PASSWORD,
  sessionIdOf,
  systemCtx,
  type TestUser,
  unique,
} from "../../test/factories.ts";
import { isPublicRoute } from "../http/public-routes.ts";

const testEnv = env as unknown as { FAKE_OIDC_URL: string; PUBLIC_SITE_URL: string };
const SITE = testEnv.PUBLIC_SITE_URL; // the flow runs on the main site (http://localhost:4321 in wrangler.toml)
const FAKE = testEnv.FAKE_OIDC_URL;
/** A project's origin: http://acme.localhost:4321 */
const tenantAt = (subdomain: string) => {
  const u = new URL(SITE);
  u.hostname = `${subdomain}.${u.hostname}`;
  return u.origin;
};

function worker(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(url, { headers, redirect: "manual" }),
  );
}

type Login = {
  email: string;
  verified?: "0" | "1";
  sub?: string;
  tamper?: "signature" | "nonce" | "audience" | "issuer" | "expired";
  deny?: "1";
  tid?: string;
};

/** The `fp_sso` cookie a response sets ("" when it clears it), and the auth cookie if any. */
const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/** Start → provider → back: the callback's answer, and what happened on the way. */
async function signInThrough(
  login: Login,
  opts: {
    provider?: "google" | "microsoft";
    query?: string;
    editCallback?: (u: URL) => void;
    callbackHeaders?: Record<string, string>;
    dropCookie?: boolean;
  } = {},
) {
  const provider = opts.provider ?? "google";
  const start = await worker(`${SITE}/api/auth/sso/${provider}/start?${opts.query ?? "lang=fr"}`);
  expect(start.status).toBe(303);
  const state = cookieOf(start, "fp_sso");
  expect(state).toBeTruthy();
  expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly/);
  expect(start.headers.getSetCookie()[0]).toMatch(/SameSite=Lax/);
  const authorize = new URL(start.headers.get("location") ?? "");
  expect(authorize.origin).toBe(FAKE);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  for (const [k, v] of Object.entries(login)) authorize.searchParams.set(`login_${k}`, v);
  const consent = await fetch(authorize, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get("location") ?? "");
  expect(back.href.startsWith(`${SITE}/api/auth/sso/${provider}/callback?`)).toBe(true);
  opts.editCallback?.(back);
  const res = await worker(back.href, {
    ...(opts.dropCookie ? {} : { cookie: `fp_sso=${state}` }),
    ...opts.callbackHeaders,
  });
  return { res, location: new URL(res.headers.get("location") ?? "", SITE), auth: cookieOf(res, "auth") };
}

async function me(auth: string | undefined) {
  const res = await worker(`${SITE}/api/auth/me`, { cookie: `auth=${auth}` });
  return res.status === 200 ? ((await res.json()) as { user: { id: number; email: string } }).user : null;
}

const links = (userId: number) =>
  db()
    .prepare("SELECT provider, subject, email FROM user_identities WHERE user_id = ?")
    .bind(userId)
    .all<{ provider: string; subject: string; email: string }>()
    .then((r) => r.results);

let A: TenantRef;
let client: TestUser;

beforeAll(async () => {
  A = await makeTenant("SSO");
  client = await makeUser({ memberships: [[A, "client"]], login: false });
});

describe("the providers and the routes", () => {
  it("lists the configured providers, publicly", async () => {
    const res = await worker(`${SITE}/api/auth/sso/providers`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      providers: [
        { id: "google", label: "Google" },
        { id: "microsoft", label: "Microsoft" },
      ],
    });
    for (const path of [
      "/api/auth/sso/providers",
      "/api/auth/sso/google/start",
      "/api/auth/sso/google/callback",
    ])
      expect(isPublicRoute("GET", path)).toBe(true);
  });

  it("an unknown provider goes back to the sign-in page, saying so", async () => {
    const res = await worker(`${SITE}/api/auth/sso/github/start?lang=en`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${SITE}/en/login?sso=unavailable`);
  });

  it("a start on a project's subdomain goes to the main site first, naming the project", async () => {
    const res = await worker(`${tenantAt(A.subdomain)}/api/auth/sso/google/start?lang=fr&next=/documents`, {
      "x-fataplus-tenant": A.subdomain,
    });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get("location") ?? "");
    expect(to.origin).toBe(SITE);
    expect(to.pathname).toBe("/api/auth/sso/google/start");
    expect(to.searchParams.get("portal")).toBe(A.subdomain);
    expect(to.searchParams.get("next")).toBe("/documents");
    expect(cookieOf(res, "fp_sso")).toBeUndefined();
  });
});

describe("signing in", () => {
  it("an existing account signs in with its verified address; the provider is linked; later sign-ins match on the subject", async () => {
    const sub = unique("google-sub");
    const first = await signInThrough({ email: client.email, sub });
    expect(first.res.status).toBe(303);
    expect(first.location.href).toBe(`${SITE}/auth/sso/continue`);
    expect(first.res.headers.get("cache-control")).toBe("no-store");
    expect((await me(first.auth))?.id).toBe(client.id);
    expect(await links(client.id)).toEqual([{ provider: "google", subject: sub, email: client.email }]);
    // The state cookie is cleared on the way back.
    expect(cookieOf(first.res, "fp_sso")).toBe("");

    // Same subject, another (even unverified) address at the provider: still this account, by its link.
    const again = await signInThrough({ email: `renamed-${client.email}`, sub, verified: "0" });
    expect((await me(again.auth))?.id).toBe(client.id);
    expect(await links(client.id)).toHaveLength(1);
  });

  it("an account with a second factor gets no session from the provider: the site's sign-in asks the code", async () => {
    const u = await makeUser({ memberships: [[A, "project_manager"]] });
    const start = await call("POST", "/api/app/account/mfa/totp", { token: u.token });
    const { data } = (await start.json()) as { data: { secret: string } };
    const confirmed = await call("POST", "/api/app/account/mfa/totp/confirm", {
      token: u.token,
      body: { code: totpCode(data.secret, Date.now() - 30_000) }, // each step's code is accepted once
    });
    expect(confirmed.status).toBe(200);
    for (const portal of [false, true]) {
      const { res, location, auth } = await signInThrough(
        { email: u.email, sub: unique("mfa-sub") },
        { query: portal ? `lang=en&portal=${A.subdomain}` : "lang=en" },
      );
      expect(res.status).toBe(303);
      expect(auth).toBeUndefined(); // no session, and no hand-off code either
      expect(location.origin + location.pathname).toBe(`${SITE}/en/login`);
      expect(location.searchParams.get("mfa_step")).toBe("verify");
      const challenge = location.searchParams.get("mfa_challenge") ?? "";
      // the challenge is the password sign-in's: the code opens the session
      const verified = await call("POST", "/api/auth/mfa/verify", {
        body: { challenge, code: totpCode(data.secret, Date.now() + (portal ? 30_000 : 0)) },
      });
      expect(verified.status).toBe(200);
      // the session it opens says how the person signed in: through the provider, with the second factor
      const { token } = (await verified.json()) as { token: string };
      const row = await env.DB.prepare("SELECT method, mfa FROM sessions WHERE id = ?")
        .bind(sessionIdOf(token))
        .first();
      expect(row).toEqual({ method: "sso", mfa: 1 });
    }
  });

  it("keeps `next` for the site's landing", async () => {
    const { location, auth } = await signInThrough(
      { email: client.email },
      { query: "lang=fr&next=/crm/clients" },
    );
    expect(location.pathname).toBe("/auth/sso/continue");
    expect(location.searchParams.get("next")).toBe("/crm/clients");
    expect(auth).toBeTruthy();
    // a next that leaves the site is dropped
    const off = await signInThrough({ email: client.email }, { query: "next=//evil.test/x" });
    expect(off.location.searchParams.get("next")).toBeNull();
  });

  it("Microsoft: the address counts when the directory owns its domain (xms_edov); the issuer names the directory", async () => {
    const user = await makeUser({ memberships: [[A, "client"]], login: false });
    const refused = await signInThrough({ email: user.email, verified: "0" }, { provider: "microsoft" });
    expect(refused.location.href).toBe(`${SITE}/login?sso=unverified`);
    expect(refused.auth).toBeUndefined();
    const ok = await signInThrough({ email: user.email }, { provider: "microsoft" });
    expect((await me(ok.auth))?.id).toBe(user.id);
    expect((await links(user.id)).map((l) => l.provider)).toEqual(["microsoft"]);
  });

  it("started on a project's subdomain, the session is handed off there (and only for its members)", async () => {
    const { res, location, auth } = await signInThrough(
      { email: client.email },
      { query: `lang=en&portal=${A.subdomain}` },
    );
    expect(res.status).toBe(303);
    expect(auth).toBeUndefined(); // no session on the main site
    expect(location.origin).toBe(tenantAt(A.subdomain));
    expect(location.pathname).toBe("/auth/handoff");
    expect(location.searchParams.get("next")).toBe("/en/");
    const redeem = await (exports as unknown as { default: Fetcher }).default.fetch(
      new Request(`${tenantAt(A.subdomain)}/api/auth/handoff/redeem`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-fataplus-tenant": A.subdomain },
        body: JSON.stringify({ code: location.searchParams.get("code"), tenant: A.subdomain }),
      }),
    );
    expect(redeem.status).toBe(200);
    expect((await me(cookieOf(redeem, "auth")))?.id).toBe(client.id);

    const B = await makeTenant("SSO other");
    const elsewhere = await signInThrough({ email: client.email }, { query: `portal=${B.subdomain}` });
    expect(elsewhere.location.href).toBe(`${tenantAt(B.subdomain)}/login?sso=no_access`);
  });
});

describe("refusals: a redirect with the reason, never a session, never a 5xx", () => {
  it("another state than the cookie's", async () => {
    const r = await signInThrough(
      { email: client.email },
      { editCallback: (u) => u.searchParams.set("state", "x".repeat(43)) },
    );
    expect(r.res.status).toBe(303);
    expect(r.location.href).toBe(`${SITE}/login?sso=state`);
    expect(r.auth).toBeUndefined();
  });

  it("no state cookie (another browser), or an expired one", async () => {
    const none = await signInThrough({ email: client.email }, { dropCookie: true });
    expect(none.location.href).toBe(`${SITE}/login?sso=state`);
    expect(none.auth).toBeUndefined();
    const later = new Date(Date.now() + 11 * 60_000).toISOString();
    const expired = await signInThrough(
      { email: client.email },
      { callbackHeaders: { "x-fataplus-test-now": later } },
    );
    expect(expired.location.href).toBe(`${SITE}/login?sso=state`);
    expect(expired.auth).toBeUndefined();
    // nine minutes is still in time
    const nine = new Date(Date.now() + 9 * 60_000).toISOString();
    const inTime = await signInThrough(
      { email: client.email },
      { callbackHeaders: { "x-fataplus-test-now": nine } },
    );
    expect(inTime.auth).toBeTruthy();
  });

  it("a tampered state cookie", async () => {
    const start = await worker(`${SITE}/api/auth/sso/google/start`);
    const state = cookieOf(start, "fp_sso") ?? "";
    const flipped = `${state.slice(0, -3)}${state.endsWith("A") ? "B" : "A"}${state.slice(-2)}`;
    const authorize = new URL(start.headers.get("location") ?? "");
    authorize.searchParams.set("login_email", client.email);
    const back = (await fetch(authorize, { redirect: "manual" })).headers.get("location") ?? "";
    const res = await worker(back, { cookie: `fp_sso=${flipped}` });
    expect(res.headers.get("location")).toBe(`${SITE}/login?sso=state`);
  });

  for (const [tamper, what] of [
    ["nonce", "another nonce"],
    ["signature", "a token signed by another key"],
    ["audience", "a token for another client"],
    ["issuer", "a token from another issuer"],
    ["expired", "an expired token"],
  ] as const) {
    it(`${what}`, async () => {
      const r = await signInThrough({ email: client.email, tamper });
      expect(r.res.status).toBe(303);
      expect(r.location.href).toBe(`${SITE}/login?sso=token`);
      expect(r.auth).toBeUndefined();
    });
  }

  it("an address the provider did not verify, with no link: refused, nothing linked", async () => {
    const user = await makeUser({ memberships: [[A, "client"]], login: false });
    const r = await signInThrough({ email: user.email, verified: "0" }, { query: "lang=en" });
    expect(r.location.href).toBe(`${SITE}/en/login?sso=unverified`);
    expect(r.auth).toBeUndefined();
    expect(await links(user.id)).toEqual([]);
  });

  it("an unknown address without an invitation: refused, no account created", async () => {
    const email = `${unique("stranger")}@example.test`;
    const r = await signInThrough({ email });
    expect(r.location.href).toBe(`${SITE}/login?sso=no_account`);
    expect(r.auth).toBeUndefined();
    expect(await db().prepare("SELECT id FROM users WHERE email = ?").bind(email).first()).toBeNull();
  });

  it("a disabled account", async () => {
    const user = await makeUser({ memberships: [[A, "client"]], login: false });
    await db().prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(user.id).run();
    const r = await signInThrough({ email: user.email });
    expect(r.location.href).toBe(`${SITE}/login?sso=disabled`);
    expect(r.auth).toBeUndefined();
  });

  it("the person refuses at the provider", async () => {
    const r = await signInThrough({ email: client.email, deny: "1" });
    expect(r.location.href).toBe(`${SITE}/login?sso=denied`);
  });
});

describe("invitations", () => {
  it("a pending invitation for the verified address creates the account (no password), claimed once", async () => {
    const email = `${unique("invitee")}@example.test`;
    const inv = await createInvitation({ ctx: systemCtx(A), input: { email, role: "client" } });
    const r = await signInThrough({ email });
    expect(r.location.pathname).toBe("/auth/sso/continue");
    const user = await me(r.auth);
    expect(user?.email).toBe(email);
    const row = await db()
      .prepare("SELECT strategy_value, status FROM users WHERE email = ?")
      .bind(email)
      .first<{ strategy_value: string | null; status: string }>();
    expect(row).toEqual({ strategy_value: null, status: "active" });
    const claimed = await db()
      .prepare("SELECT accepted_at FROM invitations WHERE id = ?")
      .bind(inv.id)
      .first<{ accepted_at: string | null }>();
    expect(claimed?.accepted_at).toBeTruthy();
    expect(
      await db()
        .prepare("SELECT role FROM memberships WHERE tenant_id = ? AND user_id = ?")
        .bind(A.id, user?.id)
        .all(),
    ).toMatchObject({ results: [{ role: "client" }] });
    expect(await links(user?.id ?? 0)).toHaveLength(1);
    // The password way is closed for this account (it has none), and its invitation link is used.
    const password = await (exports as unknown as { default: Fetcher }).default.fetch(
      new Request(`${SITE}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "Any-password-at-all-42" }),
      }),
    );
    expect(password.status).toBe(401);
    const reuse = await (exports as unknown as { default: Fetcher }).default.fetch(
      new Request(`${SITE}/api/auth/invitations/accept`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: inv.token, password: "Another-password-42" }),
      }),
    );
    expect(reuse.status).toBe(404);
    // Signing in again: the link, one account, one acceptance row.
    const again = await signInThrough({ email });
    expect((await me(again.auth))?.id).toBe(user?.id);
    const audits = await db()
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'invitation.accept' AND entity_id = ?")
      .bind(inv.id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });

  it("started from an invitation link: joins with it; a used one, or one for another address, goes back to it", async () => {
    const email = `${unique("linked")}@example.test`;
    const inv = await createInvitation({ ctx: systemCtx(A), input: { email, role: "client" } });
    const r = await signInThrough({ email }, { query: `lang=en&invitation=${inv.token}` });
    expect((await me(r.auth))?.email).toBe(email);
    // the new account reads the language of the page it signed in from
    const locale = await db().prepare("SELECT locale FROM users WHERE email = ?").bind(email).first();
    expect(locale).toEqual({ locale: "en" });
    const used = await signInThrough({ email }, { query: `lang=en&invitation=${inv.token}` });
    expect(used.location.pathname).toBe("/en/invitation");
    expect(used.location.searchParams.get("sso")).toBe("invitation");
    expect(used.location.searchParams.get("token")).toBe(inv.token);
    expect(used.auth).toBeUndefined();

    const other = await createInvitation({
      ctx: systemCtx(A),
      input: { email: `${unique("someone")}@example.test`, role: "client" },
    });
    const wrong = await signInThrough({ email: client.email }, { query: `invitation=${other.token}` });
    expect(wrong.location.searchParams.get("sso")).toBe("invitation");
    expect(wrong.auth).toBeUndefined();
    const stillPending = await db()
      .prepare("SELECT accepted_at FROM invitations WHERE id = ?")
      .bind(other.id)
      .first<{ accepted_at: string | null }>();
    expect(stillPending?.accepted_at).toBeNull();
  });

  it("an existing account accepts an invitation to another project through the provider", async () => {
    const B = await makeTenant("SSO joined");
    const inv = await createInvitation({ ctx: systemCtx(B), input: { email: client.email, role: "client" } });
    const r = await signInThrough({ email: client.email }, { query: `invitation=${inv.token}` });
    expect((await me(r.auth))?.id).toBe(client.id);
    const joined = await db()
      .prepare("SELECT role FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(B.id, client.id)
      .first();
    expect(joined).toEqual({ role: "client" });
  });

  it("two callbacks racing for one invitation create one account", async () => {
    const email = `${unique("race")}@example.test`;
    await createInvitation({ ctx: systemCtx(A), input: { email, role: "client" } });
    const results = await Promise.all([
      signInThrough({ email, sub: "race-1" }),
      signInThrough({ email, sub: "race-2" }),
    ]);
    for (const r of results) expect(r.res.status).toBe(303);
    const users = await db().prepare("SELECT id FROM users WHERE email = ?").bind(email).all();
    expect(users.results).toHaveLength(1);
    expect(results.filter((r) => r.auth).length).toBeGreaterThanOrEqual(1);
  });
});

describe("the account's provider links", () => {
  it("lists the caller's own links, and removes one provider's", async () => {
    const user = await makeUser({ memberships: [[A, "client"]] });
    const sub = unique("to-unlink");
    await signInThrough({ email: user.email, sub });
    await signInThrough({ email: user.email }, { provider: "microsoft" });
    const list = await call("GET", "/api/app/account/sso", { token: user.token });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { links: Array<{ provider: string }>; providers: unknown[] };
    expect(body.links.map((l) => l.provider).sort()).toEqual(["google", "microsoft"]);
    expect(body.providers).toHaveLength(2);
    expect(JSON.stringify(body)).not.toContain(sub); // the subject stays on the server

    const bad = await call("POST", "/api/app/account/sso/unlink", {
      token: user.token,
      body: { provider: "github" },
    });
    expect(bad.status).toBe(400);
    const res = await call("POST", "/api/app/account/sso/unlink", {
      token: user.token,
      body: { provider: "google" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ removed: 1 });
    expect((await links(user.id)).map((l) => l.provider)).toEqual(["microsoft"]);
    // unlinked, the old subject with an unverified address no longer signs in
    const after = await signInThrough({ email: user.email, sub, verified: "0" });
    expect(after.location.searchParams.get("sso")).toBe("unverified");
    expect(after.auth).toBeUndefined();
    expect((await call("GET", "/api/app/account/sso")).status).toBe(401);
  });
});

describe("the agency requires single sign-on for its team", () => {
  it("an admin with a linked provider turns it on; staff passwords are refused, clients' are not; off again", async () => {
    const admin = await makeUser({ agencyRole: "admin" });
    const staff = await makeUser({ agencyRole: "staff" });
    const member = await makeUser({ memberships: [[A, "client"]], login: false });
    const policy = (token: string, staffSsoRequired: boolean) =>
      call("POST", "/api/app/agency/sso-policy", { token, body: { staffSsoRequired } });
    const password = (email: string) =>
      call("POST", "/api/auth/login", { body: { email, password: PASSWORD } });

    expect((await policy(staff.token, true)).status).toBe(403); // staff may not
    const unlinked = await policy(admin.token, true);
    expect(unlinked.status).toBe(409); // the admin has no provider yet: it could lock the agency out
    expect(JSON.stringify(await unlinked.json())).toContain("LINK_FIRST");
    await signInThrough({ email: admin.email });
    const on = await policy(admin.token, true);
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ staffSsoRequired: true });

    const refused = await password(staff.email);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toContain("SSO_REQUIRED");
    expect((await password(admin.email)).status).toBe(403);
    expect((await password(member.email)).status).toBe(200);
    const viaProvider = await signInThrough({ email: staff.email });
    expect((await me(viaProvider.auth))?.id).toBe(staff.id);
    const listed = await call("GET", "/api/app/account/sso", { token: admin.token });
    expect(await listed.json()).toMatchObject({ policy: { staffSsoRequired: true } });

    expect((await policy(admin.token, false)).status).toBe(200);
    expect((await password(staff.email)).status).toBe(200);
  });
});
