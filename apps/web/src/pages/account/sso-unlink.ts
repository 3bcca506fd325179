import { ssoApi } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { accountPath } from "../../i18n/account";
import { serverApiClient } from "../../lib/api.server";

export const prerender = false;

/** The account page's "Délier" (SsoSection.astro): the API removes the caller's own link, then back to the page. */
export const POST: APIRoute = async ({ locals, request }) => {
  const data = await request.formData().catch(() => null);
  const lang = data?.get("lang") === "en" ? "en" : "fr";
  const provider = String(data?.get("provider") ?? "").slice(0, 20);
  const done = await ssoApi(serverApiClient(request, locals.tenant))
    .unlink(provider)
    .then(() => "done")
    .catch(() => "failed");
  return new Response(null, {
    status: 303,
    headers: { location: `${accountPath(lang)}?sso_unlink=${done}`, "cache-control": "no-store" },
  });
};
