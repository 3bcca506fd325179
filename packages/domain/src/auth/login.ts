import { z } from "zod";
import type { SystemCtx } from "../context.ts";
import { DomainError, validationError } from "../errors.ts";
import { DUMMY_HASH, verifyPassword } from "../password.ts";
import type { Identity } from "./identity.ts";

export const loginInput = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "must be an email address" }).max(254)),
  password: z.string().min(1, "is required").max(512),
});
export type LoginInput = z.input<typeof loginInput>;

/** Failed-login limits: per account and per IP, over a sliding 15-minute window. */
export const THROTTLE = { windowSeconds: 15 * 60, perAccount: 5, perIp: 30 } as const;

type ThrottleRow = { key: string; window_start: number; failures: number };

async function checkThrottle(db: D1Database, keys: { key: string; limit: number }[], nowS: number) {
  const { results } = await db
    .prepare(
      `SELECT key, window_start, failures FROM auth_throttle WHERE key IN (${keys.map(() => "?").join(",")})`,
    )
    .bind(...keys.map((k) => k.key))
    .all<ThrottleRow>();
  for (const row of results) {
    const limit = keys.find((k) => k.key === row.key)?.limit ?? Number.POSITIVE_INFINITY;
    const windowEnd = row.window_start + THROTTLE.windowSeconds;
    if (windowEnd > nowS && row.failures >= limit) {
      throw new DomainError("RATE_LIMITED", "Too many failed sign-in attempts. Try again later.", {
        retryAfterSeconds: windowEnd - nowS,
      });
    }
  }
}

function recordFailure(db: D1Database, key: string, nowS: number) {
  return db
    .prepare(
      `INSERT INTO auth_throttle (key, window_start, failures) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END`,
    )
    .bind(key, nowS, THROTTLE.windowSeconds);
}

/**
 * Password sign-in. Unknown accounts cost the same PBKDF2 work as known ones, and every failure — wrong
 * password, unknown or disabled account — gives the same message.
 */
export async function login({
  ctx,
  input,
  ip,
}: {
  ctx: SystemCtx;
  input: LoginInput;
  ip: string;
}): Promise<Identity> {
  const parsed = loginInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid sign-in");
  const { email, password } = parsed.data;
  const nowS = Math.floor(ctx.now().getTime() / 1000);
  const acctKey = `acct:${email}`;
  const ipKey = `ip:${ip}`;
  await checkThrottle(
    ctx.db,
    [
      { key: acctKey, limit: THROTTLE.perAccount },
      { key: ipKey, limit: THROTTLE.perIp },
    ],
    nowS,
  );

  const user = await ctx.db
    .prepare("SELECT id, email, name, role, locale, status, strategy_value FROM users WHERE email = ?")
    .bind(email)
    .first<Identity & { status: string; strategy_value: string | null }>();
  const ok = await verifyPassword(password, user?.strategy_value ?? DUMMY_HASH);
  if (!user || !ok || user.status !== "active") {
    await ctx.db.batch([
      recordFailure(ctx.db, acctKey, nowS),
      recordFailure(ctx.db, ipKey, nowS),
      // expired counters go away as new failures arrive, so the table stays small (index on window_start)
      ctx.db
        .prepare("DELETE FROM auth_throttle WHERE window_start < ?")
        .bind(nowS - 2 * THROTTLE.windowSeconds),
    ]);
    throw new DomainError("UNAUTHENTICATED", "Email or password is incorrect.");
  }
  await ctx.db.prepare("DELETE FROM auth_throttle WHERE key = ?").bind(acctKey).run();
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
}
