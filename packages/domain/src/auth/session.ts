/**
 * Sessions as the domain sees them: when a new session token may say it was issued (after the user's last
 * sign-out, decision 003), who a session is now, and where a person lands after signing in. The tokens and
 * cookies themselves are bknd's; the worker's auth routes mint them from these answers.
 */
import { z } from "zod";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { createHandoff } from "./handoff.ts";
import { type Identity, listAccessibleTenants, loadIdentity } from "./identity.ts";

/**
 * The `signed_in_at` of a new session token: now, but always after the user's last sign-out, even within the
 * same millisecond (a Worker's clock only moves with I/O), so a fresh session is never born revoked.
 */
export async function sessionIssuedAt({
  db,
  userId,
  now,
}: {
  db: D1Database;
  userId: number;
  now: Date;
}): Promise<number> {
  const row = await db
    .prepare("SELECT sessions_valid_after FROM users WHERE id = ?")
    .bind(userId)
    .first<{ sessions_valid_after: number | null }>();
  return issuedAfterSignOut(now.getTime(), row?.sessions_valid_after ?? 0);
}

/** The pure rule behind sessionIssuedAt. */
export const issuedAfterSignOut = (nowMs: number, sessionsValidAfter: number): number =>
  Math.max(nowMs, sessionsValidAfter + 1);

/** Where the sign-in form of bknd's admin UI sends a person: admins to /admin, everybody else home. */
export const landingPath = (identity: Pick<Identity, "role">): string =>
  identity.role === "admin" ? "/admin" : "/";

/** What a person may know about their own account. */
export const publicIdentity = (u: Identity) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  locale: u.locale,
});

/** The identity a session names, re-read from D1; null without a session or when it no longer holds. */
export async function sessionIdentity({
  db,
  session,
}: {
  db: D1Database;
  session: { userId: number; issuedAt: number } | null;
}): Promise<Identity | null> {
  if (!session) return null;
  return loadIdentity({ db, userId: session.userId, sessionIssuedAt: session.issuedAt });
}

/** "Who am I": the signed-in person and the tenants they may open, or 401. */
export async function whoAmI({
  db,
  session,
}: {
  db: D1Database;
  session: { userId: number; issuedAt: number } | null;
}) {
  if (!session) throw new DomainError("UNAUTHENTICATED", "Sign in first.");
  const identity = await sessionIdentity({ db, session });
  if (!identity) throw new DomainError("UNAUTHENTICATED", "Your session is no longer valid. Sign in again.");
  return { user: publicIdentity(identity), tenants: await listAccessibleTenants({ db, identity }) };
}

/** Which project a signed-in person asks to be sent to: its subdomain or FP- id. */
export const handoffRequest = z.object({ tenant: z.string().transform((s) => s.slice(0, 64)) });

/**
 * A hand-off asked for by a signed-in person (`userId`, from the session the gate checked; never from the
 * body): the body names the project, createHandoff checks access and mints the code.
 */
export async function requestHandoff({
  ctx,
  userId,
  input,
}: {
  ctx: SystemCtx;
  userId: number;
  input: unknown;
}): Promise<{ code: string; subdomain: string }> {
  const { tenant } = parse(handoffRequest, input ?? {}, "hand-off");
  return createHandoff({ ctx, input: { userId, tenant } });
}
