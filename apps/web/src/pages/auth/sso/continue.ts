import { crmApi } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { serverApiClient } from "../../../lib/api.server";
import { landingFor, safeNext } from "../../../lib/landing";
import { tenantOrigin } from "../../../lib/tenant-host";

export const prerender = false;

/**
 * The end of a sign-in through a provider on the main site (the API's src/routes/sso.ts): the session cookie
 * is set; the person goes where a password sign-in would take them (landing.ts), a client to their project's
 * subdomain with a hand-off code.
 */
export const GET: APIRoute = async ({ locals, request, url }) => {
  const headers = new Headers({ "cache-control": "no-store", "referrer-policy": "no-referrer" });
  const go = (location: string) => {
    headers.set("location", location);
    return new Response(null, { status: 303, headers });
  };
  const next = safeNext(url.searchParams.get("next"));
  const api = serverApiClient(request, locals.tenant);
  const me = await api.me().catch(() => null);
  if (!me) return go(`/login?sso=state${next ? `&next=${encodeURIComponent(next)}` : ""}`);
  const landing = landingFor(me, locals.tenant, next);
  if (landing.kind === "path") return go(landing.path);
  if (landing.kind === "nothing") return go(`${me.user.locale === "en" ? "/en" : ""}/login?sso=no_project`);
  const handoff = await crmApi(api)
    .handoff(landing.subdomain)
    .catch(() => null);
  if (!handoff) return go("/login?sso=no_access");
  const target = tenantOrigin(request.url, locals.tenant, handoff.subdomain);
  return go(`${target}/auth/handoff?code=${encodeURIComponent(handoff.code)}`);
};
