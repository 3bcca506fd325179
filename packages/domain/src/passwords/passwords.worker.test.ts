import { beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../../testing/scenario.ts";
import { auditRows, db, given, refused } from "../../testing/workerd.ts";
import { loadIdentity } from "../auth/identity.ts";
import { login } from "../auth/login.ts";
import { openSession } from "../auth/sessions.ts";
import { THROTTLE } from "../auth/throttle.ts";
import { acceptInvitation, createInvitation } from "../invitations/index.ts";
import { changePassword } from "./change.ts";
import { checkPasswordReset, RESET_REQUESTED, requestPasswordReset, resetPassword } from "./reset.ts";
import { RESET_LIMITS } from "./schemas.ts";
import { assessPassword } from "./strength.ts";

const setup = () =>
  given({
    tenants: ["ag", "a"],
    agency: ["ag"],
    users: {
      fr: { in: { a: "client" }, name: "Hery Rakoto" },
      en: { in: { a: "client" }, locale: "en" },
      other: {},
      disabled: { status: "disabled" },
      invited: { status: "invited" },
      changer: { locale: "en" },
      changerFr: {},
      throttled: {},
    },
  });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});

const SITE = "https://fata.plus";
const STRONG = "Tortue-Mangue-Baobab-88";
const WEAK = "motdepasse123"; // 13 characters: long enough, easily guessed
let ipN = 0;
const ip = () => `203.0.113.${++ipN}`;
const at = (ms: number) => ({ db: db(), now: () => new Date(ms) });

const ask = (email: string, opts: { now?: number; ip?: string; tenantRef?: string | null } = {}) =>
  requestPasswordReset({
    ctx: at(opts.now ?? Date.now()),
    input: { email },
    ip: opts.ip ?? ip(),
    site: { siteUrl: SITE, tenantRef: opts.tenantRef ?? null },
  });

async function mailsTo(email: string) {
  const { results } = await db()
    .prepare(
      "SELECT kind, subject, text_body, about_tenant_id FROM email_outbox WHERE to_address = ? ORDER BY created_at, rowid",
    )
    .bind(email)
    .all<{ kind: string; subject: string; text_body: string; about_tenant_id: string | null }>();
  return results;
}

/** The link of the latest reset e-mail to `email`. */
async function lastLink(email: string): Promise<URL> {
  const mail = (await mailsTo(email)).at(-1);
  const link = /https?:\/\/\S+\?token=\S+/.exec(mail?.text_body ?? "")?.[0];
  if (!link) throw new Error(`no reset link for ${email}`);
  return new URL(link);
}
const tokenOf = (u: URL) => u.searchParams.get("token") ?? "";

describe("asking for a reset link", () => {
  it("answers the same for an unknown address, a disabled or unclaimed account and a real one; only the real one gets mail", async () => {
    const ghost = `ghost-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const answers = [
      await ask(ghost),
      await ask(s.users.disabled.email),
      await ask(s.users.invited.email),
      await ask(s.users.fr.email),
    ];
    for (const a of answers) expect(a).toEqual(RESET_REQUESTED);
    expect(await mailsTo(ghost)).toEqual([]);
    expect(await mailsTo(s.users.disabled.email)).toEqual([]);
    expect(await mailsTo(s.users.invited.email)).toEqual([]);
    const [mail] = await mailsTo(s.users.fr.email);
    expect(mail).toMatchObject({
      kind: "password.reset",
      subject: "Réinitialiser votre mot de passe Fataplus",
    });
    expect(mail?.text_body).toContain("30 minutes");
    const link = await lastLink(s.users.fr.email);
    expect(link.origin + link.pathname).toBe(`${SITE}/nouveau-mot-de-passe`);
    // stored hashed only
    const rows = await db()
      .prepare("SELECT token_hash, expires_at, created_at FROM password_resets WHERE user_id = ?")
      .bind(s.users.fr.id)
      .all<{ token_hash: string; expires_at: string; created_at: string }>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0];
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.token_hash).not.toContain(tokenOf(link));
    expect(Date.parse(row?.expires_at ?? "") - Date.parse(row?.created_at ?? "")).toBe(30 * 60_000);
    expect(await auditRows(s.tenants.ag.id, { action: "password.reset_request" })).toEqual([
      expect.objectContaining({ actor_type: "system", entity: "users", entity_id: String(s.users.fr.id) }),
    ]);
  });

  it("writes the e-mail in the account's language, with a link to the project subdomain the request came from", async () => {
    await ask(s.users.en.email, { tenantRef: s.tenants.a.subdomain });
    const [mail] = await mailsTo(s.users.en.email);
    expect(mail?.subject).toBe("Reset your Fataplus password");
    expect(mail?.about_tenant_id).toBe(s.tenants.a.id);
    const link = await lastLink(s.users.en.email);
    expect(link.origin).toBe(`https://${s.tenants.a.subdomain}.fata.plus`);
    expect(link.pathname).toBe("/en/new-password");
  });

  it("links to the main site when the named tenant does not exist", async () => {
    await ask(s.users.other.email, { tenantRef: "no-such-tenant" });
    expect((await lastLink(s.users.other.email)).origin).toBe(SITE);
  });

  it("refuses a malformed address with VALIDATION", async () => {
    await refused(ask("not-an-address"), "VALIDATION");
  });
});

