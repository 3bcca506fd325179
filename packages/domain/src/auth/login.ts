import { z } from "zod";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { emailAddress } from "../kernel/schemas.ts";
import { activeIdentity, IDENTITY_COLUMNS, type Identity } from "./identity.ts";
import { DUMMY_HASH, isPbkdf2Hash, verifyPassword } from "./password.ts";
import { assertUnderLimit, clientKey, countAttempt, THROTTLE, type ThrottleCount } from "./throttle.ts";

export const loginInput = z.strictObject({
  email: emailAddress(),
  password: z.string().min(1, "is required").max(512),
});
export type LoginInput = z.input<typeof loginInput>;

/**
 * Password sign-in. Unknown accounts, accounts without a PBKDF2 hash and disabled accounts cost the same
 * PBKDF2 work and get the same message as a wrong password.
 *
 * Throttling (decision 003, changed by 019): every attempt is counted before the password is checked, per
 * (account, client) and per client; past either limit the answer is RATE_LIMITED even for the right password.
 * A client that guesses slows only itself: the owner, signing in from elsewhere, is never locked out. The
 * account's count over every client is kept as an alert (logged once per window at THROTTLE.alertAt).
 */
export async function login({
  ctx,
  input,
  ip,
}: {
  ctx: SystemCtx;
  input: unknown;
  ip: string;
}): Promise<Identity> {
  const { email, password } = parse(loginInput, input, "sign-in");
  const nowS = Math.floor(ctx.now().getTime() / 1000);
  const acctKey = `acct:${email}`;
  const ipKey = clientKey(ip);
  const pairKey = `${acctKey}|${ipKey}`;

  // Counted before the password is checked, so that parallel guesses cannot all pass.
  const [pair, client, acct] = await ctx.db.batch<ThrottleCount>([
    countAttempt(ctx.db, pairKey, nowS),
    countAttempt(ctx.db, ipKey, nowS),
    countAttempt(ctx.db, acctKey, nowS),
    // expired counters go away as new attempts arrive, so the table stays small (index on window_start)
    ctx.db
      .prepare("DELETE FROM auth_throttle WHERE window_start < ?")
      .bind(nowS - 2 * THROTTLE.windowSeconds),
  ]);
  const tooMany = "Too many failed sign-in attempts. Try again later.";
  if (acct?.results[0]?.failures === THROTTLE.alertAt + 1) {
    // many failures on one account, from several clients: worth a look (not a lock: that would be a DoS)
    console.warn("sign-in alert", {
      account: email,
      failures: THROTTLE.alertAt + 1,
      window_seconds: THROTTLE.windowSeconds,
    });
  }
  assertUnderLimit(pair?.results[0], THROTTLE.perAccount, nowS, tooMany);
  assertUnderLimit(client?.results[0], THROTTLE.perIp, nowS, tooMany);

  const user = await ctx.db
    .prepare(`SELECT ${IDENTITY_COLUMNS}, strategy_value FROM users WHERE email = ?`)
    .bind(email)
    .first<Identity & { status: string; strategy_value: string | null }>();
  const identity = activeIdentity(user);
  const stored = identity && isPbkdf2Hash(user?.strategy_value) ? user?.strategy_value : null;
  const ok = await verifyPassword(password, stored ?? DUMMY_HASH);
  if (!identity || !stored || !ok) {
    throw new DomainError("UNAUTHENTICATED", "Email or password is incorrect.");
  }
  // A success clears the account's counters and takes this attempt back from the client's.
  await ctx.db.batch([
    ctx.db.prepare("DELETE FROM auth_throttle WHERE key IN (?, ?)").bind(acctKey, pairKey),
    ctx.db.prepare("UPDATE auth_throttle SET failures = max(failures - 1, 0) WHERE key = ?").bind(ipKey),
  ]);
  return identity;
}
