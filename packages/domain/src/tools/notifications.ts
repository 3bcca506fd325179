/**
 * Notification tools (issue 21, decision 027): `list_notifications`, what the token's own person was told in
 * this project, newest first. Nobody else's notifications, in no tenant but this one.
 */
import { z } from "zod";
import { loadIdentity } from "../auth/identity.ts";
import { actorUserId } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { listNotifications } from "../notifications/read.ts";
import { defineTool, type ToolDescriptor } from "./descriptor.ts";
import { userText } from "./shapes.ts";
import { untrusted } from "./untrusted.ts";

export const listNotificationsTool = defineTool({
  name: "list_notifications",
  title: "List my notifications",
  description:
    "Lists what you were notified of in this project (messages, files, approvals, proposals, tasks…), newest first, with whether you have read each one and the unread count. Only your own notifications.",
  scope: "read",
  allowedFor: () => true,
  input: z.strictObject({
    limit: z.number().int().min(1).max(50).default(20),
    before: z.string().max(120).optional().describe("The `next` of the previous page."),
  }),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        text: userText("What happened, as a sentence"),
        title: userText("The object's name"),
        created_at: z.string(),
        read: z.boolean(),
        href: z.string().describe("Where it leads in the portal."),
      }),
    ),
    next: z.string().nullable(),
    unread: z.number(),
  }),
  handler: async ({ ctx, input }) => {
    const userId = actorUserId(ctx.actor);
    const identity = userId === null ? null : await loadIdentity({ db: ctx.db, userId });
    if (!identity) throw new DomainError("FORBIDDEN", "Only people have notifications.");
    const page = await listNotifications({
      ctx: { db: ctx.db, identity, tenant: ctx.tenant, now: ctx.now },
      input: { limit: input.limit, surface: "portal", ...(input.before ? { before: input.before } : {}) },
    });
    return {
      items: page.items.map((n) => ({
        id: n.id,
        kind: n.kind,
        text: untrusted(n.text),
        title: untrusted(n.title),
        created_at: n.created_at,
        read: n.read_at !== null,
        href: n.href,
      })),
      next: page.next,
      unread: page.unread,
    };
  },
});

export const notificationTools: readonly ToolDescriptor[] = [listNotificationsTool];
