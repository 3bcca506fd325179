import type { AstroGlobal } from "astro";
import { serverApiClient } from "./api.server";
import { loadHome } from "./home";

/**
 * What `/` and `/en/` render for this request (agency home or client portal), with the response status and
 * caching set on the page. Both pages call this, so they differ only in their language.
 */
export async function homeViewFor(astro: AstroGlobal) {
  const { tenant } = astro.locals;
  const { status, view } = await loadHome(serverApiClient(astro.request, tenant), tenant, astro.request.url);
  astro.response.status = status;
  astro.response.headers.set("cache-control", "no-store");
  return view;
}
