import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { safeNext } from "../../lib/landing";
import { forwardToApi } from "../../lib/proxy";

export const prerender = false;

/**
 * The end of a sign-in hand-off (packages/domain/src/auth/handoff.ts): on a project's subdomain, a one-time
 * code becomes this host's session cookie. A used, expired or foreign code sends the user to sign in here.
 */
export const GET: APIRoute = async ({ locals, url }) => {
  const code = url.searchParams.get("code") ?? "";
  const next = safeNext(url.searchParams.get("next")) ?? "/";
  if (!locals.tenant || !code) return Response.redirect(new URL("/login?expired=1", url), 303);
  const res = await forwardToApi(
    env.API,
    new Request(`${url.origin}/api/auth/handoff/redeem`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: code.slice(0, 200), tenant: locals.tenant }),
    }),
    locals.tenant,
  );
  const headers = new Headers({ "cache-control": "no-store", "referrer-policy": "no-referrer" });
  if (!res.ok) {
    headers.set("location", `/login?expired=1&next=${encodeURIComponent(next)}`);
    return new Response(null, { status: 303, headers });
  }
  for (const c of res.headers.getSetCookie()) headers.append("set-cookie", c);
  headers.set("location", next);
  return new Response(null, { status: 303, headers });
};
