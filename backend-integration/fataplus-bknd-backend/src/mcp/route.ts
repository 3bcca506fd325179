/**
 * `/api/system/mcp`: the Fataplus MCP server (Streamable HTTP, stateless, JSON responses). Registered by the
 * plugin ahead of bknd's routes; bknd's own MCP server is off (src/bknd/app.ts) and the gate hands this route only
 * requests that carry a personal access token (`Authorization: Bearer fpat_…`). Session JWTs and cookies are
 * refused by the gate (decision 006).
 *
 * Per request: authenticate and count the token (one D1 round trip), cap the body, list the tenants the token
 * reaches, then a new SDK server + transport answer the JSON-RPC message(s).
 */
import {
  authenticateToken,
  DomainError,
  type ErrorCode as DomainErrorCode,
  isDomainError,
  listTokenTenants,
  TENANT_ID_PATTERN,
  type TokenTenantAccess,
} from "@fataplus/domain";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { AppContext, AppServer } from "../http/context.ts";
import { tenantRefOf } from "../http/request.ts";
import { readMcpBody } from "./body.ts";
import { createMcpServer } from "./server.ts";

export const MCP_PATH = "/api/system/mcp";

/** The bearer credential of a request, if any. */
export function bearerOf(c: AppContext): string | null {
  const h = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1] ?? null;
}

/** JSON-RPC error codes for refusals that happen before the SDK sees the message. */
const rpcCodes: Partial<Record<DomainErrorCode, number>> = {
  UNAUTHENTICATED: -32001,
  FORBIDDEN: -32003,
  RATE_LIMITED: -32029,
  VALIDATION: -32600,
  PAYLOAD_TOO_LARGE: -32600,
  METHOD_NOT_ALLOWED: -32600,
};

export function rpcErrorResponse(err: unknown): Response {
  const e = isDomainError(err)
    ? err
    : new DomainError("INTERNAL", "Something went wrong on our side. Please try again.");
  if (!isDomainError(err)) console.error("mcp request failed", err);
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (e.retryAfterSeconds !== undefined) headers.set("retry-after", String(Math.max(1, e.retryAfterSeconds)));
  if (e.code === "UNAUTHENTICATED") {
    headers.set("www-authenticate", 'Bearer realm="fataplus", error="invalid_token"');
  }
  const body = { jsonrpc: "2.0", id: null, error: { code: rpcCodes[e.code] ?? -32603, message: e.message } };
  return new Response(JSON.stringify(body), { status: e.status, headers });
}

async function handle(c: AppContext): Promise<Response> {
  try {
    const token = bearerOf(c);
    if (!token)
      throw new DomainError(
        "UNAUTHENTICATED",
        "MCP needs a personal access token: Authorization: Bearer fpat_….",
      );
    const db = c.env.DB;
    const now = () => new Date();
    // A batch counts as many calls as it carries messages (the body is capped before it is parsed).
    const body = c.req.method === "POST" ? await readMcpBody(c.req.raw) : undefined;
    const weight = Array.isArray(body) ? body.length : 1;
    const principal = await authenticateToken({ db, now, token, weight });
    if (c.req.method !== "POST") {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      const res = rpcErrorResponse(
        new DomainError("METHOD_NOT_ALLOWED", "This MCP server is stateless: POST only."),
      );
      res.headers.set("allow", "POST");
      return res;
    }
    const tenants = await listTokenTenants({ db, principal });
    const ref = tenantRefOf(c);
    let pinned: TokenTenantAccess | null = null;
    if (ref) {
      const key = ref.trim();
      pinned =
        tenants.find((t) =>
          TENANT_ID_PATTERN.test(key) ? t.id === key : t.subdomain === key.toLowerCase(),
        ) ?? null;
      if (!pinned) throw new DomainError("FORBIDDEN", "This token has no access to this project.");
    }
    const server = createMcpServer({ db, env: c.env, principal, tenants, pinned, now });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody: body });
    } finally {
      await server.close();
    }
  } catch (err) {
    return rpcErrorResponse(err);
  }
}

export function registerMcpRoutes(server: AppServer): void {
  server.on(["POST", "GET", "DELETE"], MCP_PATH, handle);
}
