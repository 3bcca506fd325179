/**
 * Auth routes answered by Fataplus instead of bknd: password login with PBKDF2 and throttling, logout, me,
 * the sign-in hand-off to a project subdomain, and accepting an invitation. Tokens and cookies are still bknd's,
 * so its admin UI and SDK keep working; the domain says who signs in, when a session starts and who it is.
 */
import {
  acceptInvitation,
  assertPasswordSignInAllowed,
  DomainError,
  endOtherSession,
  endSession,
  endSessions,
  landingPath,
  listSessions,
  login,
  publicIdentity,
  redeemHandoff,
  requestHandoff,
  type SessionOwnerCtx,
  sessionIdentity,
  whoAmI,
} from "@fataplus/domain";
import type { App } from "bknd";
import { isAllowedOrigin } from "../config.ts";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, appAccess, systemCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { clientIp } from "../http/request.ts";
import { sessionClaims } from "../http/session.ts";
import { issueSession, signIn } from "../http/sign-in.ts";

const readJson = (c: AppContext) => readJsonBody(c.req.raw, { maxBytes: 16_384 });

/** A GET a browser sent from a page of another site: it says so, or its Origin is neither ours nor the API's. */
function isCrossSiteGet(c: AppContext): boolean {
  if (c.req.header("sec-fetch-site") === "cross-site") return true;
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  return (
    origin === "null" ||
    (!isAllowedOrigin(origin, c.get("config").origins) && origin !== new URL(c.req.url).origin)
  );
}

