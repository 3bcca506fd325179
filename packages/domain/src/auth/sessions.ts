/**
 * Sessions, one row per signed-in device (migrations/0014_sessions.sql, decision 022): opened by every way in,
 * listed for their owner ("where you are signed in"), ended one at a time (sign-out on this device, or "end"
 * on another one) or all at once (`endSessions` in identity.ts: "sign out everywhere", a password reset, a
 * deactivated account). The session token carries the row's id; the gate reads the row with the user on
 * every request, so an ended session stops working at once.
 */
import { z } from "zod";
import { DomainError } from "../kernel/errors.ts";
import { newToken } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import type { Identity, SessionEnd } from "./identity.ts";

/** A session's absolute lifetime: past it, sign in again, however often the cookie was renewed. */
export const SESSION_LIFETIME_DAYS = 30;
/** How long an ended or expired session stays listed in the database (then the next sign-in deletes it). */
const KEEP_ENDED_DAYS = 30;
const DAY_MS = 86_400_000;

export type SessionMethod = "password" | "handoff" | "sso" | "reset" | "invitation";

/** What the owner sees of the device a session was opened on (all optional, all truncated). */
export type SessionDevice = { host?: string | null; userAgent?: string | null; ip?: string | null };

const clip = (value: string | null | undefined, max: number): string | null =>
  value ? value.slice(0, max) : null;

/**
 * Opens a session for a user who just proved who they are (the caller checked it), and forgets the user's
 * sessions that ended or expired more than 30 days ago. Returns the id the session token carries.
 */
export async function openSession({
  db,
  userId,
  method,
  mfa = false,
  device = {},
  now,
}: {
  db: D1Database;
  userId: number;
  method: SessionMethod;
  mfa?: boolean;
  device?: SessionDevice;
  now: Date;
}): Promise<{ id: string; expiresAt: string }> {
  const id = newToken(18);
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_DAYS * DAY_MS).toISOString();
  const forgetBefore = new Date(now.getTime() - KEEP_ENDED_DAYS * DAY_MS).toISOString();
  await db.batch([
    db
      .prepare(
        `INSERT INTO sessions (id, user_id, method, mfa, host, user_agent, ip, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        id,
        userId,
        method,
        mfa ? 1 : 0,
        clip(device.host, 255),
        clip(device.userAgent, 256),
        clip(device.ip, 64),
        now.toISOString(),
        expiresAt,
      ),
    db
      .prepare("DELETE FROM sessions WHERE user_id = ? AND (revoked_at < ? OR expires_at < ?)")
      .bind(userId, forgetBefore, forgetBefore),
  ]);
  return { id, expiresAt };
}

/** Ends one session of the user (another user's id matches nothing); true when it was open. */
export async function endSession({
  db,
  userId,
  sessionId,
  now,
  reason,
}: {
  db: D1Database;
  userId: number;
  sessionId: string;
  now: Date;
  reason: Extract<SessionEnd, "signed_out" | "ended">;
}): Promise<boolean> {
  const [ended] = await db.batch([
    db
      .prepare(
        `UPDATE sessions SET revoked_at = ?, revoked_reason = ?
         WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
      )
      .bind(now.toISOString(), reason, sessionId, userId),
    // a hand-off code asked for from this device would otherwise still open a session elsewhere
    db.prepare("DELETE FROM auth_handoffs WHERE user_id = ?").bind(userId),
  ]);
  return (ended?.meta.changes ?? 0) > 0;
}

/** Who manages their own sessions: the signed-in user, and the session this request came with. */
export type SessionOwnerCtx = { db: D1Database; identity: Identity; sessionId: string; now: () => Date };

export type SessionView = {
  id: string;
  current: boolean;
  method: SessionMethod;
  mfa: boolean;
  host: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  expiresAt: string;
};

type SessionRow = {
  id: string;
  method: SessionMethod;
  mfa: number;
  host: string | null;
  user_agent: string | null;
  ip: string | null;
  created_at: string;
  expires_at: string;
};

/** At most this many open sessions are listed (newest first); older ones still work and still end "everywhere". */
export const SESSIONS_LISTED = 50;

/** "Where you are signed in": the user's open sessions, this one first, then newest first. */
export async function listSessions({ ctx }: { ctx: SessionOwnerCtx }): Promise<{ sessions: SessionView[] }> {
  const now = ctx.now().toISOString();
  const { results } = await ctx.db
    .prepare(
      `SELECT id, method, mfa, host, user_agent, ip, created_at, expires_at FROM sessions
       WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
       ORDER BY id = ? DESC, created_at DESC LIMIT ?`,
    )
    .bind(ctx.identity.id, now, ctx.sessionId, SESSIONS_LISTED)
    .all<SessionRow>();
  return {
    sessions: results.map((r) => ({
      id: r.id,
      current: r.id === ctx.sessionId,
      method: r.method,
      mfa: r.mfa === 1,
      host: r.host,
      userAgent: r.user_agent,
      ip: r.ip,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    })),
  };
}

export const endSessionInput = z.strictObject({ id: z.string().min(16).max(64) });

/**
 * Ends one of the user's other sessions ("se déconnecter de cet appareil" in the list). This device signs out
 * with the sign-out button instead; an unknown, ended or foreign id gets the same 404.
 */
export async function endOtherSession({
  ctx,
  input,
}: {
  ctx: SessionOwnerCtx;
  input: unknown;
}): Promise<{ ok: true }> {
  const { id } = parse(endSessionInput, input ?? {}, "session");
  if (id === ctx.sessionId)
    throw new DomainError("UNPROCESSABLE", "This is the session you are using: sign out instead.");
  const ended = await endSession({
    db: ctx.db,
    userId: ctx.identity.id,
    sessionId: id,
    now: ctx.now(),
    reason: "ended",
  });
  if (!ended) throw new DomainError("NOT_FOUND", "This session is not open (it may have ended already).");
  return { ok: true };
}
