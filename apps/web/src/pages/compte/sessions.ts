import { accountApi, isApiError } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { accountPath } from "../../i18n/account";
import { serverApiClient } from "../../lib/api.server";

export const prerender = false;

/**
 * The sessions section's forms (components/account/SessionsSection.astro): end another device's session, or
 * every session ("se déconnecter partout", then to the sign-in page). The API decides; this only relays.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  const form = await request.formData();
  const lang = form.get("lang") === "en" ? "en" : "fr";
  const api = serverApiClient(request, locals.tenant);
  const back = (outcome: string) =>
    new Response(null, {
      status: 303,
      headers: { location: `${accountPath(lang)}?sessions=${outcome}`, "cache-control": "no-store" },
    });
  try {
    if (form.get("action") === "all") {
      const { cookies } = await accountApi(api).endAll();
      const headers = new Headers({
        location: `${lang === "en" ? "/en/login" : "/login"}?signedout=1`,
        "cache-control": "no-store",
      });
      for (const c of cookies) headers.append("set-cookie", c);
      return new Response(null, { status: 303, headers });
    }
    await accountApi(api).endSession(String(form.get("id") ?? ""));
    return back("ended");
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 401) return new Response(null, { status: 303, headers: { location: "/login" } });
    return back(error.status === 404 ? "gone" : "failed");
  }
};
