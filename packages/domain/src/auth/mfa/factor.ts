/**
 * The signed-in person manages their own second factor (decision 024): enrol (the server makes the secret, the
 * page shows it once as a QR code and text; the first valid code turns it on and gives ten recovery codes),
 * regenerate the recovery codes (a current code required), and turn it off (password and a code or a recovery
 * code). Each change writes its audit row in the same batch.
 */
import { z } from "zod";
import { DomainError } from "../../kernel/errors.ts";
import { nowIso } from "../../kernel/ids.ts";
import { parse } from "../../kernel/parse.ts";
import type { Identity } from "../identity.ts";
import { DUMMY_HASH, isPbkdf2Hash, verifyPassword } from "../password.ts";
import { openSecret, sealSecret } from "./crypto.ts";
import { mfaPolicyApplies, staffMfaRequiredAfter } from "./policy.ts";
import {
  accountAudit,
  clearCodeAttempts,
  countCodeAttempt,
  freshRecoveryCodes,
  type MfaCtx,
  readTotp,
  useSecondFactor,
} from "./store.ts";
import { matchTotpStep, newTotpSecret, totpUri } from "./totp.ts";

/** The second factor's verbs for a signed-in person (`identity` comes from the session, never the body). */
export type AccountMfaCtx = MfaCtx & { identity: Identity };

export type MfaStatus = {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  /** The agency's deadline when it applies to this person (admins and staff), else null. */
  requiredAfter: string | null;
};

export async function mfaStatus({ ctx }: { ctx: Omit<AccountMfaCtx, "secret"> }): Promise<MfaStatus> {
  const [row, left, after] = await Promise.all([
    readTotp(ctx.db, ctx.identity.id),
    ctx.db
      .prepare("SELECT count(*) AS n FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL")
      .bind(ctx.identity.id)
      .first<{ n: number }>(),
    mfaPolicyApplies(ctx.identity) ? staffMfaRequiredAfter(ctx.db) : Promise.resolve(null),
  ]);
  const enabled = row?.status === "active";
  return {
    enabled,
    enabledAt: enabled ? (row?.enabled_at ?? null) : null,
    recoveryCodesLeft: enabled ? (left?.n ?? 0) : 0,
    requiredAfter: after,
  };
}

export type TotpEnrolment = { secret: string; uri: string };

/**
 * Starts (or restarts) enrolment: a new secret, kept sealed as 'pending' until a valid code confirms it. The
 * secret is in this answer only; it is never shown again.
 */
export async function startTotpEnrolment({ ctx }: { ctx: AccountMfaCtx }): Promise<TotpEnrolment> {
  const userId = ctx.identity.id;
  const secret = newTotpSecret();
  const sealed = await sealSecret(ctx.secret, userId, secret);
  const at = nowIso(ctx.now());
  const row = await ctx.db
    .prepare(
      `INSERT INTO user_totp (user_id, secret_enc, status, created_at) VALUES (?1, ?2, 'pending', ?3)
       ON CONFLICT (user_id) DO UPDATE SET secret_enc = ?2, created_at = ?3, last_step = 0
         WHERE user_totp.status = 'pending'
       RETURNING status`,
    )
    .bind(userId, sealed, at)
    .first<{ status: string }>();
  if (!row) throw new DomainError("CONFLICT", "Two-step verification is already on for this account.");
  return { secret, uri: totpUri(secret, ctx.identity.email) };
}

const codeField = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "must be the 6 digits your app shows"));
const recoveryField = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[A-Z2-9]{10}$/, "must be one of your recovery codes (10 characters)"));

export const confirmTotpInput = z.strictObject({ code: codeField });

const wrongCode = () =>
  new DomainError("UNPROCESSABLE", "This code is not right. Type the code your app shows now.", {
    details: [{ path: "code", message: "is not right", key: "not_right" }],
  });

/**
 * Confirms enrolment with a first valid code: TOTP is on from now (that code's step is the first one used), and
 * ten recovery codes are made and answered, once.
 */
export async function confirmTotpEnrolment({
  ctx,
  input,
  ip,
}: {
  ctx: AccountMfaCtx;
  input: unknown;
  ip: string;
}): Promise<{ recoveryCodes: string[] }> {
  const { code } = parse(confirmTotpInput, input ?? {}, "code");
  return activateTotp(ctx, ctx.identity.id, code, ip);
}

