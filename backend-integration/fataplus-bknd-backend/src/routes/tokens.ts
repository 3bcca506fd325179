/**
 * Personal access tokens for AI agents (MCP), managed by their owner from the CRM or portal settings:
 *   GET    /api/app/tokens        the caller's tokens (never the secret), with status and last use
 *   POST   /api/app/tokens        create one: { name, expires_in_days, scope?, tenants: "all" | [subdomain…] }
 *                                  → 201 with `token` (shown this once)
 *   DELETE /api/app/tokens/:id    revoke one of the caller's tokens (a connected assistant's: its OAuth grant too)
 * Signed-in sessions only: the gate never lets a personal access token reach /api/app/, so an agent cannot
 * mint or revoke tokens.
 */
import { createToken, listTokens, revokeToken } from "@fataplus/domain";
import { type AppServer, identityCtx } from "../http/context.ts";
import { handle, jsonBody, param } from "../http/handler.ts";
import { revokeAssistantGrants } from "../oauth/provider.ts";

export function registerTokenRoutes(server: AppServer): void {
  server.get(
    "/api/app/tokens",
    handle(async (c) => ({ data: await listTokens({ ctx: identityCtx(c) }) })),
  );
  server.post(
    "/api/app/tokens",
    handle(
      async (c) => ({ data: await createToken({ ctx: identityCtx(c), input: await jsonBody(c) }) }),
      201,
    ),
  );
  server.delete(
    "/api/app/tokens/:id",
    handle(async (c) => {
      const revoked = await revokeToken({ ctx: identityCtx(c), input: { id: param(c, "id") } });
      // an assistant connected by URL: its OAuth grant goes too (the token alone already stops every call)
      if (revoked.kind === "assistant")
        await revokeAssistantGrants(c.env, new URL(c.req.url).origin, identityCtx(c), revoked.id);
      return { data: { id: revoked.id, revoked_at: revoked.revoked_at } };
    }),
  );
}
