/**
 * Sign-in with a second factor (decision 024). When the password is right, `signInStep` says whether a session
 * may start now or a challenge comes first: 'verify' for a person with TOTP, 'enrol' for agency staff past the
 * grace period who have none. A challenge is random, stored hashed (like hand-offs), valid 5 minutes, for one
 * user, tried at most 5 times, used once (an atomic UPDATE … WHERE used_at IS NULL); codes are also counted per
 * (account, client) in the sign-in throttle, so a stolen password does not let anyone try codes at will.
 */
import { z } from "zod";
import type { SystemCtx } from "../../kernel/context.ts";
import { DomainError } from "../../kernel/errors.ts";
import { newToken, nowIso, sha256Hex } from "../../kernel/ids.ts";
import { type Identity, loadIdentity } from "../identity.ts";
import { sealSecret } from "./crypto.ts";
import { activateTotp, type TotpEnrolment } from "./factor.ts";
import { mfaPolicyApplies, staffMfaRequiredAfter } from "./policy.ts";
import { clearCodeAttempts, countCodeAttempt, type MfaCtx, readTotp, useSecondFactor } from "./store.ts";
import { newTotpSecret, totpUri } from "./totp.ts";

export const MFA_CHALLENGE_TTL_SECONDS = 5 * 60;
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

/** 'verify': type a code (or a recovery code); 'enrol': set up TOTP first, then the session starts. */
export type MfaStepKind = "verify" | "enrol";
export type MfaChallenge = { challenge: string; step: MfaStepKind; expiresAt: string };
export type SignInStep = { kind: "session" } | ({ kind: "challenge" } & MfaChallenge);
/** The first factor of a sign-in that a challenge follows. */
export type FirstFactor = "password" | "sso";

