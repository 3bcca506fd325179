/**
 * How the MCP server answers a failure: bad arguments are a JSON-RPC error (-32602) with a readable message;
 * refusals and "not found" are a tool result with isError, the same for another tenant's ids as for ids that
 * don't exist.
 */
import { isDomainError } from "@fataplus/domain";
import { type CallToolResult, ErrorCode } from "@modelcontextprotocol/sdk/types.js";

/**
 * A JSON-RPC error for the SDK to send as it is (the SDK's McpError would prefix its message with
 * "MCP error <code>:", and the client prefixes it again).
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Validation errors are the caller's arguments: a JSON-RPC error. Other domain errors: a tool error. */
export function callFailure(err: unknown): CallToolResult {
  if (err instanceof RpcError) throw err;
  if (isDomainError(err)) {
    if (err.code === "VALIDATION" || err.code === "BAD_QUERY" || err.code === "TENANT_REQUIRED") {
      throw new RpcError(
        ErrorCode.InvalidParams,
        err.message,
        err.details ? { details: err.details } : undefined,
      );
    }
    if (err.code === "INTERNAL") console.error("mcp tool failed", err.cause ?? err);
    return toolError(
      err.code === "INTERNAL" ? "Something went wrong on our side. Please try again." : err.message,
    );
  }
  console.error("mcp tool failed", err);
  return toolError("Something went wrong on our side. Please try again.");
}