/** Shared by the account page and the enrolment challenge of a sign-in: the pending secret becomes active. */
export async function activateTotp(
  ctx: MfaCtx,
  userId: number,
  code: string,
  ip: string,
): Promise<{ recoveryCodes: string[] }> {
  const now = ctx.now();
  const row = await readTotp(ctx.db, userId);
  if (row?.status !== "pending") {
    throw new DomainError(
      "CONFLICT",
      row ? "Two-step verification is already on." : "Start again: no enrolment is under way.",
    );
  }
  await countCodeAttempt(ctx.db, userId, ip, now);
  const step = matchTotpStep(await openSecret(ctx.secret, userId, row.secret_enc), code, now.getTime());
  if (step === null) throw wrongCode();
  const { codes, statements } = await freshRecoveryCodes(ctx.db, userId, now);
  const [activated] = await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE user_totp SET status = 'active', last_step = ?, enabled_at = ?
         WHERE user_id = ? AND status = 'pending' AND secret_enc = ?`,
      )
      .bind(step, nowIso(now), userId, row.secret_enc),
    accountAudit(ctx.db, { userId, action: "mfa.enrolled", at: now, onlyIfChanged: true }),
    ...statements,
    ...clearCodeAttempts(ctx.db, userId, ip),
  ]);
  if (activated?.meta.changes !== 1) {
    // a parallel confirmation or a restart won: the codes written above belong to nothing active
    throw new DomainError("CONFLICT", "Start again: the enrolment changed meanwhile.");
  }
  return { recoveryCodes: codes };
}

export const regenerateRecoveryInput = z.strictObject({ code: codeField });

/** Ten new recovery codes (the old ones stop working), with a current code from the app. */
export async function regenerateRecoveryCodes({
  ctx,
  input,
  ip,
}: {
  ctx: AccountMfaCtx;
  input: unknown;
  ip: string;
}): Promise<{ recoveryCodes: string[] }> {
  const { code } = parse(regenerateRecoveryInput, input ?? {}, "code");
  const userId = ctx.identity.id;
  const now = ctx.now();
  if ((await readTotp(ctx.db, userId))?.status !== "active") {
    throw new DomainError("CONFLICT", "Two-step verification is not on for this account.");
  }
  await countCodeAttempt(ctx.db, userId, ip, now);
  if ((await useSecondFactor(ctx, userId, { code })) === null) throw wrongCode();
  const { codes, statements } = await freshRecoveryCodes(ctx.db, userId, now);
  await ctx.db.batch([
    ...statements,
    accountAudit(ctx.db, { userId, action: "mfa.recovery_codes_regenerated", at: now }),
    ...clearCodeAttempts(ctx.db, userId, ip),
  ]);
  return { recoveryCodes: codes };
}

export const disableTotpInput = z.union([
  z.strictObject({ password: z.string().min(1, "is required").max(512), code: codeField }),
  z.strictObject({ password: z.string().min(1, "is required").max(512), recoveryCode: recoveryField }),
]);

/** Turns TOTP off: the current password and a current code (or a recovery code) prove it is the owner. */
export async function disableTotp({
  ctx,
  input,
  ip,
}: {
  ctx: AccountMfaCtx;
  input: unknown;
  ip: string;
}): Promise<{ enabled: false }> {
  const parsed = parse(disableTotpInput, input ?? {}, "confirmation");
  const userId = ctx.identity.id;
  const now = ctx.now();
  if ((await readTotp(ctx.db, userId))?.status !== "active") {
    throw new DomainError("CONFLICT", "Two-step verification is not on for this account.");
  }
  await countCodeAttempt(ctx.db, userId, ip, now);
  const user = await ctx.db
    .prepare("SELECT strategy_value FROM users WHERE id = ?")
    .bind(userId)
    .first<{ strategy_value: string | null }>();
  const stored = isPbkdf2Hash(user?.strategy_value) ? user.strategy_value : null;
  const passwordOk = await verifyPassword(parsed.password, stored ?? DUMMY_HASH);
  const factor = passwordOk && stored ? await useSecondFactor(ctx, userId, parsed) : null;
  if (factor === null) {
    throw new DomainError("UNPROCESSABLE", "The password or the code is not right.", {
      details: [{ path: "password", message: "or the code is not right" }],
    });
  }
  await ctx.db.batch([
    ctx.db.prepare("DELETE FROM user_totp WHERE user_id = ?").bind(userId),
    ctx.db.prepare("DELETE FROM user_recovery_codes WHERE user_id = ?").bind(userId),
    ctx.db.prepare("DELETE FROM mfa_challenges WHERE user_id = ?").bind(userId),
    accountAudit(ctx.db, { userId, action: "mfa.disabled", at: now, data: { with: factor } }),
    ...clearCodeAttempts(ctx.db, userId, ip),
  ]);
  return { enabled: false };
}
