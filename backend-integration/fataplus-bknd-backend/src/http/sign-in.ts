/**
 * The one place a sign-in becomes a session: every way in (password, hand-off, SSO, reset, MFA) ends here, so
 * each new session gets its row (decision 022) and its token the same claims.
 */
import {
  type Identity,
  type MfaChallenge,
  openSession,
  type SessionMethod,
  signInStep,
} from "@fataplus/domain";
import type { App } from "bknd";
import type { AppContext } from "./context.ts";
import { clientIp, tenantRefOf } from "./request.ts";

/** How a session was opened: shown in the user's list of sessions and kept in its row. */
export type SignInMethod = SessionMethod;

/**
 * How a session is opened: the first factor, and whether a second factor was checked for it (the sessions table
 * of decision 022 keeps both; a hand-off carries over the session it comes from).
 */
export type SessionHow = { method: SignInMethod; mfa?: boolean };

/** Opens the session's row, and returns a bknd JWT naming it and the Set-Cookie header that carries it. */
export async function issueSession(
  app: App,
  c: AppContext,
  identity: Identity,
  how: SessionHow,
): Promise<{ token: string; headers: Headers }> {
  const authenticator = app.module.auth.authenticator;
  const { id } = await openSession({
    db: c.env.DB,
    userId: identity.id,
    method: how.method,
    mfa: how.mfa ?? false,
    device: { host: tenantRefOf(c), userAgent: c.req.header("user-agent") ?? null, ip: clientIp(c) },
    now: new Date(),
  });
  const token = await authenticator.jwt({
    id: identity.id,
    email: identity.email,
    role: identity.role,
    sid: id,
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
