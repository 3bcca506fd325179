/**
 * The one place a sign-in becomes a session: every way in (password, hand-off, SSO, reset, MFA) ends here, so
 * each new session is recorded the same way (decision 022) and carries the same claims.
 */
import { type Identity, type MfaChallenge, sessionIssuedAt, signInStep } from "@fataplus/domain";
import type { App } from "bknd";
import type { AppContext } from "./context.ts";

/** How a session was opened: shown in the user's list of sessions and kept in its row. */
export type SignInMethod = "password" | "handoff" | "sso" | "reset" | "invitation";

/**
 * How a session is opened: the first factor, and whether a second factor was checked for it (the sessions table
 * of decision 022 keeps both; a hand-off carries over the session it comes from).
 */
export type SessionHow = { method: SignInMethod; mfa?: boolean };

/** A bknd JWT for the identity and the Set-Cookie header that carries it. */
export async function issueSession(
  app: App,
  c: AppContext,
  identity: Identity,
  _how: SessionHow,
): Promise<{ token: string; headers: Headers }> {
  const authenticator = app.module.auth.authenticator;
  const token = await authenticator.jwt({
    id: identity.id,
    email: identity.email,
    role: identity.role,
    signed_in_at: await sessionIssuedAt({ db: c.env.DB, userId: identity.id, now: new Date() }),
  });
  const headers = await authenticator.getAuthCookieHeader(
    token,
    new Headers({ "cache-control": "no-store" }),
  );
  return { token, headers };
}

/** What a sign-in whose first factor is right leads to: a session, or a second-factor challenge first. */
export type SignInResult =
  | { kind: "session"; token: string; headers: Headers }
  | { kind: "challenge"; challenge: MfaChallenge };

/**
 * The one decision "first factor right → session or challenge" (decision 024): a person with TOTP, or agency
 * staff past the grace period without it, gets a challenge (`POST /api/auth/mfa/verify` then mints the session
 * with `mfa: true`); everybody else gets the session now. Every way in that checks only a first factor (password,
 * SSO) goes through here; a hand-off carries over a session that already passed it.
 */
export async function signIn(
  app: App,
  c: AppContext,
  identity: Identity,
  how: SessionHow,
): Promise<SignInResult> {
  const step = await signInStep({ ctx: { db: c.env.DB, now: () => new Date() }, identity });
  if (step.kind === "challenge") {
    const { challenge, step: kind, expiresAt } = step;
    return { kind: "challenge", challenge: { challenge, step: kind, expiresAt } };
  }
  return { kind: "session", ...(await issueSession(app, c, identity, how)) };
}
