import { isApiError, ssoApi } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { accountPath } from "../../i18n/account";
import { serverApiClient } from "../../lib/api.server";

export const prerender = false;

/** The account page's "Exiger" for agency admins (SsoSection.astro): the API decides, then back to the page. */
export const POST: APIRoute = async ({ locals, request }) => {
  const data = await request.formData().catch(() => null);
  const lang = data?.get("lang") === "en" ? "en" : "fr";
  const required = data?.get("required") === "1";
  const status = await ssoApi(serverApiClient(request, locals.tenant))
    .setPolicy(required)
    .then(() => "done")
    .catch((e: unknown) => (isApiError(e) && e.status === 409 ? "link_first" : "failed"));
  return new Response(null, {
    status: 303,
    headers: { location: `${accountPath(lang)}?sso_policy=${status}`, "cache-control": "no-store" },
  });
};
