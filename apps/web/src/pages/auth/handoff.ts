import { authApi } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { serverApiClient } from "../../lib/api.server";
import { safeNext } from "../../lib/landing";

export const prerender = false;

/**
 * The end of a sign-in hand-off (the domain's auth/handoff.ts): on a project's subdomain, a one-time code
 * becomes this host's session cookie. A used, expired or foreign code sends the user to sign in here.
 */
export const GET: APIRoute = async ({ locals, request, url }) => {
  const code = url.searchParams.get("code") ?? "";
  const next = safeNext(url.searchParams.get("next")) ?? "/";
  if (!locals.tenant || !code) return Response.redirect(new URL("/login?expired=1", url), 303);
  const headers = new Headers({ "cache-control": "no-store", "referrer-policy": "no-referrer" });
  const api = authApi(serverApiClient(request, locals.tenant, { anonymous: true }));
  const redeemed = await api.redeemHandoff(code.slice(0, 200), locals.tenant).catch(() => null);
  if (!redeemed) {
    headers.set("location", `/login?expired=1&next=${encodeURIComponent(next)}`);
    return new Response(null, { status: 303, headers });
  }
  for (const c of redeemed.cookies) headers.append("set-cookie", c);
  headers.set("location", next);
  return new Response(null, { status: 303, headers });
};
