/** The bknd session a request carries: who its token says is calling, read by the gate and the auth routes. */
import type { App, SafeUser } from "bknd";
import { z } from "zod";
import type { AppContext } from "./context.ts";

export type SessionClaims = { userId: number; issuedAt: number };

/** A verified session: its claims, and the user bknd resolved from it (what bknd's own auth middleware would). */
export type VerifiedSession = SessionClaims & { user: SafeUser };

const claimsShape = z.object({
  id: z.unknown().optional(),
  iat: z.unknown().optional(),
  signed_in_at: z.unknown().optional(),
});

/**
 * Who verified session claims say is calling, and when the token was issued in milliseconds (`signed_in_at`, or
 * bknd's `iat` in seconds for older tokens), to check against the user's last sign-out in D1.
 */
export function readSessionClaims(claims: unknown): SessionClaims | null {
  const parsed = claimsShape.safeParse(claims);
  if (!parsed.success) return null;
  const { id, iat, signed_in_at } = parsed.data;
  if (typeof id !== "number" || !Number.isInteger(id)) return null;
  const issuedAt = typeof signed_in_at === "number" ? signed_in_at : typeof iat === "number" ? iat * 1000 : 0;
  return { userId: id, issuedAt };
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
