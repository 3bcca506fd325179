import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { forwardToApi } from "../lib/proxy";

export const prerender = false;

/** Sign out: the API clears its session cookie (Set-Cookie passed through), then back to the sign-in page. */
export const POST: APIRoute = async ({ request, locals }) => {
  const origin = new URL(request.url).origin;
  const res = await forwardToApi(
    env.API,
    new Request(`${origin}/api/auth/logout`, {
      method: "POST",
      headers: { cookie: request.headers.get("cookie") ?? "" },
    }),
    locals.tenant,
  );
  const headers = new Headers({ location: "/login?signedout=1", "cache-control": "no-store" });
  for (const c of res.headers.getSetCookie()) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
};
