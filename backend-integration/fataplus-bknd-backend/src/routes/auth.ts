/**
 * Auth routes answered by Fataplus instead of bknd: password login with PBKDF2 and throttling, logout, me,
 * and accepting an invitation. Tokens and cookies are still bknd's, so its admin UI and SDK keep working.
 */
import {
  acceptInvitation,
  createHandoff,
  DomainError,
  endSessions,
  type Identity,
  listAccessibleTenants,
  loadIdentity,
  login,
  redeemHandoff,
} from "@fataplus/domain";
import type { App } from "bknd";
import { sessionClaims } from "../bknd/gate/index.ts";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, appAccess } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

const readJson = (c: AppContext) => readJsonBody(c.req.raw, { maxBytes: 16_384 });

const clientIp = (c: AppContext) =>
  // Set by Cloudflare at the edge (not spoofable there); absent locally.
  c.req.header("cf-connecting-ip") ?? "local";

const publicUser = (u: Identity) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  locale: u.locale,
});

export function registerAuthRoutes(server: AppServer, app: App): void {
  const authenticator = () => app.module.auth.authenticator;
  const now = () => new Date();

  /** A bknd JWT for the identity and the Set-Cookie header that carries it. */
  const session = async (c: AppContext, identity: Identity) => {
    // After the user's last sign-out, even within the same millisecond (a Worker's clock only moves with I/O).
    const row = await c.env.DB.prepare("SELECT sessions_valid_after FROM users WHERE id = ?")
      .bind(identity.id)
      .first<{ sessions_valid_after: number }>();
    const token = await authenticator().jwt({
      id: identity.id,
      email: identity.email,
      role: identity.role,
      signed_in_at: Math.max(Date.now(), (row?.sessions_valid_after ?? 0) + 1),
    });
    const headers = await authenticator().getAuthCookieHeader(
      token,
      new Headers({ "cache-control": "no-store" }),
    );
    return { token, headers };
  };

  const loginHandler = async (c: AppContext) => {
    // bknd's admin UI posts an HTML form and expects a redirect; API clients post JSON and get JSON.
    const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(
      c.req.header("content-type") ?? "",
    );
    try {
      const db = c.env.DB;
      const body = isForm ? Object.fromEntries(await c.req.raw.clone().formData()) : await readJson(c);
      const identity = await login({
        ctx: { db, now },
        input: (body ?? {}) as { email: string; password: string },
        ip: clientIp(c),
      });
      const { token, headers } = await session(c, identity);
      if (isForm) {
        headers.set("location", identity.role === "admin" ? "/admin" : "/");
        return new Response(null, { status: 303, headers });
      }
      return c.json({ user: publicUser(identity), token }, 200, Object.fromEntries(headers));
    } catch (err) {
      if (isForm) return c.redirect("/admin/auth/login", 303);
      return toResponse(err);
    }
  };
  server.post("/api/auth/login", loginHandler);
  // bknd's own route, used by its admin UI: same handler, so bknd's sha256 check never runs.
  server.post("/api/auth/password/login", loginHandler);

  const logoutHandler = async (c: AppContext) => {
    // Signing out (POST) ends every session token of the user, not only this cookie (decision 003). GET, kept for
    // bknd's admin UI, only clears the cookie: a cross-site link must not sign anyone out everywhere.
    const session = c.req.method === "POST" ? await sessionClaims(app, c).catch(() => null) : null;
    if (session) await endSessions({ db: c.env.DB, userId: session.userId, now: new Date() });
    const headers = await authenticator().removeAuthCookieHeader(
      new Headers({ "cache-control": "no-store" }),
    );
    return c.json({ ok: true }, 200, Object.fromEntries(headers));
  };
  server.post("/api/auth/logout", logoutHandler);
  server.get("/api/auth/logout", logoutHandler);

  server.get("/api/auth/me", async (c) => {
    try {
      const session = await sessionClaims(app, c);
      if (!session) throw new DomainError("UNAUTHENTICATED", "Sign in first.");
      const db = c.env.DB;
      const identity = await loadIdentity({ db, userId: session.userId, sessionIssuedAt: session.issuedAt });
      if (!identity)
        throw new DomainError("UNAUTHENTICATED", "Your session is no longer valid. Sign in again.");
      const tenants = await listAccessibleTenants({ db, identity });
      return c.json({ user: publicUser(identity), tenants }, 200, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  });

  // Sign-in hand-off to a project subdomain (packages/domain/src/auth/handoff.ts).
  server.post("/api/app/auth/handoff", async (c) => {
    try {
      const body = (await readJson(c)) as { tenant?: unknown } | undefined;
      const tenant = typeof body?.tenant === "string" ? body.tenant.slice(0, 64) : "";
      const result = await createHandoff({
        ctx: { db: c.env.DB, now },
        input: { userId: appAccess(c).identity.id, tenant },
      });
      return c.json(result, 201, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  });
  server.post("/api/auth/handoff/redeem", async (c) => {
    try {
      const identity = await redeemHandoff({ ctx: { db: c.env.DB, now }, input: await readJson(c) });
      const { headers } = await session(c, identity);
      return c.json({ user: publicUser(identity) }, 200, Object.fromEntries(headers));
    } catch (err) {
      return toResponse(err);
    }
  });

  server.post("/api/auth/invitations/accept", async (c) => {
    try {
      const body = await readJson(c);
      const db = c.env.DB;
      // An existing account joins through its own session (packages/domain/src/invitations).
      const session = await sessionClaims(app, c).catch(() => null);
      const acting = session
        ? await loadIdentity({ db, userId: session.userId, sessionIssuedAt: session.issuedAt })
        : null;
      const result = await acceptInvitation({
        ctx: { db, now },
        input: (body ?? {}) as { token: string; password?: string },
        actingUserId: acting?.id ?? null,
      });
      return c.json({ ok: true, email: result.email }, 201);
    } catch (err) {
      return toResponse(err);
    }
  });
}
