/** Single sign-on (the API's src/routes/sso.ts): which providers the sign-in pages offer. */
import { z } from "zod";
import type { ApiClient } from "./client";

export type SsoProviderButton = { id: "google" | "microsoft"; label: string };

const providersSchema = z.object({
  providers: z.array(z.object({ id: z.enum(["google", "microsoft"]), label: z.string().max(40) })).max(5),
});

export function ssoApi(api: ApiClient) {
  return {
    /** `GET /api/auth/sso/providers`: the configured providers (none when single sign-on is off). */
    providers: async (): Promise<SsoProviderButton[]> =>
      (await api.request({ method: "GET", path: "/api/auth/sso/providers", schema: providersSchema }))
        .providers,
  };
}
