/** Time zone settings (decision 030): the signed-in person's own zone, and the agency's (agency admins). */
import type { TimeZoneView } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { shaped } from "./schemas";

export const TIME_ZONE_ROUTES = {
  mine: "/api/app/account/time-zone",
  agency: "/api/app/agency/time-zone",
} as const;

const ViewSchema = shaped<TimeZoneView>(z.looseObject({ effective: z.string(), agency: z.string() }));

export function timeZonesApi(api: ApiClient) {
  return {
    /** `GET`: my zone (null: I follow the agency), the agency's, and the one my times are shown in. */
    mine: () => api.request({ method: "GET", path: TIME_ZONE_ROUTES.mine, schema: ViewSchema }),
    /** `PUT`: my zone, or null to follow the agency's (400 for a name the runtime doesn't know). */
    setMine: (timeZone: string | null) =>
      api.request({ method: "PUT", path: TIME_ZONE_ROUTES.mine, body: { timeZone }, schema: ViewSchema }),
    /** `PUT` (agency admins, else 403): the agency's zone. */
    setAgency: (timeZone: string) =>
      api.request({
        method: "PUT",
        path: TIME_ZONE_ROUTES.agency,
        body: { timeZone },
        schema: z.object({ timeZone: z.string() }),
      }),
  };
}
