/**
 * Personal access tokens for AI agents (`/api/app/tokens`), for the CRM and portal settings screens.
 * The secret is in the answer to `create` only: show it once, never store it.
 */
import type { CreateTokenInput, TokenView } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";

export const TOKEN_ROUTES = {
  tokens: "/api/app/tokens",
  token: (id: string) => `/api/app/tokens/${encodeURIComponent(id)}`,
} as const;

const tenantSchema = z.object({ id: z.string(), subdomain: z.string(), name: z.string() });

export const AccessTokenSchema = z.object({
  id: z.string(),
  kind: z.enum(["personal", "assistant"]),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(["read", "write"]),
  tenants: z.union([z.literal("all"), z.array(tenantSchema)]),
  status: z.enum(["active", "expired", "revoked"]),
  expires_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  created_at: z.string(),
}) satisfies z.ZodType<TokenView>;

export const CreatedAccessTokenSchema = AccessTokenSchema.extend({ token: z.string().startsWith("fpat_") });

export type AccessToken = TokenView;
export type CreatedAccessToken = TokenView & { token: string };
/** `{ name, expires_in_days (1–365), scope?: "read" | "write" (default read), tenants: "all" | [subdomain…] }` */
export type CreateAccessTokenInput = CreateTokenInput;

export function tokensApi(api: ApiClient) {
  const r = api.request;
  return {
    /** `GET /api/app/tokens`: the signed-in user's tokens, newest first, with status and last use. */
    async list(): Promise<AccessToken[]> {
      const body = await r({
        method: "GET",
        path: TOKEN_ROUTES.tokens,
        schema: z.object({ data: z.array(AccessTokenSchema) }),
      });
      return body.data;
    },
    /** `POST /api/app/tokens`: the answer carries `token`, shown this once. */
    async create(input: CreateAccessTokenInput): Promise<CreatedAccessToken> {
      const body = await r({
        method: "POST",
        path: TOKEN_ROUTES.tokens,
        body: input,
        schema: z.object({ data: CreatedAccessTokenSchema }),
      });
      return body.data;
    },
    /** `DELETE /api/app/tokens/:id`: revokes one of the user's tokens (404 for anyone else's). */
    async revoke(id: string): Promise<{ id: string; revoked_at: string }> {
      const body = await r({
        method: "DELETE",
        path: TOKEN_ROUTES.token(id),
        schema: z.object({ data: z.object({ id: z.string(), revoked_at: z.string() }) }),
      });
      return body.data;
    },
  };
}
