import { env } from "cloudflare:workers";
import { type ApiClient, createApiClient } from "@fataplus/api-client";
import { forwardToApi } from "./proxy";

/**
 * The typed API client for server-side rendering. Requests take the same path as the browser's
 * (/api proxy logic: tenant header from the Host, client cookies forwarded) but go straight to
 * the service binding instead of looping through the public URL.
 */
export function serverApiClient(request: Request, tenant: string | null): ApiClient {
  const cookie = request.headers.get("cookie");
  return createApiClient({
    baseUrl: new URL(request.url).origin,
    headers: cookie ? { cookie } : undefined,
    fetch: (input, init) => forwardToApi(env.API, new Request(input, init), tenant),
  });
}
