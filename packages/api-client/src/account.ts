/**
 * The signed-in person's own account (`/api/app/account/*`): where they are signed in (decision 022). Ending
 * every session passes the API's Set-Cookie on (it clears this device's cookie too).
 */
import type { SessionView } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";

export const ACCOUNT_ROUTES = {
  sessions: "/api/app/account/sessions",
  endSession: "/api/app/account/sessions/end",
  endAll: "/api/app/account/sessions/end-all",
} as const;

export const SessionSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  method: z.enum(["password", "handoff", "sso", "reset", "invitation"]),
  mfa: z.boolean(),
  host: z.string().nullable(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
}) satisfies z.ZodType<SessionView>;

export function accountApi(api: ApiClient) {
  return {
    /** `GET /api/app/account/sessions`: the open sessions, newest first, this one marked `current`. */
    async sessions(): Promise<SessionView[]> {
      const body = await api.request({
        method: "GET",
        path: ACCOUNT_ROUTES.sessions,
        schema: z.object({ sessions: z.array(SessionSchema) }),
      });
      return body.sessions;
    },
    /** `POST /api/app/account/sessions/end`: ends another of the user's sessions (404 if not open). */
    endSession: (id: string) =>
      api.request({
        method: "POST",
        path: ACCOUNT_ROUTES.endSession,
        body: { id },
        schema: z.object({ ok: z.literal(true) }),
      }),
    /** `POST /api/app/account/sessions/end-all`: every session ends, this one included. */
    async endAll(): Promise<{ cookies: string[] }> {
      const { headers } = await api.send({
        method: "POST",
        path: ACCOUNT_ROUTES.endAll,
        schema: z.object({ ok: z.literal(true) }),
      });
      return { cookies: headers.getSetCookie() };
    },
  };
}
