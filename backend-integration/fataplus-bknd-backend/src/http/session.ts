/** The bknd session a request carries: who its token says is calling, read by the gate and the auth routes. */
import type { SessionClaims } from "@fataplus/domain";
import type { App, SafeUser } from "bknd";
import { z } from "zod";
import type { AppContext } from "./context.ts";

export type { SessionClaims };

/** A verified session: its claims, and the user bknd resolved from it (what bknd's own auth middleware would). */
export type VerifiedSession = SessionClaims & { user: SafeUser };

const claimsShape = z.object({ id: z.number().int(), sid: z.string().min(16).max(64) });

/**
 * Who verified session claims say is calling, and which session row they belong to (`sid`, decision 022). A
 * token without a session row (issued before sessions had rows) is no session: its holder signs in again.
 */
export function readSessionClaims(claims: unknown): SessionClaims | null {
  const parsed = claimsShape.safeParse(claims);
  return parsed.success ? { userId: parsed.data.id, sessionId: parsed.data.sid } : null;
}

/** The session of a request, as bknd's authenticator verified its token (or cookie). */
export async function sessionClaims(app: App, c: AppContext): Promise<SessionClaims | null> {
  return (await verifiedSession(app, c)) ?? null;
}

export async function verifiedSession(app: App, c: AppContext): Promise<VerifiedSession | null> {
  const user = await app.module.auth.authenticator.resolveAuthFromRequest(c);
  const claims = readSessionClaims(user);
  return claims && user ? { ...claims, user } : null;
}

/**
 * Hands bknd the user the gate resolved, in the shape its auth middleware keeps per request (bknd 0.20,
 * `ServerEnv["Variables"]["auth"]`): the middleware then skips verifying the same token a second time.
 */
export function shareSessionWithBknd(c: AppContext, session: VerifiedSession): void {
  c.set("auth", { registered: false, resolved: true, skip: false, user: session.user });
}
