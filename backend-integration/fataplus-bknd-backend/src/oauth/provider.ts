/**
 * MCP by URL (docs/decisions/031-mcp-oauth.md): the API worker is the OAuth 2.1 authorization server of its own
 * MCP endpoint, through Cloudflare's `@cloudflare/workers-oauth-provider` (discovery metadata, dynamic client
 * registration, PKCE S256, short-lived access tokens with refresh, revocation; grants and tokens in OAUTH_KV).
 *
 * A grant is backed by an access token of kind `assistant` (packages/domain/src/tokens/manage.ts
 * connectAssistant): the projects, scope and lifetime the person approved on the consent page. The token's
 * secret travels only inside the grant's props, which the library encrypts with the assistant's own tokens. A
 * request with an OAuth access token reaches the MCP route with that secret as its bearer, so the gate, the rate
 * limit and the tools enforce exactly what they enforce for a personal token.
 *
 * What goes through the library: discovery (/.well-known/oauth-*), /oauth/register, /oauth/token, and MCP
 * requests whose bearer has the library's shape (`user:grant:secret`). Everything else (personal tokens, no
 * token at all, the rest of the API) is served as before, without the library on its path.
 */

import {
  type AuthRequest,
  getOAuthApi,
  OAuthError,
  type OAuthHelpers,
  OAuthProvider,
  type OAuthProviderOptions,
} from "@cloudflare/workers-oauth-provider";
import {
  assistantTokenActive,
  DomainError,
  MAX_TOKEN_DAYS,
  newToken,
  type TokenOwnerCtx,
} from "@fataplus/domain";
import { z } from "zod";
import { MCP_PATH, mcpResource } from "../http/mcp-urls.ts";
import { rpcErrorResponse } from "../http/rpc-error.ts";

/** Access tokens live an hour; the grant (and its refresh token) as long as the person chose, at most a year. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const OAUTH_SCOPE = "mcp";
export const AUTHORIZE_PATH = "/oauth/authorize";
const TOKEN_PATH = "/oauth/token";
const REGISTER_PATH = "/oauth/register";
/** A consent request waits this long for the person to approve or deny it. */
export const CONSENT_TTL_SECONDS = 600;

type Handler = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

/** What a grant carries (encrypted by the library): the backing token's secret, id and expiry. */
const grantProps = z.object({
  pat: z.string().startsWith("fpat_"),
  tokenId: z.string(),
  expiresAt: z.string(),
});
export type GrantProps = z.infer<typeof grantProps>;

function options(origin: string, serve: Handler): OAuthProviderOptions<Env> {
  return {
    apiRoute: MCP_PATH,
    apiHandler: {
      fetch: async (request, env, ctx) => {
        // the grant's token stands in for the OAuth token from here on
        const props = grantProps.safeParse(ctx.props);
        if (!props.success)
          return rpcErrorResponse(
            new DomainError("UNAUTHENTICATED", "This connection is not valid any more."),
            {
              url: request.url,
            },
          );
        const headers = new Headers(request.headers);
        headers.set("authorization", `Bearer ${props.data.pat}`);
        return serve(new Request(request, { headers }), env, ctx);
      },
    },
    defaultHandler: { fetch: (request, env, ctx) => serve(request, env as Env, ctx) },
    authorizeEndpoint: AUTHORIZE_PATH,
    tokenEndpoint: TOKEN_PATH,
    clientRegistrationEndpoint: REGISTER_PATH,
    scopesSupported: [OAUTH_SCOPE],
    accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTTL: MAX_TOKEN_DAYS * 86_400,
    resourceMetadata: {
      resource: mcpResource(origin),
      authorization_servers: [origin],
      scopes_supported: [OAUTH_SCOPE],
      resource_name: "Fataplus",
    },
    tokenExchangeCallback: async ({ grantType, props, env }) => {
      const p = grantProps.safeParse(props);
      if (!p.success || !(await assistantTokenActive(env.DB, p.data.tokenId, new Date())))
        throw new OAuthError("invalid_grant", { description: "This connection was revoked or has expired." });
      const left = Math.floor((Date.parse(p.data.expiresAt) - Date.now()) / 1000);
      if (left < 60)
        throw new OAuthError("invalid_grant", { description: "This connection was revoked or has expired." });
      return {
        accessTokenTTL: Math.min(ACCESS_TOKEN_TTL_SECONDS, left),
        ...(grantType === "authorization_code" ? { refreshTokenTTL: left } : {}),
      };
    },
    onError: ({ code, description, internal }) => {
      // the library's own warnings, as one structured line (never a token: the library puts none there)
      console.warn(
        JSON.stringify({ oauth: code, description, reason: `${internal.category}/${internal.reason}` }),
      );
    },
  };
}

/** Does this request belong to the authorization server (or carry one of its tokens to MCP)? */
export function isOAuthRequest(request: Request): boolean {
  const url = new URL(request.url);
  const path = url.pathname;
  if (path.startsWith("/.well-known/oauth-")) return true;
  if (path === TOKEN_PATH || path === REGISTER_PATH) return true;
  // MCP's own preflights keep the API's CORS rules (a foreign origin is refused, src/http/cors.ts)
  if (path !== MCP_PATH || request.method === "OPTIONS") return false;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  return bearer.split(":").length === 3; // the library's token shape; personal tokens have no colon
}

