/**
 * The portal's live channel (decision 008): a view opens a WebSocket with a short ticket, and the transport
 * publishes events to the tenant's open views after they are committed here. The rules live here: who may
 * open a view, what a ticket says and how long it lasts, who is let in, and who still hears.
 */
import { resolveAccess } from "../auth/identity.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import type { Message } from "./messages.ts";
import { signToken, verifyToken, WS_TICKET_TTL_SECONDS } from "./signed.ts";
import { assertPortalTenant } from "./tenant.ts";

/**
 * What the open views of a project hear. `notifications` carries nothing but its name: each view asks for its
 * own unread count (decision 027), so a notification's content never travels to a socket that isn't its
 * recipient's.
 */
export type LiveEvent = { type: "message"; message: Message } | { type: "notifications" };

export const notificationsChanged: LiveEvent = { type: "notifications" };

export const messagePosted = (message: Message): LiveEvent => ({ type: "message", message });

export type LiveTicket = { url: string; expires_at: string };

/**
 * A ticket for the WebSocket at /ws/messages: one person (never a token or the system) in one tenant with a
 * portal, for WS_TICKET_TTL_SECONDS. The upgrade request carries no header we control, so the ticket is the
 * credential; it is read over CORS-protected fetch, which also stops cross-site WebSocket hijacking.
 */
export async function issueLiveTicket({ ctx, secret }: { ctx: Ctx; secret: string }): Promise<LiveTicket> {
  assertPortalTenant(ctx);
  if (ctx.actor.type !== "user") throw new DomainError("FORBIDDEN", "Only people open live views.");
  const exp = Math.floor(ctx.now().getTime() / 1000) + WS_TICKET_TTL_SECONDS;
  const ticket = await signToken(secret, {
    kind: "ws",
    tenantId: ctx.tenant.id,
    userId: ctx.actor.userId,
    exp,
  });
  return {
    url: `/ws/messages?ticket=${encodeURIComponent(ticket)}`,
    expires_at: new Date(exp * 1000).toISOString(),
  };
}

/** May this user hear this tenant's live events now? Re-read from D1: a removed member or disabled account may not. */
export async function mayListen({
  db,
  userId,
  tenantId,
}: {
  db: D1Database;
  userId: number;
  tenantId: string;
}): Promise<boolean> {
  if (!Number.isInteger(userId) || userId <= 0) return false;
  const access = await resolveAccess({ db, userId, tenantRef: tenantId });
  return Boolean(access?.role && access.tenant?.id === tenantId);
}

/**
 * Lets a WebSocket in: the ticket must be intact and unexpired, the request must name the ticket's tenant, and
 * the user must still have access to it. Returns whose connection it is, for the tenant's hub and only that one.
 */
export async function admitLiveConnection({
  db,
  secret,
  ticket,
  tenantRef,
  now,
}: {
  db: D1Database;
  secret: string;
  ticket: string;
  tenantRef: string | null;
  now: Date;
}): Promise<{ tenantId: string; userId: number }> {
  const claims = await verifyToken(secret, "ws", ticket, now);
  if (!tenantRef) throw new DomainError("TENANT_REQUIRED", "Say which project you work in.");
  const access = await resolveAccess({ db, userId: claims.userId, tenantRef });
  if (!access?.tenant || !access.role || access.tenant.id !== claims.tenantId)
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  assertPortalTenant({ tenant: access.tenant });
  return { tenantId: claims.tenantId, userId: claims.userId };
}
