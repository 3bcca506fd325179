import { type ApiClient, isApiError, type Tenant } from "@fataplus/api-client";
import { marketingOrigin } from "./tenant-host";

export type ApiStatus = { state: "connected"; service: string } | { state: "unavailable"; reason: string };

export type HomeView =
  | { kind: "marketing"; api: ApiStatus }
  | { kind: "portal"; tenant: Tenant }
  | { kind: "unknown-tenant"; subdomain: string; marketingUrl: string }
  | { kind: "portal-unavailable"; subdomain: string };

export interface HomeResult {
  status: number;
  view: HomeView;
}

function reasonOf(error: unknown): string {
  if (isApiError(error)) return `${error.code} (${error.status})`;
  return error instanceof Error ? error.message : String(error);
}

/** What `/` shows: the agency home on the root domain, the client portal on a tenant subdomain. */
export async function loadHome(
  api: ApiClient,
  tenant: string | null,
  requestUrl: string,
): Promise<HomeResult> {
  if (tenant === null) {
    try {
      const health = await api.health();
      const apiStatus: ApiStatus = health.ok
        ? { state: "connected", service: health.service }
        : { state: "unavailable", reason: "health check not ok" };
      return { status: 200, view: { kind: "marketing", api: apiStatus } };
    } catch (error) {
      // The marketing page still renders; only the status badge says the API is down.
      return {
        status: 200,
        view: { kind: "marketing", api: { state: "unavailable", reason: reasonOf(error) } },
      };
    }
  }

  try {
    return { status: 200, view: { kind: "portal", tenant: await api.currentTenant() } };
  } catch (error) {
    if (isApiError(error) && error.status === 404) {
      return {
        status: 404,
        view: {
          kind: "unknown-tenant",
          subdomain: tenant,
          marketingUrl: marketingOrigin(requestUrl, tenant),
        },
      };
    }
    console.error("Tenant lookup failed", reasonOf(error));
    return { status: 503, view: { kind: "portal-unavailable", subdomain: tenant } };
  }
}
