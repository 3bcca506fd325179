/**
 * JSON-RPC error answers of the MCP endpoint (`/api/system/mcp`) for refusals that happen before the SDK sees a
 * message: the gate's (no token, a session instead of a token) and the route's (origin, body, token, rate).
 * Every refusal there is a JSON-RPC error, so that MCP clients show its message.
 */
import { DomainError, type ErrorCode, isDomainError } from "@fataplus/domain";
import { InvalidJson } from "./body.ts";
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

/** What a request without a personal access token hears: none at all, or a session instead (decision 006). */
export const mcpNeedsToken = (session = false): DomainError =>
  session
    ? new DomainError(
        "FORBIDDEN",
        "A session is not an MCP credential. MCP takes a personal access token: Authorization: Bearer fpat_… (create one in your settings).",
      )
    : new DomainError(
        "UNAUTHENTICATED",
        "MCP needs a personal access token: Authorization: Bearer fpat_… (create one in your settings).",
      );

/** JSON-RPC's "Parse error": the body is not JSON at all. */
export const PARSE_ERROR = -32700;

/**
 * The JSON-RPC error for `err`, with its HTTP status. A 401 carries `WWW-Authenticate: Bearer` (RFC 6750:
 * without an error code when the request had no credentials, `invalid_token` when it had a bad one).
 */
export function rpcErrorResponse(err: unknown, opts: { credentials?: boolean } = {}): Response {
  const e = isDomainError(err)
    ? err
    : new DomainError("INTERNAL", "Something went wrong on our side. Please try again.");
  // AccessChanged: never sent, the entry serves the request again (src/http/scope.ts)
  if (!isDomainError(err) && !(err instanceof AccessChanged)) console.error("mcp request failed", err);
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (e.retryAfterSeconds !== undefined) headers.set("retry-after", String(Math.max(1, e.retryAfterSeconds)));
  if (e.code === "UNAUTHENTICATED") {
    const invalid = opts.credentials === false ? "" : ', error="invalid_token"';
    headers.set("www-authenticate", `Bearer realm="fataplus"${invalid}`);
  }
  const code = err instanceof InvalidJson ? PARSE_ERROR : (rpcCodes[e.code] ?? -32603);
  const body = { jsonrpc: "2.0", id: null, error: { code, message: e.message } };
  return new Response(JSON.stringify(body), { status: e.status, headers });
}
