import { env } from "cloudflare:workers";
import { type ApiClient, createApiClient } from "@fataplus/api-client";
import { forwardToApi } from "./proxy";

/**
 * The site's one server-side way to the API: the typed client, taking the same path as the browser's calls
 * (the /api proxy's logic: tenant header from the Host or the page's project, allow-listed headers) but
 * straight over the service binding instead of looping through the public URL. The visitor's address
 * (`cf-connecting-ip`) goes along for the API's per-client throttles, their browser's `user-agent` (a new
 * session shows it in "where you are signed in"), and their session cookie unless the call is made as an
 * anonymous visitor (`{ anonymous: true }`: the public bootcamp pages, for instance).
 */
export function serverApiClient(
  request: Request,
  tenant: string | null,
  opts: { anonymous?: boolean } = {},
): ApiClient {
  const headers: Record<string, string> = {};
  const cookie = request.headers.get("cookie");
  const ip = request.headers.get("cf-connecting-ip");
  if (cookie && !opts.anonymous) headers.cookie = cookie;
  const agent = request.headers.get("user-agent");
  if (ip) headers["cf-connecting-ip"] = ip;
  if (agent) headers["user-agent"] = agent;
  return createApiClient({
    baseUrl: new URL(request.url).origin,
    headers,
    fetch: (input, init) => forwardToApi(env.API, new Request(input, init), tenant),
  });
}
