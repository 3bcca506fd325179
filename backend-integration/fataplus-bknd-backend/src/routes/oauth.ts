/**
 * The consent step of MCP by URL (decision 031), for the site's consent page (/connecter, /en/connect):
 *   GET  /api/app/oauth/requests/:handle          what the page shows: the assistant, where it returns, the
 *                                                 caller's projects
 *   POST /api/app/oauth/requests/:handle/approve  { tenants: "all" | [subdomain…], scope, expires_in_days }
 *                                                 → { redirect_to } (back to the assistant, with its code)
 *   POST /api/app/oauth/requests/:handle/deny     → { redirect_to } (back to the assistant, access_denied)
 * Signed-in sessions only (the gate never lets a token reach /api/app/): an assistant can't approve itself.
 */
import { authorizationErrorRedirect } from "@cloudflare/workers-oauth-provider";
import { connectAssistant, listAccessibleTenants, revokeToken } from "@fataplus/domain";
import { type AppServer, identityCtx } from "../http/context.ts";
import { handle, jsonObject, param } from "../http/handler.ts";
import { consentRequest, endConsentRequest, OAUTH_SCOPE, oauthHelpers } from "../oauth/provider.ts";

const REQUEST = "/api/app/oauth/requests/:handle";

export function registerOAuthRoutes(server: AppServer): void {
  server.get(
    REQUEST,
    handle(async (c) => {
      const record = await consentRequest(c.env, param(c, "handle"));
      const ctx = identityCtx(c);
      const projects = (await listAccessibleTenants(ctx))
        .filter((t) => t.role && t.kind === "project")
        .map((t) => ({ id: t.id, subdomain: t.subdomain, name: t.name }));
      return {
        data: {
          client_name: record.client_name,
          redirect_host: record.redirect_host,
          local_app: record.local_app,
          expires_at: record.expires_at,
          projects,
        },
      };
    }),
  );

  server.post(
    `${REQUEST}/approve`,
    handle(async (c) => {
      const handleId = param(c, "handle");
      const record = await consentRequest(c.env, handleId);
      const ctx = identityCtx(c);
      const body = await jsonObject(c);
      const token = await connectAssistant({
        ctx,
        input: { ...body, client_id: record.request.clientId, client_name: record.client_name },
      });
      try {
        const { redirectTo } = await oauthHelpers(c.env, record.origin).completeAuthorization({
          request: record.request,
          userId: String(ctx.identity.id),
          metadata: { tokenId: token.id, label: token.name },
          scope: [OAUTH_SCOPE],
          props: { pat: token.token, tokenId: token.id, expiresAt: token.expires_at },
          // each approval is its own grant, backed by its own token row: the person revokes them one by one
          revokeExistingGrants: false,
        });
        await endConsentRequest(c.env, handleId);
        return { data: { redirect_to: redirectTo } };
      } catch (e) {
        await revokeToken({ ctx, input: { id: token.id } }); // no grant, no token
        throw e;
      }
    }),
  );

  server.post(
    `${REQUEST}/deny`,
    handle(async (c) => {
      const handleId = param(c, "handle");
      const record = await consentRequest(c.env, handleId);
      await endConsentRequest(c.env, handleId);
      return {
        data: {
          redirect_to: authorizationErrorRedirect(
            record.request,
            "access_denied",
            "The person declined the connection.",
          ),
        },
      };
    }),
  );
}
