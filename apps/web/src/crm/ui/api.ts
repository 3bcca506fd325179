/**
 * The API from the browser: same-origin `/api/*` through the site's proxy, which adds the project from the
 * subdomain (on the main site, CRM calls name it with `?tenant=`). Errors become one readable line.
 */
import { type ApiClient, createApiClient, crmApi, isApiError } from "@fataplus/api-client";
import { type FieldErrors, fieldsOfDetails } from "./errors";

export const browserApi: ApiClient = createApiClient({ baseUrl: "" });
export const browserCrm = crmApi(browserApi);

/** A client for one project (tenant subdomain or FP-… id). */
export const projectApi = (tenant: string): ApiClient => browserApi.forTenant(tenant);

export type { FieldErrors };

/** The API's message, and its per-field details (`details[].path`) keyed by field. */
export function describeError(error: unknown, fallback: string): { message: string; fields: FieldErrors } {
  if (isApiError(error))
    return { message: error.message || fallback, fields: fieldsOfDetails(error.details) };
  return { message: fallback, fields: {} };
}
