import type { APIRoute } from "astro";
import { serverApiClient } from "../lib/api.server";

export const prerender = false;

/** Sign out: the API clears its session cookie (Set-Cookie passed through), then back to the sign-in page. */
export const POST: APIRoute = async ({ request, locals }) => {
  const headers = new Headers({ location: "/login?signedout=1", "cache-control": "no-store" });
  // To the sign-in page either way; the API's answer carries the Set-Cookie that clears the session cookie.
  const out = await serverApiClient(request, locals.tenant)
    .logout()
    .catch(() => ({ cookies: [] }));
  for (const c of out.cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
};
