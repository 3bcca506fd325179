/**
 * The WebSocket upgrade under /ws/*: `/ws/messages?ticket=…` in a tenant (the site's x-fataplus-tenant header,
 * or ?tenant=). The ticket (POST /api/app/portal/messages/ticket, 60 s, HMAC) names the user and the tenant;
 * the tenant of the request must be the ticket's, and the user must still have access to it (re-read from D1).
 * Then the request goes to that tenant's hub, and only that one.
 */
import { DomainError, resolveAccess, verifyToken } from "@fataplus/domain";
import { type AppConfig, filesSecret } from "../config.ts";
import { errorResponse, toResponse } from "../http/errors.ts";
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
    const claims = await verifyToken(
      filesSecret(config),
      "ws",
      url.searchParams.get("ticket") ?? "",
      new Date(),
    );
    const tenantRef = (
      request.headers.get("x-fataplus-tenant") ??
      url.searchParams.get("tenant") ??
      ""
    ).trim();
    if (!tenantRef) throw new DomainError("TENANT_REQUIRED", "Say which project you work in.");
    const access = await resolveAccess({ db: env.DB, userId: claims.userId, tenantRef });
    if (!access?.tenant || !access.role || access.tenant.id !== claims.tenantId)
      throw new DomainError("FORBIDDEN", "You have no access to this project.");
    return hubOf(env, claims.tenantId).fetch("https://hub/connect", {
      headers: {
        upgrade: "websocket",
        "x-hub-tenant": claims.tenantId,
        "x-hub-user": String(claims.userId),
      },
    });
  } catch (err) {
    return toResponse(err);
  }
}
