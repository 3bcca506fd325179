import { isApiError, timeZonesApi } from "@fataplus/api-client";
import type { APIRoute } from "astro";
import { accountPath } from "../../i18n/account";
import { serverApiClient } from "../../lib/api.server";

export const prerender = false;

/** The account page's time zone form (TimeZoneSection.astro): the API decides, then back to the page. */
export const POST: APIRoute = async ({ locals, request }) => {
  const data = await request.formData().catch(() => null);
  const lang = data?.get("lang") === "en" ? "en" : "fr";
  const picked = String(data?.get("time_zone") ?? "").slice(0, 64);
  const status = await timeZonesApi(serverApiClient(request, locals.tenant))
    .setMine(picked === "" ? null : picked)
    .then(() => "saved")
    .catch((e: unknown) => {
      if (!isApiError(e)) throw e;
      return e.status === 400 ? "invalid" : "failed";
    });
  return new Response(null, {
    status: 303,
    headers: {
      location: `${accountPath(lang)}?time_zone=${status}#time-zone-title`,
      "cache-control": "no-store",
    },
  });
};
