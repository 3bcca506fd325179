import type { AstroGlobal } from "astro";
import { serverApiClient } from "./api.server";
import { loadHome } from "./home";

/**
 * What `/` and `/en/` render for this request (agency home or client portal), with the response status and
 * caching set on the page, or the redirect to send instead (a visitor on a portal signs in first).
 */
export async function homeViewFor(astro: AstroGlobal) {
  const { tenant } = astro.locals;
  const result = await loadHome(serverApiClient(astro.request, tenant), tenant, astro.request.url);
  astro.response.headers.set("cache-control", "no-store");
  if ("redirect" in result) return astro.redirect(result.redirect, 303);
  astro.response.status = result.status;
  return result.view;
}