/** What a right password leads to for this person: a session now, or a challenge first. */
export async function signInStep({
  ctx,
  identity,
  method = "password",
}: {
  ctx: SystemCtx;
  identity: Identity;
  /** How the first factor was given: the session the challenge opens is recorded with it. */
  method?: FirstFactor;
}): Promise<SignInStep> {
  const now = ctx.now();
  const [totp, after] = await Promise.all([
    readTotp(ctx.db, identity.id),
    mfaPolicyApplies(identity) ? staffMfaRequiredAfter(ctx.db) : Promise.resolve(null),
  ]);
  const step: MfaStepKind | null =
    totp?.status === "active"
      ? "verify"
      : after !== null && new Date(after).getTime() <= now.getTime()
        ? "enrol"
        : null;
  if (step === null) return { kind: "session" };
  const challenge = newToken();
  const expiresAt = nowIso(new Date(now.getTime() + MFA_CHALLENGE_TTL_SECONDS * 1000));
  await ctx.db.batch([
    ctx.db.prepare("DELETE FROM mfa_challenges WHERE expires_at < ?").bind(nowIso(now)),
    ctx.db
      .prepare(
        "INSERT INTO mfa_challenges (challenge_hash, user_id, kind, method, expires_at) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(await sha256Hex(challenge), identity.id, step, method, expiresAt),
  ]);
  return { kind: "challenge", challenge, step, expiresAt };
}

const challengeField = z.string().min(20).max(200);
const expired = () =>
  new DomainError("UNAUTHENTICATED", "This sign-in step has expired or was already used. Sign in again.");

type ChallengeRow = { user_id: number; kind: MfaStepKind; method: FirstFactor };

/** The challenge's row if it is still open (not used, not expired); `tried` also counts one attempt on it. */
async function openChallenge(ctx: SystemCtx, challenge: string, tried: boolean): Promise<ChallengeRow> {
  const now = nowIso(ctx.now());
  const hash = await sha256Hex(challenge);
  const row = tried
    ? await ctx.db
        .prepare(
          `UPDATE mfa_challenges SET attempts = attempts + 1
           WHERE challenge_hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?
           RETURNING user_id, kind, method`,
        )
        .bind(hash, now, MFA_CHALLENGE_MAX_ATTEMPTS)
        .first<ChallengeRow>()
    : await ctx.db
        .prepare(
          `SELECT user_id, kind, method FROM mfa_challenges
           WHERE challenge_hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?`,
        )
        .bind(hash, now, MFA_CHALLENGE_MAX_ATTEMPTS)
        .first<ChallengeRow>();
  if (!row) throw expired();
  return row;
}

export const enrolChallengeInput = z.strictObject({ challenge: challengeField });

/**
 * The enrolment step of a sign-in: a new secret for the person the 'enrol' challenge names (shown once, as a QR
 * code and text). The challenge stays open for the first code.
 */
export async function startChallengeEnrolment({
  ctx,
  input,
}: {
  ctx: MfaCtx;
  input: unknown;
}): Promise<TotpEnrolment & { email: string }> {
  const parsed = enrolChallengeInput.safeParse(input ?? {});
  if (!parsed.success) throw expired();
  const row = await openChallenge(ctx, parsed.data.challenge, false);
  const identity = row.kind === "enrol" ? await loadIdentity({ db: ctx.db, userId: row.user_id }) : null;
  if (!identity) throw expired();
  const secret = newTotpSecret();
  const done = await ctx.db
    .prepare(
      `INSERT INTO user_totp (user_id, secret_enc, status, created_at) VALUES (?1, ?2, 'pending', ?3)
       ON CONFLICT (user_id) DO UPDATE SET secret_enc = ?2, created_at = ?3, last_step = 0
         WHERE user_totp.status = 'pending'
       RETURNING status`,
    )
    .bind(identity.id, await sealSecret(ctx.secret, identity.id, secret), nowIso(ctx.now()))
    .first<{ status: string }>();
  if (!done) throw expired();
  return { secret, uri: totpUri(secret, identity.email), email: identity.email };
}

export const completeChallengeInput = z.union([
  z.strictObject({ challenge: challengeField, code: z.string().max(20) }),
  z.strictObject({ challenge: challengeField, recoveryCode: z.string().max(40) }),
]);

/**
 * The second step of a sign-in: a code (or a recovery code) for a 'verify' challenge, the first code of the new
 * authenticator for an 'enrol' one (which then answers the recovery codes, once). Answers who signs in; the
 * caller mints the session. Wrong codes are counted per (account, client) and on the challenge itself.
 */
export async function completeChallenge({
  ctx,
  input,
  ip,
}: {
  ctx: MfaCtx;
  input: unknown;
  ip: string;
}): Promise<{ identity: Identity; method: FirstFactor; recoveryCodes?: string[] }> {
  const parsed = completeChallengeInput.safeParse(input ?? {});
  if (!parsed.success) {
    throw new DomainError("VALIDATION", "Send the challenge and a code (or a recovery code).", {
      details: [{ path: "code", message: "is required", key: "required" }],
    });
  }
  const body = parsed.data;
  const row = await openChallenge(ctx, body.challenge, true);
  const identity = await loadIdentity({ db: ctx.db, userId: row.user_id });
  if (!identity) throw expired();
  const now = ctx.now();
  let recoveryCodes: string[] | undefined;
  if (row.kind === "enrol") {
    if (!("code" in body)) throw expired();
    recoveryCodes = (await activateTotp(ctx, identity.id, body.code, ip)).recoveryCodes;
  } else {
    await countCodeAttempt(ctx.db, identity.id, ip, now);
    const used = await useSecondFactor(ctx, identity.id, body);
    if (used === null) {
      throw new DomainError("UNAUTHENTICATED", "This code is not right.", {
        details: [{ path: "code", message: "is not right", key: "not_right" }],
      });
    }
    await ctx.db.batch(clearCodeAttempts(ctx.db, identity.id, ip));
  }
  const consumed = await ctx.db
    .prepare("UPDATE mfa_challenges SET used_at = ? WHERE challenge_hash = ? AND used_at IS NULL")
    .bind(nowIso(now), await sha256Hex(body.challenge))
    .run();
  if (consumed.meta.changes !== 1) throw expired();
  return recoveryCodes ? { identity, method: row.method, recoveryCodes } : { identity, method: row.method };
}
