import { z } from "zod";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { activeIdentity, IDENTITY_COLUMNS, type Identity } from "./identity.ts";
import { DUMMY_HASH, isPbkdf2Hash, verifyPassword } from "./password.ts";

export const loginInput = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "must be an email address" }).max(254)),
  password: z.string().min(1, "is required").max(512),
});
export type LoginInput = z.input<typeof loginInput>;

/** Sign-in attempt limits: per account and per client (IP, or IPv6 /64), over a 15-minute window. */
export const THROTTLE = { windowSeconds: 15 * 60, perAccount: 5, perIp: 30 } as const;

/**
 * The throttle key of a client address. One IPv6 client controls a whole /64, so IPv6 addresses count by
 * their /64 prefix; IPv4 addresses count one by one.
 */
export function clientKey(ip: string): string {
  const addr = ip.trim().toLowerCase();
  if (!addr.includes(":")) return `ip:${addr}`;
  const [head = "", tail = ""] = addr.split("::", 2) as [string?, string?];
  const left = head ? head.split(":") : [];
  const right = addr.includes("::") && tail ? tail.split(":") : [];
  const groups = addr.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((g) => (Number.parseInt(g || "0", 16) || 0).toString(16));
  return `ip6:${prefix.join(":")}::/64`;
}

/**
 * Counts an attempt before the password is checked, in one atomic statement per key, so that parallel
 * guesses cannot all pass a check made before any of them is recorded.
 */
function countAttempt(db: D1Database, key: string, nowS: number) {
  return db
    .prepare(
      `INSERT INTO auth_throttle (key, window_start, failures) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
       RETURNING failures, window_start`,
    )
    .bind(key, nowS, THROTTLE.windowSeconds);
}

type Counted = { failures: number; window_start: number };

/**
 * Password sign-in. Unknown accounts, accounts without a PBKDF2 hash and disabled accounts cost the same
 * PBKDF2 work and get the same message as a wrong password.
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
  const parsed = loginInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid sign-in");
  const { email, password } = parsed.data;
  const nowS = Math.floor(ctx.now().getTime() / 1000);
  const acctKey = `acct:${email}`;
  const ipKey = clientKey(ip);

  const [acct, client] = await ctx.db.batch<Counted>([
    countAttempt(ctx.db, acctKey, nowS),
    countAttempt(ctx.db, ipKey, nowS),
    // expired counters go away as new attempts arrive, so the table stays small (index on window_start)
    ctx.db
      .prepare("DELETE FROM auth_throttle WHERE window_start < ?")
      .bind(nowS - 2 * THROTTLE.windowSeconds),
  ]);
  for (const [res, limit] of [
    [acct, THROTTLE.perAccount],
    [client, THROTTLE.perIp],
  ] as const) {
    const row = res?.results[0];
    if (row && row.failures > limit) {
      throw new DomainError("RATE_LIMITED", "Too many failed sign-in attempts. Try again later.", {
        retryAfterSeconds: Math.max(1, row.window_start + THROTTLE.windowSeconds - nowS),
      });
    }
  }

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
  // A success clears the account's counter and takes this attempt back from the client's.
  await ctx.db.batch([
    ctx.db.prepare("DELETE FROM auth_throttle WHERE key = ?").bind(acctKey),
    ctx.db.prepare("UPDATE auth_throttle SET failures = max(failures - 1, 0) WHERE key = ?").bind(ipKey),
  ]);
  return identity;
}
