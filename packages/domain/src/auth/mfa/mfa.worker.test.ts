import { beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../../../testing/scenario.ts";
import { db, given, refused } from "../../../testing/workerd.ts";
import { THROTTLE } from "../throttle.ts";
import {
  completeChallenge,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  MFA_CHALLENGE_TTL_SECONDS,
  signInStep,
  startChallengeEnrolment,
} from "./challenge.ts";
import {
  confirmTotpEnrolment,
  disableTotp,
  mfaStatus,
  regenerateRecoveryCodes,
  startTotpEnrolment,
} from "./factor.ts";
import { mfaPolicyView, setMfaPolicy } from "./policy.ts";
import { totpCode } from "./totp.ts";

const SECRET = "domain-test-mfa-secret-0123456789abcdefghijkl";
const setup = () =>
  given({
    tenants: ["agency", "a"],
    agency: ["agency"],
    roles: ["client"],
    users: {
      admin: { agency: "admin" },
      staff: { agency: "staff" },
      enrolled: { agency: "staff" },
      one: { in: { a: "client" } },
      two: { in: { a: "client" } },
      three: { in: { a: "client" } },
      four: { in: { a: "client" } },
    },
  });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});
let ipN = 0;
const ip = () => `203.0.113.${++ipN}`;
type Who = { identity: import("../identity.ts").Identity };
const ctxOf = (who: Who, at?: () => Date) => ({
  db: db(),
  now: at ?? (() => new Date()),
  secret: SECRET,
  identity: who.identity,
});
const sys = (at?: () => Date) => ({ db: db(), now: at ?? (() => new Date()), secret: SECRET });
const codeAt = (secret: string, ms: number) => totpCode(secret, ms);

/** Enrols `who` with the clock at `t0` (ms); answers the secret and the recovery codes. */
async function enrol(who: Who, t0 = Date.now()) {
  const { secret, uri } = await startTotpEnrolment({ ctx: ctxOf(who, () => new Date(t0)) });
  expect(uri).toContain(secret);
  const { recoveryCodes } = await confirmTotpEnrolment({
    ctx: ctxOf(who, () => new Date(t0)),
    input: { code: codeAt(secret, t0) },
    ip: ip(),
  });
  return { secret, recoveryCodes };
}

