/**
 * MCP requests through bknd's own server. Agency admins may use every tool. Everybody else may only list
 * tools and call the data tools, which bknd runs as internal data requests that pass through the gate again,
 * scoped to the tenant of the outer request. Tools that mint tokens, create users or touch the config
 * (gap 8) are refused before bknd sees them.
 */
import { type Access, DomainError } from "@fataplus/domain";
import type { Context } from "hono";
import { readJsonBody } from "../http-body.ts";

const OPEN_METHODS = new Set([
  "initialize",
  "ping",
  "tools/list",
  "resources/list",
  "resources/templates/list",
  "prompts/list",
]);
const DATA_TOOL = /^data_entity_[a-z_]+$/;
/**
 * Refused to everybody, agency admins included: bknd writes its own sha256 password hashes (the account could
 * never sign in again) and mints tokens for any user without an audit trail. Use invitations instead.
 */
const NOBODY_TOOLS = new Set([
  "auth_user_create",
  "auth_user_password_change",
  "auth_user_password_test",
  "auth_user_token",
]);

type RpcMessage = {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
};

const MAX_BODY_BYTES = 256 * 1024;
const MAX_DEPTH = 32;

/** Nesting depth of a parsed JSON value, without recursion (a deep body must not overflow our stack either). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function rpcError(id: unknown, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", id: id ?? null, error: { code, message } }), {
    status: 403,
    headers: { "content-type": "application/json" },
  });
}

export async function checkMcpRequest(
  c: Context,
  opts: { isAgencyAdmin: boolean; tenantRef: string | null; access: Access },
): Promise<{ response?: Response }> {
  if (c.req.method !== "POST") return {}; // GET (SSE stream) and DELETE (end session) carry no tool call
  const body = await readJsonBody(c.req.raw, { maxBytes: MAX_BODY_BYTES, what: "The MCP message" });
  if (depthOf(body) > MAX_DEPTH) throw new DomainError("VALIDATION", "The MCP message is nested too deeply.");
  const messages: RpcMessage[] = Array.isArray(body) ? body : [body];
  for (const msg of messages) {
    if (typeof msg !== "object" || msg === null)
      throw new DomainError("VALIDATION", "Invalid JSON-RPC message.");
    const method = typeof msg.method === "string" ? msg.method : "";
    if (!method) {
      // only a well-formed response from the client may come without a method
      const isResponse =
        ("result" in msg || "error" in msg) && (typeof msg.id === "string" || typeof msg.id === "number");
      if (!isResponse) throw new DomainError("VALIDATION", "Invalid JSON-RPC message: it has no method.");
      continue;
    }
    if (method === "tools/call") {
      const name = (msg.params as { name?: unknown } | undefined)?.name;
      if (typeof name === "string" && NOBODY_TOOLS.has(name)) {
        return {
          response: rpcError(msg.id, -32003, `The tool "${name}" is disabled: people join by invitation.`),
        };
      }
    }
    if (opts.isAgencyAdmin) continue; // agency admins may call every other tool
    if (method.startsWith("notifications/") || OPEN_METHODS.has(method)) continue;
    if (method === "tools/call") {
      const params = (msg.params ?? {}) as { name?: unknown };
      const name = typeof params.name === "string" ? params.name : "";
      if (!DATA_TOOL.test(name)) {
        return { response: rpcError(msg.id, -32003, `The tool "${name}" is for agency admins.`) };
      }
      if (!opts.tenantRef) {
        return {
          response: rpcError(msg.id, -32602, "Say which project you work in: ?tenant= on the MCP URL."),
        };
      }
      if (!opts.access.tenant || !opts.access.role) {
        return { response: rpcError(msg.id, -32003, "You have no access to this project.") };
      }
      continue;
    }
    return { response: rpcError(msg.id, -32003, `The MCP method "${method}" is for agency admins.`) };
  }
  return {};
}
