/**
 * JSON-RPC error answers of the MCP endpoint (`/api/system/mcp`) for refusals that happen before the SDK sees a
 * message: the gate's (no token, a session instead of a token) and the route's (origin, body, token, rate).
 * Every refusal there is a JSON-RPC error, so that MCP clients show its message.
 */
import { DomainError, type ErrorCode, isDomainError } from "@fataplus/domain";
import { InvalidJson } from "./body.ts";
import { resourceMetadataUrl } from "./mcp-urls.ts";
import { AccessChanged } from "./scope.ts";

const rpcCodes: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: -32001,
  FORBIDDEN: -32003,
  RATE_LIMITED: -32029,
  VALIDATION: -32600,
  PAYLOAD_TOO_LARGE: -32600,
  UNSUPPORTED_MEDIA_TYPE: -32600,
  METHOD_NOT_ALLOWED: -32600,
};

/**
 * What a request without a credential hears: none at all, or a session instead (decisions 006, 031). Assistants
 * that connect by URL follow the `WWW-Authenticate` header to the authorization server.
 */
export const mcpNeedsToken = (session = false): DomainError =>
  session
    ? new DomainError(
        "FORBIDDEN",
        "A session is not an MCP credential. Connect your assistant by URL (OAuth), or send a personal access token: Authorization: Bearer fpat_… (create one in your settings).",
      )
    : new DomainError(
        "UNAUTHENTICATED",
        "MCP needs a credential: connect your assistant by URL (OAuth), or send a personal access token: Authorization: Bearer fpat_… (create one in your settings).",
      );

/** JSON-RPC's "Parse error": the body is not JSON at all. */
export const PARSE_ERROR = -32700;

/**
 * The JSON-RPC error for `err`, with its HTTP status. A 401 carries `WWW-Authenticate: Bearer` (RFC 6750:
 * without an error code when the request had no credentials, `invalid_token` when it had a bad one) and, given
 * the request's URL, where the resource's metadata is (RFC 9728), which is how an MCP client finds the
 * authorization server to connect by URL.
 */
export function rpcErrorResponse(err: unknown, opts: { credentials?: boolean; url?: string } = {}): Response {
  const e = isDomainError(err)
    ? err
    : new DomainError("INTERNAL", "Something went wrong on our side. Please try again.");
  // AccessChanged: never sent, the entry serves the request again (src/http/scope.ts)
  if (!isDomainError(err) && !(err instanceof AccessChanged)) console.error("mcp request failed", err);
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (e.retryAfterSeconds !== undefined) headers.set("retry-after", String(Math.max(1, e.retryAfterSeconds)));
  if (e.code === "UNAUTHENTICATED") {
    const invalid = opts.credentials === false ? "" : ', error="invalid_token"';
    const metadata = opts.url ? `, resource_metadata="${resourceMetadataUrl(new URL(opts.url).origin)}"` : "";
    headers.set("www-authenticate", `Bearer realm="fataplus"${invalid}${metadata}`);
  }
  const code = err instanceof InvalidJson ? PARSE_ERROR : (rpcCodes[e.code] ?? -32603);
  const body = { jsonrpc: "2.0", id: null, error: { code, message: e.message } };
  return new Response(JSON.stringify(body), { status: e.status, headers });
}
