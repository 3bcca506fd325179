/**
 * The rows of the second factor (migrations/0016_mfa.sql): the sealed secret with its replay marker, the
 * recovery codes' hashes, the code-attempt throttle, and the audit rows (written in the agency's workspace:
 * accounts belong to no tenant, the agency's people are the ones who look at account events).
 */
import { accountAuditRow } from "../../kernel/audit.ts";
import { nowIso, randomSymbols, sha256Hex } from "../../kernel/ids.ts";
import { assertUnderLimit, clientKey, countAttempt, THROTTLE, type ThrottleCount } from "../throttle.ts";
import { openSecret } from "./crypto.ts";
import { matchTotpStep } from "./totp.ts";

/** What the verbs of the second factor need: the database, the clock, and the worker's MFA_SECRET. */
export type MfaCtx = { db: D1Database; now: () => Date; secret: string };

export const RECOVERY_CODE_COUNT = 10;

type TotpRow = {
  secret_enc: string;
  status: "pending" | "active";
  last_step: number;
  enabled_at: string | null;
};

export function readTotp(db: D1Database, userId: number): Promise<TotpRow | null> {
  return db
    .prepare("SELECT secret_enc, status, last_step, enabled_at FROM user_totp WHERE user_id = ?")
    .bind(userId)
    .first<TotpRow>();
}

/** A recovery code as people type it: case, spaces and dashes don't matter. */
export const normaliseRecoveryCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, "");

export const hashRecoveryCode = (code: string): Promise<string> => sha256Hex(normaliseRecoveryCode(code));

/** Ten fresh codes (`XXXXX-XXXXX`, 50 random bits each) and the statements that replace the user's old ones. */
export async function freshRecoveryCodes(
  db: D1Database,
  userId: number,
  now: Date,
): Promise<{ codes: string[]; statements: D1PreparedStatement[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const s = randomSymbols(10);
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
  const at = nowIso(now);
  const inserts = await Promise.all(
    codes.map(async (code) =>
      db
        .prepare("INSERT INTO user_recovery_codes (code_hash, user_id, created_at) VALUES (?, ?, ?)")
        .bind(await hashRecoveryCode(code), userId, at),
    ),
  );
  return {
    codes,
    statements: [db.prepare("DELETE FROM user_recovery_codes WHERE user_id = ?").bind(userId), ...inserts],
  };
}

/** An audit row about a person's second factor, in the agency's workspace (kernel/audit.ts). */
export function accountAudit(
  db: D1Database,
  row: { userId: number; action: string; at: Date; data?: unknown; onlyIfChanged?: boolean },
): D1PreparedStatement {
  const user = String(row.userId);
  return accountAuditRow(db, {
    action: row.action,
    actorType: "user",
    actorId: user,
    entity: "user",
    entityId: user,
    data: row.data,
    at: nowIso(row.at),
    ...(row.onlyIfChanged ? { onlyIfChanged: true } : {}),
  });
}

const codeKey = (userId: number, ip: string) => `mfa:u${userId}|${clientKey(ip)}`;

/**
 * Counts one second-factor attempt per (account, client) and against the client's sign-in count, before the
 * code is checked; past THROTTLE.perAccount for the pair, or perIp for the client, RATE_LIMITED.
 */
export async function countCodeAttempt(db: D1Database, userId: number, ip: string, now: Date): Promise<void> {
  const nowS = Math.floor(now.getTime() / 1000);
  const [pair, client] = await db.batch<ThrottleCount>([
    countAttempt(db, codeKey(userId, ip), nowS),
    countAttempt(db, clientKey(ip), nowS),
  ]);
  const tooMany = "Too many wrong codes. Try again later.";
  assertUnderLimit(pair?.results[0], THROTTLE.perAccount, nowS, tooMany);
  assertUnderLimit(client?.results[0], THROTTLE.perIp, nowS, tooMany);
}

/** A right code clears the pair's count and takes this attempt back from the client's. */
export function clearCodeAttempts(db: D1Database, userId: number, ip: string): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM auth_throttle WHERE key = ?").bind(codeKey(userId, ip)),
    db.prepare("UPDATE auth_throttle SET failures = max(failures - 1, 0) WHERE key = ?").bind(clientKey(ip)),
  ];
}

export type SecondFactor = { code?: string | undefined; recoveryCode?: string | undefined };

/**
 * Checks and uses up a second factor of a user with active TOTP: a code of a step later than the last one
 * accepted (the step is recorded in the same statement, so two requests can't both use it), or an unused
 * recovery code (marked used, with its audit row). Returns which one worked, or null.
 */
export async function useSecondFactor(
  ctx: MfaCtx,
  userId: number,
  factor: SecondFactor,
): Promise<"totp" | "recovery" | null> {
  const now = ctx.now();
  if (factor.code !== undefined) {
    const row = await readTotp(ctx.db, userId);
    if (row?.status !== "active") return null;
    const step = matchTotpStep(
      await openSecret(ctx.secret, userId, row.secret_enc),
      factor.code,
      now.getTime(),
    );
    if (step === null || step <= row.last_step) return null;
    const done = await ctx.db
      .prepare(
        "UPDATE user_totp SET last_step = ?1 WHERE user_id = ?2 AND status = 'active' AND last_step < ?1",
      )
      .bind(step, userId)
      .run();
    return done.meta.changes === 1 ? "totp" : null;
  }
  if (factor.recoveryCode !== undefined) {
    const [used] = await ctx.db.batch([
      ctx.db
        .prepare(
          `UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL
           AND EXISTS (SELECT 1 FROM user_totp WHERE user_id = ? AND status = 'active')`,
        )
        .bind(nowIso(now), userId, await hashRecoveryCode(factor.recoveryCode), userId),
      accountAudit(ctx.db, { userId, action: "mfa.recovery_code_used", at: now, onlyIfChanged: true }),
    ]);
    return used?.meta.changes === 1 ? "recovery" : null;
  }
  return null;
}
