import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { rootDomainsFrom, tenantFromHost } from "./lib/tenant-host";

/**
 * Portal or marketing site? Decided once per request from the Host header (never from
 * X-Forwarded-Host, which the client controls). Pages and the /api proxy read `locals.tenant`.
 */
export const onRequest = defineMiddleware((context, next) => {
  context.locals.tenant = context.isPrerendered
    ? null
    : tenantFromHost(context.request.headers.get("host"), rootDomainsFrom(env.PUBLIC_ROOT_DOMAIN));
  return next();
});
