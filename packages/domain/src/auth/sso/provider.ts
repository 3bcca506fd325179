/**
 * Single sign-on providers (OpenID Connect, decision 025) behind one interface: where to send the browser, and
 * what the provider vouches for once it comes back. One implementation speaks OIDC to any issuer (Google,
 * Microsoft Entra ID, the local fake of the tests and of `npm start`): authorization code flow with PKCE (S256),
 * `state` and `nonce`; endpoints from the issuer's discovery document; the ID token verified with jose
 * (RS256 through the provider's JWKS, issuer, audience, expiry, nonce). Only the address rule differs per
 * provider (claims.ts). Plain fetch, so it runs in Workers; tests point it at a local fake server.
 */
import { base64url, createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { z } from "zod";
import { DomainError } from "../../kernel/errors.ts";
import { type SsoProviderId, verifiedEmailOf } from "./claims.ts";

export type SsoProviderConfig = {
  id: SsoProviderId;
  /** The name on the sign-in button ("Google", "Google (dev)"). */
  label: string;
  /** The issuer exactly as its discovery document and ID tokens spell it (decision 025: no trailing slash added). */
  issuer: string;
  clientId: string;
  clientSecret: string;
};

/** What a provider vouches for after a successful sign-in. */
export type SsoClaims = {
  provider: SsoProviderId;
  /** The provider's stable id of the person (`sub`): what a link matches on. */
  subject: string;
  /** The address, only when the provider says it verified it (claims.ts); null otherwise. */
  verifiedEmail: string | null;
  name: string | null;
};

export interface SsoProvider {
  readonly id: SsoProviderId;
  readonly label: string;
  /** The provider's page to send the browser to. */
  authorizationUrl(p: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeChallenge: string;
  }): Promise<string>;
  /** Exchanges the code (with the PKCE verifier) and verifies the ID token it brings. */
  signIn(p: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
    nonce: string;
    now: Date;
  }): Promise<SsoClaims>;
}

/** Why a sign-in through a provider did not end with a session: the site says it in the user's language. */
export const SSO_FAILURES = [
  "state", // no (or an expired, or another) sign-in was started in this browser
  "denied", // the person or the provider stopped at the provider's page
  "provider", // the provider could not be reached or refused the code
  "token", // the ID token did not verify (signature, issuer, audience, expiry, nonce)
  "unverified", // the provider did not vouch for the address
  "no_account", // no account and no invitation for this address
  "invitation", // the invitation is used, expired, or for another address
  "disabled", // the account is not active
  "no_access", // the account may not open the project the sign-in started from
  "unavailable", // this provider is not configured here
] as const;
export type SsoFailure = (typeof SSO_FAILURES)[number];

