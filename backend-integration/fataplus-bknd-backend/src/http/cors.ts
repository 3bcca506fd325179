/**
 * CORS restricted to the site's origins (exact, or one subdomain level for tenant portals). It wraps the gate,
 * so refusals carry the same headers. bknd's own CORS header is overwritten on the way out.
 */
import { DomainError } from "@fataplus/domain";
import type { Context, MiddlewareHandler } from "hono";
import { isAllowedOrigin } from "../config.ts";
import { errorResponse } from "./errors.ts";

const ALLOW_HEADERS =
  "content-type, authorization, accept, x-fataplus-tenant, mcp-session-id, mcp-protocol-version";
const ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A write that a browser sent from a page of another site, carrying the session cookie (CSRF). The cookie is
 * SameSite=Lax already; this refuses what gets past it: a browser that says the request is cross-site, an
 * opaque ("null") origin, or any Origin that is neither one of the site's origins nor the API's own (bknd's
 * admin UI), whatever Sec-Fetch-Site says or leaves out (older browsers, some webviews and extensions send no
 * Sec-Fetch-Site). Requests the site's Worker proxies carry the site's Origin (or none: the site checked them
 * itself), and bearer tokens are never attached by a browser on its own, so neither is concerned.
 */
/**
 * Routes that start a session: a cross-site write there is refused even without a cookie, or a page of another
 * site could sign the victim into the attacker's account (login CSRF) with a plain HTML form.
 */
const SESSION_STARTING = /^\/api\/auth\/(login|password\/login|handoff\/redeem|invitations\/accept)\/?$/;

function isCrossSiteWrite(c: Context, origin: string | undefined, allowed: boolean): boolean {
  if (!UNSAFE_METHODS.has(c.req.method)) return false;
  if (!c.req.header("cookie") && !SESSION_STARTING.test(new URL(c.req.url).pathname)) return false;
  if (origin === "null") return true;
  if (c.req.header("sec-fetch-site") === "cross-site") return true;
  return origin !== undefined && !allowed && origin !== new URL(c.req.url).origin;
}

export const cors: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header("origin");
  const allowed = origin ? isAllowedOrigin(origin, c.get("config").origins) : false;
  if (isCrossSiteWrite(c, origin, allowed)) {
    return errorResponse(new DomainError("FORBIDDEN", "Cross-site requests may not change anything here."), {
      vary: "Origin",
    });
  }
  if (c.req.method === "OPTIONS" && origin) {
    const headers = new Headers({ vary: "Origin" });
    if (allowed) {
      headers.set("access-control-allow-origin", origin);
      headers.set("access-control-allow-credentials", "true");
      headers.set("access-control-allow-methods", ALLOW_METHODS);
      headers.set("access-control-allow-headers", ALLOW_HEADERS);
      headers.set("access-control-max-age", "600");
    }
    return new Response(null, { status: allowed ? 204 : 403, headers });
  }
  await next();
  const h = c.res.headers;
  h.delete("access-control-allow-origin");
  h.delete("access-control-allow-credentials");
  if (allowed && origin) {
    h.set("access-control-allow-origin", origin);
    h.set("access-control-allow-credentials", "true");
    h.set("access-control-expose-headers", "mcp-session-id, retry-after");
  }
  h.append("vary", "Origin");
};