const audit = async (userId: number, action: string) =>
  (
    await db()
      .prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND actor_id = ? AND action = ?")
      .bind(s.tenants.agency.id, String(userId), action)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("enrolment", () => {
  it("needs a valid code; keeps the secret sealed; answers ten recovery codes; audits it", async () => {
    const who = s.users.one;
    const { secret } = await startTotpEnrolment({ ctx: ctxOf(who) });
    const stored = await db()
      .prepare("SELECT secret_enc, status FROM user_totp WHERE user_id = ?")
      .bind(who.id)
      .first<{ secret_enc: string; status: string }>();
    expect(stored?.status).toBe("pending");
    expect(stored?.secret_enc).not.toContain(secret);
    expect((await mfaStatus({ ctx: ctxOf(who) })).enabled).toBe(false);

    await refused(
      confirmTotpEnrolment({ ctx: ctxOf(who), input: { code: "000000" }, ip: ip() }),
      "UNPROCESSABLE",
    );
    await refused(confirmTotpEnrolment({ ctx: ctxOf(who), input: { code: "12ab" }, ip: ip() }), "VALIDATION");
    const { recoveryCodes } = await confirmTotpEnrolment({
      ctx: ctxOf(who),
      input: { code: codeAt(secret, Date.now()) },
      ip: ip(),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const hashes = await db()
      .prepare("SELECT code_hash FROM user_recovery_codes WHERE user_id = ?")
      .bind(who.id)
      .all<{ code_hash: string }>();
    expect(hashes.results).toHaveLength(10);
    expect(hashes.results.map((r) => r.code_hash).join()).not.toContain(recoveryCodes[0]?.slice(0, 5));
    expect(await mfaStatus({ ctx: ctxOf(who) })).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(await audit(who.id, "mfa.enrolled")).toBe(1);
    // once on, a new enrolment is refused (the secret is never shown again)
    await refused(startTotpEnrolment({ ctx: ctxOf(who) }), "CONFLICT");
  });

  it("a sealed secret does not open under another key or for another user", async () => {
    const who = s.users.two;
    await startTotpEnrolment({ ctx: ctxOf(who) });
    await refused(
      confirmTotpEnrolment({
        ctx: { ...ctxOf(who), secret: `${SECRET}-other` },
        input: { code: "123456" },
        ip: ip(),
      }),
      "INTERNAL",
    );
    await db()
      .prepare(
        "UPDATE user_totp SET secret_enc = (SELECT secret_enc FROM user_totp WHERE user_id = ?) WHERE user_id = ?",
      )
      .bind(s.users.one.id, who.id)
      .run();
    await refused(confirmTotpEnrolment({ ctx: ctxOf(who), input: { code: "123456" }, ip: ip() }), "INTERNAL");
    await db().prepare("DELETE FROM user_totp WHERE user_id = ?").bind(who.id).run();
  });
});

describe("signing in with a second factor", () => {
  it("a person with TOTP gets a challenge; the code then signs in, once", async () => {
    const who = s.users.three;
    const t0 = Date.now() - 120_000;
    const { secret } = await enrol(who, t0);
    const step = await signInStep({ ctx: sys(), identity: who.identity });
    expect(step.kind).toBe("challenge");
    if (step.kind !== "challenge") return;
    expect(step.step).toBe("verify");
    const row = await db()
      .prepare("SELECT count(*) AS n FROM mfa_challenges WHERE challenge_hash = ?")
      .bind(step.challenge)
      .first<{ n: number }>();
    expect(row?.n).toBe(0); // stored hashed

    // the enrolment's code (two minutes ago) is outside the window; a wrong code is refused
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: step.challenge, code: "000000" }, ip: ip() }),
      "UNAUTHENTICATED",
      /not right/,
    );
    const now = Date.now();
    const code = codeAt(secret, now);
    const done = await completeChallenge({
      ctx: sys(),
      input: { challenge: step.challenge, code },
      ip: ip(),
    });
    expect(done.identity.id).toBe(who.id);
    // the same challenge never works twice
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: step.challenge, code }, ip: ip() }),
      "UNAUTHENTICATED",
      /expired|already used/,
    );
    // the same code on a new challenge: replay refused (its step is not later than the last accepted)
    const again = await signInStep({ ctx: sys(), identity: who.identity });
    if (again.kind !== "challenge") throw new Error("expected a challenge");
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: again.challenge, code }, ip: ip() }),
      "UNAUTHENTICATED",
      /not right/,
    );
    // the previous step's code (inside the window, but older than the accepted one) is refused too
    await refused(
      completeChallenge({
        ctx: sys(),
        input: { challenge: again.challenge, code: codeAt(secret, now - 30_000) },
        ip: ip(),
      }),
      "UNAUTHENTICATED",
    );
    // the next step's code is fine
    const later = await completeChallenge({
      ctx: sys(),
      input: { challenge: again.challenge, code: codeAt(secret, now + 30_000) },
      ip: ip(),
    });
    expect(later.identity.id).toBe(who.id);
  });

  it("a recovery code works once; regenerating invalidates the old ones; each is audited", async () => {
    const who = s.users.four;
    const t0 = Date.now() - 90_000;
    const { secret, recoveryCodes } = await enrol(who, t0);
    const [first = "", second = ""] = recoveryCodes;
    const challenge = async () => {
      const st = await signInStep({ ctx: sys(), identity: who.identity });
      if (st.kind !== "challenge") throw new Error("expected a challenge");
      return st.challenge;
    };
    const c1 = await challenge();
    const ok = await completeChallenge({
      ctx: sys(),
      input: { challenge: c1, recoveryCode: first.toLowerCase().replace("-", " ") },
      ip: ip(),
    });
    expect(ok.identity.id).toBe(who.id);
    expect(await audit(who.id, "mfa.recovery_code_used")).toBe(1);
    expect((await mfaStatus({ ctx: ctxOf(who) })).recoveryCodesLeft).toBe(9);
    await refused(
      completeChallenge({
        ctx: sys(),
        input: { challenge: await challenge(), recoveryCode: first },
        ip: ip(),
      }),
      "UNAUTHENTICATED",
    );
    expect(await audit(who.id, "mfa.recovery_code_used")).toBe(1);

    // regeneration needs a current code, and replaces every old code
    await refused(
      regenerateRecoveryCodes({ ctx: ctxOf(who), input: { code: "000000" }, ip: ip() }),
      "UNPROCESSABLE",
    );
    const fresh = await regenerateRecoveryCodes({
      ctx: ctxOf(who),
      input: { code: codeAt(secret, Date.now()) },
      ip: ip(),
    });
    expect(fresh.recoveryCodes).toHaveLength(10);
    expect(await audit(who.id, "mfa.recovery_codes_regenerated")).toBe(1);
    await refused(
      completeChallenge({
        ctx: sys(),
        input: { challenge: await challenge(), recoveryCode: second },
        ip: ip(),
      }),
      "UNAUTHENTICATED",
    );
    const withNew = await completeChallenge({
      ctx: sys(),
      input: { challenge: await challenge(), recoveryCode: fresh.recoveryCodes[3] ?? "" },
      ip: ip(),
    });
    expect(withNew.identity.id).toBe(who.id);
  });

  it("a challenge expires after 5 minutes and takes at most 5 codes", async () => {
    const who = s.users.three;
    const st = await signInStep({ ctx: sys(), identity: who.identity });
    if (st.kind !== "challenge") throw new Error("expected a challenge");
    const late = () => new Date(Date.now() + (MFA_CHALLENGE_TTL_SECONDS + 1) * 1000);
    await refused(
      completeChallenge({ ctx: sys(late), input: { challenge: st.challenge, code: "123456" }, ip: ip() }),
      "UNAUTHENTICATED",
      /expired/,
    );
    const st2 = await signInStep({ ctx: sys(), identity: who.identity });
    if (st2.kind !== "challenge") throw new Error("expected a challenge");
    for (let i = 0; i < MFA_CHALLENGE_MAX_ATTEMPTS; i++) {
      await refused(
        completeChallenge({ ctx: sys(), input: { challenge: st2.challenge, code: "000000" }, ip: ip() }),
        "UNAUTHENTICATED",
        /not right/,
      );
    }
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: st2.challenge, code: "000000" }, ip: ip() }),
      "UNAUTHENTICATED",
      /expired/,
    );
  });

  it("wrong codes are throttled per (account, client), not for the owner elsewhere", async () => {
    const who = s.users.three;
    const from = ip();
    for (let i = 0; i < THROTTLE.perAccount; i++) {
      const st = await signInStep({ ctx: sys(), identity: who.identity });
      if (st.kind !== "challenge") throw new Error("expected a challenge");
      await refused(
        completeChallenge({ ctx: sys(), input: { challenge: st.challenge, code: "000000" }, ip: from }),
        "UNAUTHENTICATED",
      );
    }
    const st = await signInStep({ ctx: sys(), identity: who.identity });
    if (st.kind !== "challenge") throw new Error("expected a challenge");
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: st.challenge, code: "000000" }, ip: from }),
      "RATE_LIMITED",
    );
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: st.challenge, code: "000000" }, ip: ip() }),
      "UNAUTHENTICATED",
      /not right/,
    );
  });

  it("a person without TOTP gets a session at once", async () => {
    expect(await signInStep({ ctx: sys(), identity: s.users.two.identity })).toEqual({ kind: "session" });
  });
});