describe("using a reset link", () => {
  it("sets the password once, ends every session and writes the audit row; the link then stops working", async () => {
    const user = await given({ tenants: [], users: { u: {} } }).then((g) => g.users.u);
    const session = await openSession({ db: db(), userId: user.id, method: "password", now: new Date() });
    await ask(user.email);
    const token = tokenOf(await lastLink(user.email));
    expect(await checkPasswordReset({ ctx: at(Date.now()), input: { token } })).toEqual({
      ok: true,
      locale: "fr",
    });
    expect(await loadIdentity({ db: db(), userId: user.id, session })).not.toBeNull();
    const done = await resetPassword({ ctx: at(Date.now()), input: { token, password: STRONG } });
    expect(done).toEqual({ ok: true, email: user.email, locale: "fr" });
    // every session opened before the reset has ended
    expect(await loadIdentity({ db: db(), userId: user.id, session })).toBeNull();
    // the new password signs in, the old one no longer does
    await refused(
      login({ ctx: at(Date.now()), input: { email: user.email, password: PASSWORD }, ip: ip() }),
      "UNAUTHENTICATED",
    );
    expect(
      (await login({ ctx: at(Date.now()), input: { email: user.email, password: STRONG }, ip: ip() })).id,
    ).toBe(user.id);
    expect(await auditRows(s.tenants.ag.id, { action: "password.reset", entityId: String(user.id) })).toEqual(
      [expect.objectContaining({ actor_type: "user", actor_id: String(user.id) })],
    );
    // single use
    await refused(
      resetPassword({ ctx: at(Date.now()), input: { token, password: `${STRONG}x` } }),
      "NOT_FOUND",
    );
    await refused(checkPasswordReset({ ctx: at(Date.now()), input: { token } }), "NOT_FOUND");
  });

  it("expires 30 minutes after it was asked for", async () => {
    const user = await given({ tenants: [], users: { u: {} } }).then((g) => g.users.u);
    const t0 = Date.now();
    await ask(user.email, { now: t0 });
    const token = tokenOf(await lastLink(user.email));
    expect((await checkPasswordReset({ ctx: at(t0 + 29 * 60_000), input: { token } })).ok).toBe(true);
    await refused(checkPasswordReset({ ctx: at(t0 + 30 * 60_000), input: { token } }), "NOT_FOUND");
    await refused(
      resetPassword({ ctx: at(t0 + 30 * 60_000 + 1), input: { token, password: STRONG } }),
      "NOT_FOUND",
    );
    await login({ ctx: at(Date.now()), input: { email: user.email, password: PASSWORD }, ip: ip() });
  });

  it("a newer link replaces the older one", async () => {
    const user = await given({ tenants: [], users: { u: {} } }).then((g) => g.users.u);
    await ask(user.email);
    const first = tokenOf(await lastLink(user.email));
    await ask(user.email);
    const second = tokenOf(await lastLink(user.email));
    expect(second).not.toBe(first);
    await refused(
      resetPassword({ ctx: at(Date.now()), input: { token: first, password: STRONG } }),
      "NOT_FOUND",
    );
    expect(
      (await resetPassword({ ctx: at(Date.now()), input: { token: second, password: STRONG } })).ok,
    ).toBe(true);
  });

  it("an unknown token is NOT_FOUND; a malformed one VALIDATION", async () => {
    await refused(
      resetPassword({ ctx: at(Date.now()), input: { token: "x".repeat(43), password: STRONG } }),
      "NOT_FOUND",
    );
    await refused(
      resetPassword({ ctx: at(Date.now()), input: { token: "short", password: STRONG } }),
      "VALIDATION",
    );
  });

  it("refuses a guessable password with zxcvbn's reason in French or English, and keeps the link usable", async () => {
    const user = await given({ tenants: [], users: { u: { name: "Mialy Randria" } } }).then((g) => g.users.u);
    await ask(user.email);
    const token = tokenOf(await lastLink(user.email));
    const fr = await refused(
      resetPassword({ ctx: at(Date.now()), input: { token, password: WEAK } }),
      "VALIDATION",
    );
    expect(fr.message).toMatch(/^Ce mot de passe est trop facile à deviner\./);
    expect(fr.details).toEqual([{ path: "password", message: fr.message }]);
    const en = await refused(
      resetPassword({ ctx: at(Date.now()), input: { token, password: "azertyuiop123", locale: "en" } }),
      "VALIDATION",
    );
    expect(en.message).toMatch(/^This password is too easy to guess\. Straight rows of keys/);
    const named = await refused(
      resetPassword({ ctx: at(Date.now()), input: { token, password: "Randria-Soleil-Vert-2030" } }),
      "VALIDATION",
    );
    expect(named.message).toBe("Le mot de passe ne doit contenir ni votre adresse e-mail ni votre nom.");
    await refused(
      resetPassword({ ctx: at(Date.now()), input: { token, password: "short" } }),
      "VALIDATION",
      /12 characters/,
    );
    expect((await resetPassword({ ctx: at(Date.now()), input: { token, password: STRONG } })).ok).toBe(true);
  });
});

