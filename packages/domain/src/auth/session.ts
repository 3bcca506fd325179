/**
 * Sessions as the domain sees them: who a session is now, and where a person lands after signing in. The
 * session rows are sessions.ts; the tokens and cookies themselves are bknd's, minted by the worker's auth
 * routes from these answers.
 */
import { z } from "zod";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { timeZoneView } from "../time-zones/index.ts";
import { createHandoff } from "./handoff.ts";
import { type Identity, listAccessibleTenants, loadIdentity } from "./identity.ts";

/** A verified session token's claims: the user it names and its session row (decision 022). */
export type SessionClaims = { userId: number; sessionId: string };

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
  session: SessionClaims | null;
}): Promise<Identity | null> {
  if (!session) return null;
  return loadIdentity({ db, userId: session.userId, session: { id: session.sessionId } });
}

/** "Who am I": the signed-in person and the tenants they may open, or 401. */
export async function whoAmI({ db, session }: { db: D1Database; session: SessionClaims | null }) {
  if (!session) throw new DomainError("UNAUTHENTICATED", "Sign in first.");
  const identity = await sessionIdentity({ db, session });
  if (!identity) throw new DomainError("UNAUTHENTICATED", "Your session is no longer valid. Sign in again.");
  const [tenants, zone] = await Promise.all([
    listAccessibleTenants({ db, identity }),
    timeZoneView(db, identity.id),
  ]);
  // `zone`: the time zone every time shown to this person is in (decision 030)
  return { user: publicIdentity(identity), tenants, zone };
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
  mfa,
  input,
}: {
  ctx: SystemCtx;
  userId: number;
  /** Whether a second factor was checked for the session asking (from the gate's session row). */
  mfa: boolean;
  input: unknown;
}): Promise<{ code: string; subdomain: string }> {
  const { tenant } = parse(handoffRequest, input ?? {}, "hand-off");
  return createHandoff({ ctx, input: { userId, tenant, mfa } });
}
