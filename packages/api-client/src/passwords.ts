/**
 * The password calls the site makes on the server (docs/decisions/023-password-reset-and-strength.md): asking
 * for a reset link, checking and using it, and changing the signed-in person's password (whose answer carries
 * this device's fresh session cookie).
 */
import { z } from "zod";
import type { ApiClient } from "./client";

export const PASSWORD_ROUTES = {
  requestReset: "/api/auth/reset/request",
  checkReset: "/api/auth/reset/check",
  confirmReset: "/api/auth/reset/confirm",
  change: "/api/app/account/password",
} as const;

type Lang = "fr" | "en";
const ok = z.looseObject({ ok: z.literal(true) });

export function passwordsApi(api: ApiClient) {
  return {
    /** The same answer whether or not the address has an account. */
    requestReset: (body: { email: string; locale: Lang }) =>
      api.request({ method: "POST", path: PASSWORD_ROUTES.requestReset, body, schema: ok }),
    /** Whether a link still works (404 when it is unknown, used or expired). */
    checkReset: (token: string) =>
      api.request({
        method: "POST",
        path: PASSWORD_ROUTES.checkReset,
        body: { token },
        schema: z.looseObject({ ok: z.literal(true), locale: z.enum(["fr", "en"]) }),
      }),
    /** Sets the new password (a weak one is a 400 whose message says why, in `locale`). */
    confirmReset: (body: { token: string; password: string; locale: Lang }) =>
      api.request({
        method: "POST",
        path: PASSWORD_ROUTES.confirmReset,
        body,
        schema: z.looseObject({ ok: z.literal(true), email: z.string() }),
      }),
    /** Changes the signed-in person's password; returns the Set-Cookie of this device's new session. */
    async change(body: { current_password: string; new_password: string; locale: Lang }) {
      const { headers } = await api.send({ method: "POST", path: PASSWORD_ROUTES.change, body, schema: ok });
      return { cookies: headers.getSetCookie() };
    },
  };
}
