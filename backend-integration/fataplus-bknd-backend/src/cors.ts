/**
 * CORS restricted to the site's origins (exact, or one subdomain level for tenant portals). It wraps the gate,
 * so refusals carry the same headers. bknd's own CORS header is overwritten on the way out.
 */
import type { MiddlewareHandler } from "hono";
import { isAllowedOrigin, parseConfig } from "./config.ts";
import { runtimeEnv } from "./runtime.ts";

const ALLOW_HEADERS =
  "content-type, authorization, accept, x-fataplus-tenant, mcp-session-id, mcp-protocol-version";
const ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

export const cors: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header("origin");
  const allowed = origin ? isAllowedOrigin(origin, parseConfig(runtimeEnv()).origins) : false;
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
