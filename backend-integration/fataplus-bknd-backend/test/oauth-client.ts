/**
 * An MCP client's side of OAuth (decision 031) for the tests: the official SDK's OAuthClientProvider, kept in
 * memory. `redirectToAuthorization` only records where the SDK would send the person's browser.
 */
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";

export class MemoryOAuthClient implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | null = null;
  /** What the client sends as `state` and expects back (CSRF protection on its redirect URI). */
  readonly stateValue = crypto.randomUUID();
  constructor(
    readonly redirect = "http://127.0.0.1:33418/callback",
    readonly name = "Claude (test)",
  ) {}
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  state() {
    return this.stateValue;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/**
 * A consent request waiting on the site's page, as an assistant starts it (registration and the authorization
 * request through the SDK), and its handle; `fetchFn` reaches the worker.
 */
export async function pendingConsent(
  fetchFn: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
  client = new MemoryOAuthClient(),
): Promise<string> {
  const { auth } = await import("@modelcontextprotocol/sdk/client/auth.js");
  await auth(client, { serverUrl: "https://bknd.test/api/system/mcp", fetchFn });
  if (!client.authorizationUrl) throw new Error("the SDK asked for no authorization");
  const res = await fetchFn(client.authorizationUrl);
  const handle = new URL(res.headers.get("location") ?? "http://x/").searchParams.get("request");
  if (!handle) throw new Error(`no consent request: ${res.status}`);
  return handle;
}
