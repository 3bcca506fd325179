import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { crossOriginRefusal, isCrossOriginWrite, withSecurityHeaders } from "./lib/security";
import { rootDomainsFrom, tenantFromHost } from "./lib/tenant-host";

/**
 * Every request the Worker answers:
 *  - portal or marketing site? Decided from the Host header (never from X-Forwarded-Host, which the client
 *    controls); pages and the /api proxy read `locals.tenant`, and the API checks it again;
 *  - cross-origin writes are refused (Origin / Sec-Fetch-Site), JSON requests included;
 *  - security headers on the way out (static files get them from public/_headers).
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.tenant = context.isPrerendered
    ? null
    : tenantFromHost(context.request.headers.get("host"), rootDomainsFrom(env.PUBLIC_ROOT_DOMAIN));
  const url = new URL(context.request.url);
  if (!context.isPrerendered && isCrossOriginWrite(context.request)) {
    return withSecurityHeaders(crossOriginRefusal(), url, context.locals.tenant);
  }
  return withSecurityHeaders(await next(), url, context.locals.tenant);
});