/** A JSON answer that is never cached. */
function answer(run: (c: AppContext) => Promise<object>, status: 200 | 201 = 200) {
  return async (c: AppContext) => {
    try {
      return c.json(await run(c), status, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export function registerAuthRoutes(server: AppServer, app: App): void {
  const authenticator = () => app.module.auth.authenticator;

  const loginHandler = async (c: AppContext) => {
    // bknd's admin UI posts an HTML form and expects a redirect; API clients post JSON and get JSON.
    const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(
      c.req.header("content-type") ?? "",
    );
    try {
      const body = isForm ? Object.fromEntries(await c.req.raw.clone().formData()) : await readJson(c);
      const identity = await login({ ctx: systemCtx(c), input: body ?? {}, ip: clientIp(c) });
      await assertPasswordSignInAllowed({ db: c.env.DB, identity }); // the agency may require SSO (decision 025)
      const result = await signIn(app, c, identity, { method: "password" });
      if (result.kind === "challenge") {
        // A second factor comes first (decision 024). bknd's admin form has no step for it: the person is sent
        // to the site's sign-in page, which has one; no session is minted here.
        if (isForm) {
          const to = new URL("/login", c.get("config").siteUrl);
          to.searchParams.set("mfa", "required");
          return new Response(null, {
            status: 303,
            headers: { location: to.href, "cache-control": "no-store" },
          });
        }
        const { challenge, step, expiresAt } = result.challenge;
        return c.json({ mfa: { challenge, step, expires_at: expiresAt } }, 200, {
          "cache-control": "no-store",
        });
      }
      const { token, headers } = result;
      if (isForm) {
        headers.set("location", landingPath(identity));
        return new Response(null, { status: 303, headers });
      }
      return c.json({ user: publicIdentity(identity), token }, 200, Object.fromEntries(headers));
    } catch (err) {
      if (isForm) return c.redirect("/admin/auth/login", 303);
      return toResponse(err);
    }
  };
  server.post("/api/auth/login", loginHandler);
  // bknd's own route, used by its admin UI: same handler, so bknd's sha256 check never runs.
  server.post("/api/auth/password/login", loginHandler);

  /**
   * Every sign-out ends this device's session on the server, not only its cookie (decision 022; other devices
   * stay signed in: "sign out everywhere" is its own action): POST (the site), GET (bknd's SDK `auth.logout()`
   * and its admin UI) and bknd's `/admin/auth/logout`. A GET that a browser sends from another site (a link, an
   * image) signs nobody out and clears nothing: otherwise any page could sign a user out (decision 019).
   */
  const signOut = async (c: AppContext): Promise<Headers> => {
    if (c.req.method === "GET" && isCrossSiteGet(c)) {
      throw new DomainError("FORBIDDEN", "Sign out from Fataplus itself: a link from another site can't.");
    }
    const session = await sessionClaims(app, c).catch(() => null);
    if (session) {
      const { userId, sessionId } = session;
      await endSession({ db: c.env.DB, userId, sessionId, now: new Date(), reason: "signed_out" });
    }
    return authenticator().removeAuthCookieHeader(new Headers({ "cache-control": "no-store" }));
  };
  const logoutHandler = async (c: AppContext) => {
    try {
      return c.json({ ok: true }, 200, Object.fromEntries(await signOut(c)));
    } catch (err) {
      return toResponse(err);
    }
  };
  server.post("/api/auth/logout", logoutHandler);
  server.get("/api/auth/logout", logoutHandler);
  // bknd's admin UI signs out here (its AdminController only removes the cookie): ours runs first.
  server.get("/admin/auth/logout", async (c) => {
    try {
      const headers = await signOut(c);
      headers.set("location", "/admin/auth/login");
      return new Response(null, { status: 302, headers });
    } catch (err) {
      return toResponse(err);
    }
  });

  server.get(
    "/api/auth/me",
    answer(async (c) => whoAmI({ db: c.env.DB, session: await sessionClaims(app, c) })),
  );

  // Sign-in hand-off to a project subdomain (packages/domain/src/auth/handoff.ts).
  server.post(
    "/api/app/auth/handoff",
    answer(
      async (c) =>
        requestHandoff({
          ctx: systemCtx(c),
          userId: appAccess(c).identity.id,
          mfa: appAccess(c).session?.mfa ?? false,
          input: await readJson(c),
        }),
      201,
    ),
  );
  server.post("/api/auth/handoff/redeem", async (c) => {
    try {
      const { mfa, ...identity } = await redeemHandoff({ ctx: systemCtx(c), input: await readJson(c) });
      const { headers } = await issueSession(app, c, identity, { method: "handoff", mfa });
      return c.json({ user: publicIdentity(identity) }, 200, Object.fromEntries(headers));
    } catch (err) {
      return toResponse(err);
    }
  });

  server.post(
    "/api/auth/invitations/accept",
    answer(async (c) => {
      const input = await readJson(c);
      // An existing account joins through its own session (packages/domain/src/invitations).
      const acting = await sessionIdentity({
        db: c.env.DB,
        session: await sessionClaims(app, c).catch(() => null),
      });
      const result = await acceptInvitation({
        ctx: systemCtx(c),
        input: input ?? {},
        actingUserId: acting?.id ?? null,
      });
      return { ok: true, email: result.email };
    }, 201),
  );

  // "Where you are signed in" (decision 022): the caller's own sessions only, this one marked.
  const owner = (c: AppContext): SessionOwnerCtx => {
    const access = appAccess(c);
    if (!access.session) throw new DomainError("UNAUTHENTICATED", "Sign in first.");
    return { db: c.env.DB, identity: access.identity, sessionId: access.session.id, now: () => new Date() };
  };
  server.get(
    "/api/app/account/sessions",
    answer(async (c) => listSessions({ ctx: owner(c) })),
  );
  server.post(
    "/api/app/account/sessions/end",
    answer(async (c) => endOtherSession({ ctx: owner(c), input: await readJson(c) })),
  );
  /** "Se déconnecter partout": every session of the caller ends, this one included, and its cookie goes. */
  server.post("/api/app/account/sessions/end-all", async (c) => {
    try {
      const { db, identity } = owner(c);
      await endSessions({ db, userId: identity.id, now: new Date(), reason: "everywhere" });
      const headers = await authenticator().removeAuthCookieHeader(
        new Headers({ "cache-control": "no-store" }),
      );
      return c.json({ ok: true }, 200, Object.fromEntries(headers));
    } catch (err) {
      return toResponse(err);
    }
  });
}
