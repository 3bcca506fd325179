/** Single sign-on (the API's src/routes/sso.ts): which providers the sign-in pages offer. */
import { z } from "zod";
import type { ApiClient } from "./client";

export type SsoProviderButton = { id: "google" | "microsoft"; label: string };

const providersSchema = z.object({
  providers: z.array(z.object({ id: z.enum(["google", "microsoft"]), label: z.string().max(40) })).max(5),
});

const linksSchema = z.object({
  links: z.array(
    z.object({ provider: z.string(), email: z.string(), created_at: z.string(), last_used_at: z.string() }),
  ),
  providers: providersSchema.shape.providers,
  policy: z.object({ staffSsoRequired: z.boolean() }),
});

export type SsoLinks = z.infer<typeof linksSchema>;

export function ssoApi(api: ApiClient) {
  return {
    /** `GET /api/app/account/sso`: the signed-in person's provider links, and the configured providers. */
    links: (): Promise<SsoLinks> =>
      api.request({ method: "GET", path: "/api/app/account/sso", schema: linksSchema }),
    /** `POST /api/app/account/sso/unlink`: that provider no longer signs this account in by its subject. */
    unlink: (provider: string) =>
      api.request({
        method: "POST",
        path: "/api/app/account/sso/unlink",
        body: { provider },
        schema: z.object({ removed: z.number() }),
      }),
    /** `POST /api/app/agency/sso-policy` (agency admins): require single sign-on for admins and staff. */
    setPolicy: (staffSsoRequired: boolean) =>
      api.request({
        method: "POST",
        path: "/api/app/agency/sso-policy",
        body: { staffSsoRequired },
        schema: z.object({ staffSsoRequired: z.boolean() }),
      }),
    /** `GET /api/auth/sso/providers`: the configured providers (none when single sign-on is off). */
    providers: async (): Promise<SsoProviderButton[]> =>
      (await api.request({ method: "GET", path: "/api/auth/sso/providers", schema: providersSchema }))
        .providers,
  };
}