describe("reset request throttling", () => {
  it("per address and client: past the limit 429, while another client still gets a link", async () => {
    const user = await given({ tenants: [], users: { u: {} } }).then((g) => g.users.u);
    const me = ip();
    for (let i = 0; i < RESET_LIMITS.perAddressAndClient; i++) await ask(user.email, { ip: me });
    await refused(ask(user.email, { ip: me }), "RATE_LIMITED");
    await ask(user.email, { ip: ip() });
    expect(await mailsTo(user.email)).toHaveLength(RESET_LIMITS.perAddressAndClient + 1);
  });

  it("per client, whatever the addresses", async () => {
    const me = ip();
    for (let i = 0; i < RESET_LIMITS.perClient; i++) await ask(`nobody-${i}-${me}@example.test`, { ip: me });
    const e = await refused(ask("someone-else@example.test", { ip: me }), "RATE_LIMITED");
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("per address from every client: past the cap no new mail (and the latest link keeps working), same answer", async () => {
    const user = await given({ tenants: [], users: { u: {} } }).then((g) => g.users.u);
    for (let i = 0; i < RESET_LIMITS.mailsPerAddress; i++) await ask(user.email);
    const latest = tokenOf(await lastLink(user.email));
    expect(await ask(user.email)).toEqual(RESET_REQUESTED);
    expect(await mailsTo(user.email)).toHaveLength(RESET_LIMITS.mailsPerAddress);
    expect((await checkPasswordReset({ ctx: at(Date.now()), input: { token: latest } })).ok).toBe(true);
  });
});

describe("changePassword", () => {
  it("needs the current password, then ends every session and writes the audit row", async () => {
    const who = s.users.changerFr;
    const session = await openSession({ db: db(), userId: who.id, method: "password", now: new Date() });
    const wrong = await refused(
      changePassword({
        ctx: at(Date.now()),
        identity: who.identity,
        input: { current_password: "not-it", new_password: STRONG },
        ip: ip(),
      }),
      "VALIDATION",
    );
    expect(wrong.details).toEqual([
      { path: "current_password", message: "Le mot de passe actuel est incorrect." },
    ]);
    expect(
      await changePassword({
        ctx: at(Date.now()),
        identity: who.identity,
        input: { current_password: PASSWORD, new_password: STRONG },
        ip: ip(),
      }),
    ).toEqual({ ok: true });
    expect(await loadIdentity({ db: db(), userId: who.id, session })).toBeNull();
    expect(
      (await login({ ctx: at(Date.now()), input: { email: who.email, password: STRONG }, ip: ip() })).id,
    ).toBe(who.id);
    expect(
      await auditRows(s.tenants.ag.id, { action: "password.change", entityId: String(who.id) }),
    ).toHaveLength(1);
  });

  it("refuses a guessable new password in the account's language, and keeps the old one", async () => {
    const who = s.users.changer;
    const e = await refused(
      changePassword({
        ctx: at(Date.now()),
        identity: who.identity,
        input: { current_password: PASSWORD, new_password: WEAK },
        ip: ip(),
      }),
      "VALIDATION",
    );
    expect(e.message).toMatch(/^This password is too easy to guess\./);
    expect(e.details?.[0]?.path).toBe("new_password");
    const fr = await refused(
      changePassword({
        ctx: at(Date.now()),
        identity: who.identity,
        input: { current_password: PASSWORD, new_password: WEAK, locale: "fr" },
        ip: ip(),
      }),
      "VALIDATION",
    );
    expect(fr.message).toMatch(/^Ce mot de passe est trop facile à deviner\./);
    await login({ ctx: at(Date.now()), input: { email: who.email, password: PASSWORD }, ip: ip() });
  });

  it("is throttled like sign-in: past the limit even the right current password gets 429", async () => {
    const who = s.users.throttled;
    const me = ip();
    const attempt = (current: string) =>
      changePassword({
        ctx: at(Date.now()),
        identity: who.identity,
        input: { current_password: current, new_password: STRONG },
        ip: me,
      });
    for (let i = 0; i < THROTTLE.perAccount; i++) await refused(attempt("wrong-guess"), "VALIDATION");
    await refused(attempt(PASSWORD), "RATE_LIMITED");
    await login({ ctx: at(Date.now()), input: { email: who.email, password: PASSWORD }, ip: ip() });
  });
});

describe("accepting an invitation", () => {
  it("refuses a guessable password with a reason in the page's language", async () => {
    const email = `${crypto.randomUUID().slice(0, 8)}@invited.test`;
    const { token } = await createInvitation({ ctx: s.system("a"), input: { email, role: "client" } });
    const sys = at(Date.now());
    const fr = await refused(acceptInvitation({ ctx: sys, input: { token, password: WEAK } }), "VALIDATION");
    expect(fr.message).toMatch(/^Ce mot de passe est trop facile à deviner\./);
    const en = await refused(
      acceptInvitation({ ctx: sys, input: { token, password: "azertyuiop123", locale: "en" } }),
      "VALIDATION",
    );
    expect(en.message).toMatch(/^This password is too easy to guess\./);
    const local = email.split("@")[0] ?? "";
    const mine = await refused(
      acceptInvitation({ ctx: sys, input: { token, password: `${local}-Baobab-77`, locale: "en" } }),
      "VALIDATION",
    );
    expect(mine.message).toBe("The password must not contain your e-mail address or your name.");
    expect((await acceptInvitation({ ctx: sys, input: { token, password: STRONG } })).email).toBe(email);
    const localeOf = (e: string) =>
      db().prepare("SELECT locale FROM users WHERE email = ?").bind(e).first<{ locale: string }>();
    expect(await localeOf(email)).toEqual({ locale: "fr" });
    // A new account takes the language of the page it was created on.
    const english = `${crypto.randomUUID().slice(0, 8)}@invited.test`;
    const inv = await createInvitation({ ctx: s.system("a"), input: { email: english, role: "client" } });
    await acceptInvitation({ ctx: sys, input: { token: inv.token, password: STRONG, locale: "en" } });
    expect(await localeOf(english)).toEqual({ locale: "en" });
  });
});

describe("assessPassword", () => {
  it("scores passphrases high and common passwords low", async () => {
    const person = { email: "someone@example.test" };
    expect((await assessPassword(STRONG, person)).ok).toBe(true);
    for (const p of [WEAK, "azertyuiop123", "password1234", "bonjourbonjour"])
      expect((await assessPassword(p, person)).ok, p).toBe(false);
  });
});
