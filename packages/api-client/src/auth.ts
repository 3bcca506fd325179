/**
 * The sign-in steps the site runs on the server besides login/me/logout (client.ts): redeeming a hand-off
 * code on a project's subdomain, and accepting an invitation. Each passes the API's Set-Cookie on.
 */
import type { Identity } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import { shaped } from "./schemas";

export function authApi(api: ApiClient) {
  return {
    /** `POST /api/auth/handoff/redeem`: a one-time code becomes this host's session. */
    async redeemHandoff(code: string, tenant: string): Promise<{ user: Identity; cookies: string[] }> {
      const { data, headers } = await api.send({
        method: "POST",
        path: "/api/auth/handoff/redeem",
        body: { code, tenant },
        schema: shaped<{ user: Identity }>(z.looseObject({ user: z.looseObject({ id: z.number() }) })),
      });
      return { user: data.user, cookies: headers.getSetCookie() };
    },
    /** `POST /api/auth/invitations/accept`: with a password (a new account) or as the signed-in account. */
    acceptInvitation: (body: { token: string; password?: string; locale?: "fr" | "en" }) =>
      api.request({
        method: "POST",
        path: "/api/auth/invitations/accept",
        body,
        schema: z.looseObject({ ok: z.literal(true), email: z.string() }),
      }),
  };
}
