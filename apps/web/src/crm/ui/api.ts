/**
 * The API from the browser: same-origin `/api/*` through the site's proxy, which adds the project from the
 * subdomain (on the main site, CRM calls name it with `?tenant=`). Errors become one readable line.
 */
import { type ApiClient, createApiClient, crmApi, isApiError } from "@fataplus/api-client";

export const browserApi: ApiClient = createApiClient({ baseUrl: "" });
export const browserCrm = crmApi(browserApi);

/** A client for one project (tenant subdomain or FP-… id). */
export const projectApi = (tenant: string): ApiClient => browserApi.forTenant(tenant);

export type FieldErrors = Record<string, string>;

/** The API's message, and its per-field details (`details[].path`) keyed by field. */
export function describeError(error: unknown, fallback: string): { message: string; fields: FieldErrors } {
  if (isApiError(error)) {
    const fields: FieldErrors = {};
    for (const d of Array.isArray(error.details) ? (error.details as unknown[]) : []) {
      const path = typeof d === "object" && d && "path" in d ? String((d as { path: unknown }).path) : "";
      const msg =
        typeof d === "object" && d && "message" in d ? String((d as { message: unknown }).message) : "";
      if (path && msg && !(path in fields)) fields[path] = msg;
    }
    return { message: error.message || fallback, fields };
  }
  return { message: fallback, fields: {} };
}
