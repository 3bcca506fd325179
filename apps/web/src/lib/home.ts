import { type ApiClient, isApiError, portalApi, type Tenant } from "@fataplus/api-client";
import type { PortalHome } from "@fataplus/domain";
import { marketingOrigin } from "./tenant-host";
import { zoneOf } from "./time";

export type ApiStatus = { state: "connected"; service: string } | { state: "unavailable"; reason: string };

export type HomeView =
  | { kind: "marketing"; api: ApiStatus }
  | {
      kind: "portal";
      tenant: Tenant;
      home: PortalHome;
      user: { name: string; email: string; timeZone: string };
    }
  | { kind: "portal-forbidden"; tenant: Tenant; email: string }
  | { kind: "unknown-tenant"; subdomain: string; marketingUrl: string }
  | { kind: "portal-unavailable"; subdomain: string };

export type HomeResult = { status: number; view: HomeView } | { status: 303; redirect: string };

function reasonOf(error: unknown): string {
  if (isApiError(error)) return `${error.code} (${error.status})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * What `/` shows: the agency home on the root domain; on a project's subdomain, the client portal for its
 * members, a 403 page for other signed-in people, and the sign-in page (then back here) for visitors.
 */
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

  let project: Tenant;
  try {
    project = await api.currentTenant();
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

  try {
    const me = await api.me();
    if (!me) {
      const url = new URL(requestUrl);
      return { status: 303, redirect: `/login?next=${encodeURIComponent(url.pathname + url.search)}` };
    }
    try {
      const home = await portalApi(api).home();
      return {
        status: 200,
        view: {
          kind: "portal",
          tenant: project,
          home,
          user: { name: me.user.name ?? me.user.email, email: me.user.email, timeZone: zoneOf(me) },
        },
      };
    } catch (error) {
      if (isApiError(error) && (error.status === 403 || error.status === 404)) {
        return { status: 403, view: { kind: "portal-forbidden", tenant: project, email: me.user.email } };
      }
      throw error;
    }
  } catch (error) {
    console.error("Portal load failed", reasonOf(error));
    return { status: 503, view: { kind: "portal-unavailable", subdomain: tenant } };
  }
}