describe("turning TOTP off", () => {
  it("needs the password and a code or a recovery code", async () => {
    const who = s.users.four;
    const { recoveryCodes } = await regenerateRecoveryCodes({
      ctx: ctxOf(who),
      input: { code: codeAt((await startSecretOf(who)) ?? "", Date.now() + 30_000) },
      ip: ip(),
    });
    const code = recoveryCodes[0] ?? "";
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await refused(disableTotp({ ctx: ctxOf(who), input: { recoveryCode: code }, ip: ip() }), "VALIDATION");
    await refused(
      disableTotp({ ctx: ctxOf(who), input: { password: "wrong-password", recoveryCode: code }, ip: ip() }),
      "UNPROCESSABLE",
    );
    expect((await mfaStatus({ ctx: ctxOf(who) })).enabled).toBe(true);
    await disableTotp({ ctx: ctxOf(who), input: { password: PASSWORD, recoveryCode: code }, ip: ip() });
    expect(await mfaStatus({ ctx: ctxOf(who) })).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await audit(who.id, "mfa.disabled")).toBe(1);
    expect(await signInStep({ ctx: sys(), identity: who.identity })).toEqual({ kind: "session" });
  });
});

/** The secret of an enrolled user, opened the way the verbs do (tests only). */
async function startSecretOf(who: Who): Promise<string | null> {
  const { openSecret } = await import("./crypto.ts");
  const row = await db()
    .prepare("SELECT secret_enc FROM user_totp WHERE user_id = ?")
    .bind(who.identity.id)
    .first<{ secret_enc: string }>();
  return row ? openSecret(SECRET, who.identity.id, row.secret_enc) : null;
}

