/**
 * Attempt counters in `auth_throttle`, one row per key, over a fixed window: sign-in attempts, and the public
 * forms (intake, bootcamp applications) that count per client address.
 */
import { DomainError } from "../kernel/errors.ts";

/**
 * Sign-in attempt limits over a 15-minute window: per account and client (IP, or IPv6 /64) together, and per
 * client. An account's failures from every client together only raise an alert past `alertAt`: a limit there
 * would let anyone lock the owner out from elsewhere (security review, decision 019).
 */
export const THROTTLE = { windowSeconds: 15 * 60, perAccount: 5, perIp: 30, alertAt: 20 } as const;

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

export type ThrottleCount = { failures: number; window_start: number };

/**
 * Counts an attempt, in one atomic statement per key (so that parallel attempts cannot all pass a check made
 * before any of them is recorded); returns the count and the window's start.
 */
export function countAttempt(
  db: D1Database,
  key: string,
  nowS: number,
  windowSeconds: number = THROTTLE.windowSeconds,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO auth_throttle (key, window_start, failures) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
       RETURNING failures, window_start`,
    )
    .bind(key, nowS, windowSeconds);
}

/** RATE_LIMITED (with the seconds left in the window) once `row` counts more than `limit` attempts. */
export function assertUnderLimit(
  row: ThrottleCount | null | undefined,
  limit: number,
  nowS: number,
  message: string,
  windowSeconds: number = THROTTLE.windowSeconds,
): void {
  if (row && row.failures > limit)
    throw new DomainError("RATE_LIMITED", message, {
      retryAfterSeconds: Math.max(1, row.window_start + windowSeconds - nowS),
    });
}

/** Counts one submission of a public form from `ip` under `scope`, and refuses it past `limit` per window. */
export async function countClientAttempt(
  db: D1Database,
  opts: { scope: string; ip: string; limit: number; nowS: number; message: string },
): Promise<void> {
  const row = await countAttempt(db, `${opts.scope}:${clientKey(opts.ip)}`, opts.nowS).first<ThrottleCount>();
  assertUnderLimit(row, opts.limit, opts.nowS, opts.message);
}
