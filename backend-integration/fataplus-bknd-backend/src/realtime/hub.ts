/**
 * PortalHub: one Durable Object per tenant (named by the tenant id) holding the WebSocket connections of that
 * project's open views. The worker only reaches it after checking a signed ticket and the caller's membership
 * (./ws.ts), and only ever addresses the hub of the ticket's tenant, so a socket can't hear another tenant.
 * Uses the hibernation API: idle sockets cost nothing. Messages are committed to D1 first and broadcast here
 * after; a view that missed one catches up over REST with `after=<last seq>`.
 */

import { DurableObject } from "cloudflare:workers";
import { type LiveEvent, mayListen } from "@fataplus/domain";

type Attachment = { tenantId: string; userId: number };

export class PortalHub extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const tenantId = request.headers.get("x-hub-tenant") ?? "";
    // The hub of a tenant serves that tenant only (the name is fixed at the first call).
    const owner = (await this.ctx.storage.get<string>("tenant")) ?? null;
    if (!tenantId || (owner !== null && owner !== tenantId))
      return new Response("wrong hub", { status: 403 });
    if (owner === null) await this.ctx.storage.put("tenant", tenantId);

    if (url.pathname === "/connect") {
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
        return new Response("expected a WebSocket upgrade", { status: 426 });
      const userId = Number(request.headers.get("x-hub-user"));
      const pair = new WebSocketPair();
      const [client, server] = [pair[0], pair[1]];
      this.ctx.acceptWebSocket(server, [`u:${userId}`]);
      server.serializeAttachment({ tenantId, userId } satisfies Attachment);
      server.send(JSON.stringify({ type: "hello" }));
      return new Response(null, { status: 101, webSocket: client });
    }
    if (url.pathname === "/broadcast" && request.method === "POST") {
      const event = await request.text();
      const sockets = this.ctx.getWebSockets();
      // Access is re-read before every delivery: a member removed (or a disabled account) while a view is open
      // stops hearing the project at its next message, not only at its next reconnection.
      const users = new Set(
        sockets.map((ws) => (ws.deserializeAttachment() as Attachment | null)?.userId ?? 0),
      );
      const allowed = new Set<number>();
      for (const userId of users) {
        if (await mayListen({ db: this.env.DB, userId, tenantId })) allowed.add(userId);
      }
      let sent = 0;
      for (const ws of sockets) {
        const userId = (ws.deserializeAttachment() as Attachment | null)?.userId ?? 0;
        if (!allowed.has(userId)) {
          try {
            ws.close(4403, "access removed");
          } catch {
            // already closed
          }
          continue;
        }
        try {
          ws.send(event);
          sent++;
        } catch {
          // a socket closing right now: its view catches up when it reconnects
        }
      }
      return Response.json({ sent });
    }
    if (url.pathname === "/count") return Response.json({ sockets: this.ctx.getWebSockets().length });
    return new Response("not found", { status: 404 });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Views only listen; they post over REST. A ping keeps proxies from closing an idle socket.
    if (message === "ping") ws.send("pong");
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }
}

/** The hub of one tenant. */
export function hubOf(env: Env, tenantId: string): DurableObjectStub {
  const ns = (env as Env & { PORTAL_HUB: DurableObjectNamespace<PortalHub> }).PORTAL_HUB;
  return ns.get(ns.idFromName(tenantId));
}

/** Sends an event to every open view of the tenant. Never throws: a missed event is caught up over REST. */
export async function broadcast(env: Env, tenantId: string, event: LiveEvent): Promise<void> {
  try {
    await hubOf(env, tenantId).fetch("https://hub/broadcast", {
      method: "POST",
      headers: { "x-hub-tenant": tenantId },
      body: JSON.stringify(event),
    });
  } catch (err) {
    console.error("broadcast failed", err instanceof Error ? err.message : String(err));
  }
}
