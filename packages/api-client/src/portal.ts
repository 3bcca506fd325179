/** The client portal's API (`/api/app/portal/*`), on a project's subdomain or with a `forTenant` client. */
import type { PortalHome } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";

const homeSchema = z.looseObject({
  tenant: z.looseObject({ id: z.string(), name: z.string(), subdomain: z.string() }),
  role: z.string(),
  projects: z.array(
    z.looseObject({ id: z.string(), name: z.string(), status: z.string(), phase: z.string() }),
  ),
});

export function portalApi(api: ApiClient) {
  return {
    async home(): Promise<PortalHome> {
      const body = await api.request({ method: "GET", path: "/api/app/portal/home", schema: homeSchema });
      return body as unknown as PortalHome;
    },
  };
}