/** A DomainError that names its SsoFailure (detail path "sso"), so the worker can turn it into a redirect. */
export function ssoError(code: DomainError["code"], failure: SsoFailure, message: string, cause?: unknown) {
  return new DomainError(code, message, {
    details: [{ path: "sso", message: failure }],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The SsoFailure an error stands for ("provider" for anything unexpected on the way). */
export function ssoFailureOf(err: unknown): SsoFailure {
  if (err instanceof DomainError) {
    const named = err.details?.find((d) => d.path === "sso")?.message;
    if (named && (SSO_FAILURES as readonly string[]).includes(named)) return named as SsoFailure;
    if (err.details?.some((d) => d.path === "invitation") || err.code === "NOT_FOUND") return "invitation";
    if (err.code === "CONFLICT") return "invitation";
  }
  return "provider";
}

const discoverySchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});
type Discovery = z.infer<typeof discoverySchema>;

const tokenAnswer = z.object({ id_token: z.string().min(20) });

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Discovery documents and key sets, kept per isolate (jose's key set caches and refreshes its keys). */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const discoveries = new Map<string, { at: number; doc: Discovery }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

const unreachable = (cause?: unknown) =>
  ssoError("UNPROCESSABLE", "provider", "The sign-in provider could not be reached. Try again.", cause);

/**
 * The issuers an ID token may name: the configured one, and for Microsoft's multi-tenant endpoints
 * (`…/common/v2.0`, `…/organizations/v2.0`), whose discovery says `{tenantid}`, that template with the token's
 * own `tid`. Google also writes its issuer without the scheme.
 */
function acceptedIssuers(config: SsoProviderConfig, doc: Discovery, payload: JWTPayload): string[] {
  const issuers = [doc.issuer];
  const tid = typeof payload.tid === "string" && /^[0-9a-f-]{36}$/.test(payload.tid) ? payload.tid : null;
  if (doc.issuer.includes("{tenantid}") && tid) issuers.push(doc.issuer.replace("{tenantid}", tid));
  if (config.id === "google" && doc.issuer === "https://accounts.google.com")
    issuers.push("accounts.google.com");
  return issuers.filter((i) => !i.includes("{tenantid}"));
}

export function createOidcProvider(config: SsoProviderConfig, opts: { fetch?: FetchLike } = {}): SsoProvider {
  const doFetch: FetchLike = opts.fetch ?? ((input, init) => fetch(input, init));

  async function discovery(): Promise<Discovery> {
    const known = discoveries.get(config.issuer);
    if (known && Date.now() - known.at < DISCOVERY_TTL_MS) return known.doc;
    let res: Response;
    try {
      res = await doFetch(`${config.issuer}/.well-known/openid-configuration`, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw unreachable(e);
    }
    const parsed = discoverySchema.safeParse(res.ok ? await res.json().catch(() => null) : null);
    if (!parsed.success) throw unreachable(`discovery of ${config.issuer} answered ${res.status}`);
    // The discovery document must be the issuer's own (an exact string: decision 025's trap).
    if (parsed.data.issuer !== config.issuer && !parsed.data.issuer.includes("{tenantid}"))
      throw unreachable(`discovery of ${config.issuer} names the issuer ${parsed.data.issuer}`);
    discoveries.set(config.issuer, { at: Date.now(), doc: parsed.data });
    return parsed.data;
  }

  function keySet(jwksUri: string) {
    let set = keySets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 10_000 });
      keySets.set(jwksUri, set);
    }
    return set;
  }

  return {
    id: config.id,
    label: config.label,

    async authorizationUrl({ redirectUri, state, nonce, codeChallenge }) {
      const doc = await discovery();
      const url = new URL(doc.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: "openid email profile",
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
        prompt: "select_account",
      }).toString();
      return url.href;
    },

    async signIn({ code, redirectUri, codeVerifier, nonce, now }) {
      const doc = await discovery();
      let res: Response;
      try {
        res = await doFetch(doc.token_endpoint, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
            authorization: `Basic ${btoa(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`)}`,
          },
          body: new URLSearchParams({
            grant_type: "authorization_code",
            code,
            code_verifier: codeVerifier,
            redirect_uri: redirectUri,
          }).toString(),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (e) {
        throw unreachable(e);
      }
      const answer = tokenAnswer.safeParse(res.ok ? await res.json().catch(() => null) : null);
      if (!answer.success) {
        throw ssoError("UNPROCESSABLE", "provider", "The sign-in provider refused the sign-in. Try again.");
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(answer.data.id_token, keySet(doc.jwks_uri), {
          audience: config.clientId,
          algorithms: ["RS256"],
          currentDate: now,
          clockTolerance: 60,
          requiredClaims: ["iss", "sub", "aud", "exp", "iat"],
        }));
      } catch (e) {
        throw ssoError("UNAUTHENTICATED", "token", "The provider's answer could not be verified.", e);
      }
      const badToken = (why: string) =>
        ssoError("UNAUTHENTICATED", "token", `The provider's answer could not be verified (${why}).`);
      if (!acceptedIssuers(config, doc, payload).includes(String(payload.iss))) throw badToken("issuer");
      if (typeof payload.nonce !== "string" || payload.nonce !== nonce) throw badToken("nonce");
      if (typeof payload.sub !== "string" || payload.sub.length < 1 || payload.sub.length > 255)
        throw badToken("subject");
      return {
        provider: config.id,
        subject: payload.sub,
        verifiedEmail: verifiedEmailOf(config.id, payload),
        name: typeof payload.name === "string" ? payload.name.slice(0, 200) || null : null,
      };
    },
  };
}

/** A random URL-safe string (state, nonce, PKCE verifier): 32 random bytes. */
export function randomUrlSafe(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The PKCE S256 challenge of a verifier (RFC 7636). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64url.encode(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
}
