/** Overdue reminders go to the e-mail outbox (packages/domain/src/mail, once merged from main). */
import { type Ctx, type Mailer, remindOverdueRequests } from "@fataplus/domain";
import type { Context } from "hono";

/** Until the outbox lands: a statement that records nothing (replaced by queueMail on merge). */
const queueMail: Mailer = (db) => db.prepare("SELECT 1");

export function remindOverdue(c: Context, ctx: Ctx) {
  const portalUrl = new URL(c.req.url).origin;
  return remindOverdueRequests({ ctx, queueMail, portalUrl });
}
