/**
 * The consent step of MCP by URL (decision 031), for the site's consent page (/connecter, /en/connect): what an
 * assistant asks, and the person's answer. The API keeps the request; the page shows it and relays the answer.
 */
import { z } from "zod";
import type { ApiClient } from "./client";

export const OAUTH_ROUTES = {
  request: (handle: string) => `/api/app/oauth/requests/${encodeURIComponent(handle)}`,
  approve: (handle: string) => `/api/app/oauth/requests/${encodeURIComponent(handle)}/approve`,
  deny: (handle: string) => `/api/app/oauth/requests/${encodeURIComponent(handle)}/deny`,
} as const;

export const ConsentRequestSchema = z.object({
  /** The assistant's registered name: it comes from the assistant itself (shown as such). */
  client_name: z.string(),
  redirect_host: z.string(),
  local_app: z.boolean(),
  expires_at: z.string(),
  projects: z.array(z.object({ id: z.string(), subdomain: z.string(), name: z.string() })),
});
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>;

export type ConsentAnswer = {
  tenants: "all" | string[];
  scope: "read" | "write";
  expires_in_days: number;
};

const redirect = z.object({ data: z.object({ redirect_to: z.url() }) });

export function oauthApi(api: ApiClient) {
  const r = api.request;
  return {
    /** `GET …/requests/:handle`: the waiting request (404 once answered or expired). */
    async request(handle: string): Promise<ConsentRequest> {
      const body = await r({
        method: "GET",
        path: OAUTH_ROUTES.request(handle),
        schema: z.object({ data: ConsentRequestSchema }),
      });
      return body.data;
    },
    /** `POST …/approve`: the assistant is connected; send the browser to `redirect_to`. */
    async approve(handle: string, answer: ConsentAnswer): Promise<string> {
      return (await r({ method: "POST", path: OAUTH_ROUTES.approve(handle), body: answer, schema: redirect }))
        .data.redirect_to;
    },
    /** `POST …/deny`: back to the assistant with `access_denied`. */
    async deny(handle: string): Promise<string> {
      return (await r({ method: "POST", path: OAUTH_ROUTES.deny(handle), schema: redirect })).data
        .redirect_to;
    },
  };
}
