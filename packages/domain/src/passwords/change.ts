/**
 * Changing one's password from the account page: the current password first, counted by the sign-in throttle
 * (the same counters as `login`, so that a stolen session cannot guess the password faster than the sign-in
 * form would let it), then the new one, checked for strength. The password, the end of every session and the
 * audit row are one batch; the route then opens a fresh session for the device that asked.
 */
import { endSessionsStatements, type Identity } from "../auth/identity.ts";
import { hashPassword, isPbkdf2Hash, verifyPassword } from "../auth/password.ts";
import { assertUnderLimit, clientKey, countAttempt, THROTTLE, type ThrottleCount } from "../auth/throttle.ts";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { accountAuditRow } from "./audit.ts";
import { changePasswordInput } from "./schemas.ts";
import { assertStrongPassword } from "./strength.ts";

const WRONG_CURRENT = {
  fr: "Le mot de passe actuel est incorrect.",
  en: "The current password is incorrect.",
} as const;

export async function changePassword({
  ctx,
  identity,
  input,
  ip,
}: {
  ctx: SystemCtx;
  /** The signed-in person (as the gate re-read them): only their own password changes. */
  identity: Identity;
  input: unknown;
  ip: string;
}): Promise<{ ok: true }> {
  const data = parse(changePasswordInput, input, "password change");
  const lang = data.locale ?? identity.locale;
  const now = ctx.now();
  const nowS = Math.floor(now.getTime() / 1000);
  const acctKey = `acct:${identity.email}`;
  const ipKey = clientKey(ip);
  const pairKey = `${acctKey}|${ipKey}`;
  const [pair, client] = await ctx.db.batch<ThrottleCount>([
    countAttempt(ctx.db, pairKey, nowS),
    countAttempt(ctx.db, ipKey, nowS),
    countAttempt(ctx.db, acctKey, nowS),
  ]);
  const tooMany = "Too many failed attempts. Try again later.";
  assertUnderLimit(pair?.results[0], THROTTLE.perAccount, nowS, tooMany);
  assertUnderLimit(client?.results[0], THROTTLE.perIp, nowS, tooMany);

  const user = await ctx.db
    .prepare("SELECT strategy_value FROM users WHERE id = ? AND status = 'active'")
    .bind(identity.id)
    .first<{ strategy_value: string | null }>();
  const stored = isPbkdf2Hash(user?.strategy_value) ? user?.strategy_value : null;
  if (!stored || !(await verifyPassword(data.current_password, stored))) {
    // Not UNAUTHENTICATED: the session is fine, the field is wrong (and the site must not sign the person out).
    throw new DomainError("VALIDATION", WRONG_CURRENT[lang], {
      details: [{ path: "current_password", message: WRONG_CURRENT[lang] }],
    });
  }
  // The right password: this attempt is taken back, as a successful sign-in does.
  await ctx.db.batch([
    ctx.db.prepare("DELETE FROM auth_throttle WHERE key IN (?, ?)").bind(acctKey, pairKey),
    ctx.db.prepare("UPDATE auth_throttle SET failures = max(failures - 1, 0) WHERE key = ?").bind(ipKey),
  ]);
  await assertStrongPassword(data.new_password, identity, lang, "new_password");
  const hash = await hashPassword(data.new_password);
  const ts = nowIso(now);
  await ctx.db.batch([
    ctx.db
      .prepare(
        "UPDATE users SET strategy = 'password', strategy_value = ? WHERE id = ? AND status = 'active'",
      )
      .bind(hash, identity.id),
    accountAuditRow(ctx.db, {
      action: "password.change",
      userId: identity.id,
      actorType: "user",
      at: ts,
      onlyIfChanged: true,
    }),
    ...endSessionsStatements(ctx.db, { userId: identity.id, now }),
  ]);
  return { ok: true };
}
