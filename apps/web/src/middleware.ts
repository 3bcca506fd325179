import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { refusalFor, refusalResponse, unreadableForm } from "./lib/malformed";
import { crossOriginRefusal, isCrossOriginWrite, withSecurityHeaders } from "./lib/security";
import { rootDomainsFrom, tenantFromHost } from "./lib/tenant-host";

/**
 * Every request the Worker answers:
 *  - portal or marketing site? Decided from the Host header (never from X-Forwarded-Host, which the client
 *    controls); pages and the /api proxy read `locals.tenant`, and the API checks it again;
 *  - malformed requests (an unknown method, a Host that is not a host, a page write that is not a readable
 *    form) get a 4xx without internals (src/lib/malformed.ts);
 *  - cross-origin writes are refused (Origin / Sec-Fetch-Site), JSON requests included;
 *  - security headers on the way out (static files get them from public/_headers).
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.tenant = context.isPrerendered
    ? null
    : tenantFromHost(context.request.headers.get("host"), rootDomainsFrom(env.PUBLIC_ROOT_DOMAIN));
  const url = new URL(context.request.url);
  const { request } = context;
  const malformed = refusalFor({
    method: request.method,
    host: request.headers.get("host"),
    path: url.pathname,
    contentType: request.headers.get("content-type"),
    hasBody: request.body !== null && request.headers.get("content-length") !== "0",
    credentials: url.username !== "" || url.password !== "",
  });
  if (malformed) return withSecurityHeaders(refusalResponse(malformed), url, context.locals.tenant);
  if (!context.isPrerendered && isCrossOriginWrite(request)) {
    return withSecurityHeaders(crossOriginRefusal(), url, context.locals.tenant);
  }
  const unreadable = context.isPrerendered ? null : await unreadableForm(request, url.pathname);
  if (unreadable) return withSecurityHeaders(refusalResponse(unreadable), url, context.locals.tenant);
  return withSecurityHeaders(await next(), url, context.locals.tenant);
});
