/** The platform's usage (agency admins only; decision 029): figures per tenant and for the platform. */
import type { JobRun, UsageSummary } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { anyArray, shaped } from "./schemas";

export type { JobRun, UsageSummary };

/** Where the CSV of the same figures is downloaded (through the site's /api proxy, with the session cookie). */
export const usageCsvPath = (days: number) =>
  `/api/app/crm/usage.csv?days=${encodeURIComponent(String(days))}`;

export function usageApi(api: ApiClient) {
  return {
    summary: (days: number) =>
      api.request({
        method: "GET",
        path: "/api/app/crm/usage",
        query: { days: String(days) },
        schema: shaped<UsageSummary>(
          z.looseObject({
            tenants: anyArray,
            slowest_routes: anyArray,
            platform: z.looseObject({ calls: z.number() }),
          }),
        ),
      }),
    /** The nightly backups' last runs, newest first. */
    backups: () =>
      api.request({
        method: "GET",
        path: "/api/app/crm/jobs",
        query: { job: "backup" },
        schema: shaped<{ items: JobRun[] }>(z.looseObject({ items: anyArray })),
      }),
  };
}
