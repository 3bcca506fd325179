/**
 * One MCP server per isolate, many HTTP requests at once (decision 017). The SDK's `Server` speaks to one
 * transport, and its stateless HTTP transport serves one request. The hub is the server's only transport: each
 * HTTP request gets its own SDK HTTP transport (which checks the headers, parses the messages and assembles the
 * JSON answer exactly as before), whose messages the hub hands to the server under an id unique in the isolate,
 * with the request's scope (who calls, which tenants) kept next to that id. The server's answers come back
 * to the hub, which gives them their own id again and passes them to the request they belong to.
 *
 * So two requests that use the same JSON-RPC id, at the same time, never meet; and a handler finds its
 * request's scope only through the id of the message it serves (`scopeOf`), never through a variable that
 * another request could have set.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

type InFlight<S> = { transport: WebStandardStreamableHTTPServerTransport; id: RequestId; scope: S };

export class McpHub<S> implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly #inFlight = new Map<RequestId, InFlight<S>>();
  #next = 0;
  /** HTTP requests served by this hub (tests check that one server serves them all). */
  served = 0;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.#inFlight.clear();
    this.onclose?.();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const owner = message.id === undefined ? undefined : this.#inFlight.get(message.id);
      if (!owner || message.id === undefined) return;
      this.#inFlight.delete(message.id);
      await owner.transport.send({ ...message, id: owner.id });
      return;
    }
    // a notification or request about a message being served: on that message's request, or nowhere
    const related = options?.relatedRequestId;
    const owner = related === undefined ? undefined : this.#inFlight.get(related);
    if (owner) await owner.transport.send(message, { relatedRequestId: owner.id });
  }

  /** The scope of the request a message (by the id the hub gave it) belongs to. */
  scopeOf(requestId: RequestId): S {
    const owner = this.#inFlight.get(requestId);
    if (!owner) throw new Error(`no request in flight with id ${String(requestId)}`);
    return owner.scope;
  }

  /** Serves one HTTP request (its body already parsed) with its own scope. */
  handle(request: Request, body: unknown, scope: S): Promise<Response> {
    this.served++;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    transport.onmessage = (message, extra) => {
      if (!isJSONRPCRequest(message)) {
        this.onmessage?.(message, extra);
        return;
      }
      const id = ++this.#next;
      this.#inFlight.set(id, { transport, id: message.id, scope });
      this.onmessage?.({ ...message, id }, extra);
    };
    return transport.handleRequest(request, { parsedBody: body });
  }
}