/** Serves an authorization-server request through the library; `serve` answers what it hands on. */
export async function serveOAuth(request: Request, env: Env, ctx: ExecutionContext, serve: Handler) {
  const provider = new OAuthProvider(options(new URL(request.url).origin, serve));
  return provider.fetch(request, env, ctx);
}

/** The library's helpers (parse an authorization request, complete it, list and revoke grants). */
export const oauthHelpers = (env: Env, origin: string): OAuthHelpers =>
  getOAuthApi(
    options(origin, async () => new Response(null, { status: 404 })),
    env,
  );

/** A consent request waiting for the person: the parsed authorization request and what the page shows. */
const consentRecord = z.object({
  request: z.object({
    responseType: z.string(),
    clientId: z.string(),
    redirectUri: z.string(),
    scope: z.array(z.string()),
    state: z.string(),
    codeChallenge: z.string().optional(),
    codeChallengeMethod: z.string().optional(),
    resource: z.string().optional(),
    issuer: z.string().optional(),
  }),
  client_name: z.string(),
  redirect_host: z.string(),
  local_app: z.boolean(),
  origin: z.string(),
  expires_at: z.string(),
});
export type ConsentRecord = z.infer<typeof consentRecord>;

const consentKey = (handle: string) => `consent:${handle}`;
const HANDLE = /^[A-Za-z0-9_-]{43}$/;

/**
 * GET /oauth/authorize: the library checks the client and its redirect URI, then the request waits in KV under an
 * unguessable handle while the person signs in and decides on the site's consent page. A request the library
 * refuses is answered here (never redirected: its redirect URI is not trusted).
 */
export async function startAuthorization(request: Request, env: Env, siteUrl: string): Promise<Response> {
  const origin = new URL(request.url).origin;
  const helpers = oauthHelpers(env, origin);
  let auth: AuthRequest;
  try {
    auth = await helpers.parseAuthRequest(request);
  } catch (e) {
    return plainError(
      400,
      "Cette demande de connexion n'est pas valable (client inconnu ou adresse de retour non enregistrée).",
      "This connection request is not valid (unknown client or unregistered redirect address).",
      e,
    );
  }
  if (auth.codeChallengeMethod !== "S256" || !auth.codeChallenge)
    return plainError(400, "La demande doit utiliser PKCE (S256).", "The request must use PKCE (S256).");
  const described = await helpers.describeConsent(auth);
  const handle = newToken(32);
  const record: ConsentRecord = {
    request: auth,
    client_name: described.clientName || described.clientId,
    redirect_host: described.redirectHost,
    local_app: described.redirectIsLoopback,
    origin,
    expires_at: new Date(Date.now() + CONSENT_TTL_SECONDS * 1000).toISOString(),
  };
  await env.OAUTH_KV.put(consentKey(handle), JSON.stringify(record), { expirationTtl: CONSENT_TTL_SECONDS });
  // the site shows it in the person's language once it knows who they are (apps/web/src/pages/connecter.astro)
  return new Response(null, {
    status: 302,
    headers: { location: `${siteUrl}/connecter?request=${handle}`, "cache-control": "no-store" },
  });
}

function plainError(status: number, fr: string, en: string, cause?: unknown): Response {
  if (cause)
    console.warn(JSON.stringify({ oauth: "authorize_refused", reason: String(cause).slice(0, 200) }));
  return new Response(`${fr}\n\n${en}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/** The waiting consent request of a handle, or NOT_FOUND (unknown, used or expired: the same answer). */
export async function consentRequest(env: Env, handle: string): Promise<ConsentRecord> {
  const raw = HANDLE.test(handle) ? await env.OAUTH_KV.get(consentKey(handle), "json") : null;
  const parsed = consentRecord.safeParse(raw);
  if (!parsed.success || Date.parse(parsed.data.expires_at) <= Date.now())
    throw new DomainError(
      "NOT_FOUND",
      "This connection request has expired or was already answered: start again from your assistant.",
    );
  return parsed.data;
}

export const endConsentRequest = (env: Env, handle: string) => env.OAUTH_KV.delete(consentKey(handle));

/** Revokes the library's grants behind one assistant token of this user (after the token itself is revoked). */
export async function revokeAssistantGrants(
  env: Env,
  origin: string,
  ctx: Pick<TokenOwnerCtx, "identity">,
  tokenId: string,
): Promise<number> {
  const helpers = oauthHelpers(env, origin);
  const userId = String(ctx.identity.id);
  let revoked = 0;
  let cursor: string | undefined;
  do {
    const page = await helpers.listUserGrants(userId, cursor ? { cursor } : {});
    for (const g of page.items) {
      const meta = z.object({ tokenId: z.string() }).safeParse(g.metadata);
      if (meta.success && meta.data.tokenId === tokenId) {
        await helpers.revokeGrant(g.id, userId);
        revoked++;
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return revoked;
}