describe("the agency's policy", () => {
  it("only agency admins read or set it", async () => {
    await refused(mfaPolicyView({ ctx: ctxOf(s.users.staff) }), "FORBIDDEN");
    await refused(
      setMfaPolicy({ ctx: ctxOf(s.users.staff), input: { staff_required_after: "2026-01-01" } }),
      "FORBIDDEN",
    );
    await refused(
      setMfaPolicy({ ctx: ctxOf(s.users.admin), input: { staff_required_after: "soon" } }),
      "VALIDATION",
    );
  });

  it("before the deadline staff sign in and are reminded; after it they must enrol, then sign in", async () => {
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await setMfaPolicy({ ctx: ctxOf(s.users.admin), input: { staff_required_after: future } });
    expect(await audit(s.users.admin.id, "mfa.policy_set")).toBe(1);
    const view = await mfaPolicyView({ ctx: ctxOf(s.users.admin) });
    expect(view.staffRequiredAfter).toBe(`${new Date(Date.parse(future) + 86_400_000).toISOString()}`);
    expect(view.notEnrolled.map((p) => p.id)).toEqual(expect.arrayContaining([s.users.staff.id]));
    expect(view.notEnrolled.some((p) => p.id === s.users.one.id)).toBe(false); // clients are not listed
    expect(await signInStep({ ctx: sys(), identity: s.users.staff.identity })).toEqual({ kind: "session" });
    expect((await mfaStatus({ ctx: ctxOf(s.users.staff) })).requiredAfter).toBe(view.staffRequiredAfter);
    expect((await mfaStatus({ ctx: ctxOf(s.users.one) })).requiredAfter).toBeNull();

    const past = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await setMfaPolicy({ ctx: ctxOf(s.users.admin), input: { staff_required_after: past } });
    // clients are never required
    expect(await signInStep({ ctx: sys(), identity: s.users.two.identity })).toEqual({ kind: "session" });
    const st = await signInStep({ ctx: sys(), identity: s.users.staff.identity });
    if (st.kind !== "challenge") throw new Error("expected a challenge");
    expect(st.step).toBe("enrol");
    // an enrol challenge takes no code before enrolment, and no recovery code
    await refused(
      completeChallenge({ ctx: sys(), input: { challenge: st.challenge, code: "123456" }, ip: ip() }),
      "CONFLICT",
    );
    const { secret, email } = await startChallengeEnrolment({
      ctx: sys(),
      input: { challenge: st.challenge },
    });
    expect(email).toBe(s.users.staff.email);
    const done = await completeChallenge({
      ctx: sys(),
      input: { challenge: st.challenge, code: codeAt(secret, Date.now()) },
      ip: ip(),
    });
    expect(done.identity.id).toBe(s.users.staff.id);
    expect(done.recoveryCodes).toHaveLength(10);
    expect((await mfaPolicyView({ ctx: ctxOf(s.users.admin) })).notEnrolled.map((p) => p.id)).not.toContain(
      s.users.staff.id,
    );
    // from now on, staff sign in with a code
    const next = await signInStep({ ctx: sys(), identity: s.users.staff.identity });
    expect(next).toMatchObject({ kind: "challenge", step: "verify" });
    await setMfaPolicy({ ctx: ctxOf(s.users.admin), input: { staff_required_after: null } });
    expect((await mfaPolicyView({ ctx: ctxOf(s.users.admin) })).staffRequiredAfter).toBeNull();
  });
});
