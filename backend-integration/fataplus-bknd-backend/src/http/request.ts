/**
 * What a request says about where and from whom it comes, read the same way by the gate, the routes, MCP and
 * the WebSocket entry. None of it is a permission: the gate and the domain verbs decide from the database.
 */
import type { AppContext } from "./context.ts";

/** The header the site sets from the subdomain a page is served on (apps/web/src/lib/proxy.ts). */
export const TENANT_HEADER = "x-fataplus-tenant";

/** The tenant a request names (the header, or ?tenant=), trimmed; null when it names none. */
export function tenantRefOfRequest(request: Request): string | null {
  const fromHeader = request.headers.get(TENANT_HEADER);
  const fromQuery = new URL(request.url).searchParams.get("tenant");
  const ref = (fromHeader ?? fromQuery ?? "").trim();
  return ref || null;
}

export const tenantRefOf = (c: AppContext): string | null => tenantRefOfRequest(c.req.raw);

/** The caller's address as Cloudflare's edge sets it (not spoofable there); "local" in development. */
export const clientIp = (c: AppContext): string => c.req.header("cf-connecting-ip") ?? "local";
