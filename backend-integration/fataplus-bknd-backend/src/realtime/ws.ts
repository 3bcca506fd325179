/**
 * The WebSocket upgrade under /ws/*: `/ws/messages?ticket=…` in a tenant (the site's x-fataplus-tenant header,
 * or ?tenant=). The domain lets the connection in (packages/domain/src/portal/live.ts `admitLiveConnection`:
 * the ticket's tenant must be the request's, and the user must still have access to it); then the request
 * goes to that tenant's hub, and only that one.
 */
import { admitLiveConnection, DomainError } from "@fataplus/domain";
import { type AppConfig, filesSecret } from "../config.ts";
import { errorResponse, toResponse } from "../http/errors.ts";
import { tenantRefOfRequest } from "../http/request.ts";
import { hubOf } from "./hub.ts";

export async function handleWebSocket(request: Request, env: Env, config: AppConfig): Promise<Response> {
  try {
    const url = new URL(request.url);
    if (url.pathname !== "/ws/messages")
      throw new DomainError("NOT_FOUND", "There is nothing to subscribe to here.");
    if (request.method !== "GET" || request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return errorResponse(new DomainError("VALIDATION", "Open this address as a WebSocket."), {
        upgrade: "websocket",
      });
    const { tenantId, userId } = await admitLiveConnection({
      db: env.DB,
      secret: filesSecret(config),
      ticket: url.searchParams.get("ticket") ?? "",
      tenantRef: tenantRefOfRequest(request),
      now: new Date(),
    });
    return hubOf(env, tenantId).fetch("https://hub/connect", {
      headers: { upgrade: "websocket", "x-hub-tenant": tenantId, "x-hub-user": String(userId) },
    });
  } catch (err) {
    return toResponse(err);
  }
}
