/**
 * What an MCP POST body may be, checked before the SDK parses it: at most 256 KB, at most 32 levels of
 * nesting, and every JSON-RPC message has a method or is a well-formed response (decision 001: malformed
 * bodies crashed bknd's server; the same caps protect ours).
 */
import { DomainError } from "@fataplus/domain";
import { readJsonBody } from "../http/body.ts";

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_DEPTH = 32;
export const MAX_BATCH = 20;

/** Nesting depth of a parsed JSON value, without recursion (a deep body must not overflow our stack either). */
export function depthOf(value: unknown): number {
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

type RpcMessage = { id?: unknown; method?: unknown; result?: unknown; error?: unknown };

/** The parsed body, or a VALIDATION / PAYLOAD_TOO_LARGE DomainError with a readable message. */
export async function readMcpBody(req: Request): Promise<unknown> {
  const body = await readJsonBody(req, { maxBytes: MAX_BODY_BYTES, what: "The MCP message" });
  if (body === undefined) throw new DomainError("VALIDATION", "The MCP message is empty.");
  if (depthOf(body) > MAX_DEPTH) throw new DomainError("VALIDATION", "The MCP message is nested too deeply.");
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || messages.length > MAX_BATCH) {
    throw new DomainError("VALIDATION", `Send between 1 and ${MAX_BATCH} JSON-RPC messages at a time.`);
  }
  for (const raw of messages) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new DomainError("VALIDATION", "Invalid JSON-RPC message.");
    }
    const msg = raw as RpcMessage;
    if (typeof msg.method === "string" && msg.method !== "") continue;
    const isResponse =
      ("result" in msg || "error" in msg) && (typeof msg.id === "string" || typeof msg.id === "number");
    if (!isResponse) throw new DomainError("VALIDATION", "Invalid JSON-RPC message: it has no method.");
  }
  return body;
}
