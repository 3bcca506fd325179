/**
 * Reminders of overdue requested files (decision 012: they go to the e-mail outbox). The agency sends them from
 * the portal, and the cron sends them once an hour for every active project (the verb sends at most one a day
 * per item). Links point to the project's portal on the public site, never to an address from a request.
 */
import { portalOrigin } from "../intake/index.ts";
import type { Ctx, TenantRef } from "../kernel/context.ts";
import { queueMail } from "../mail/index.ts";
import { remindOverdueRequests } from "./requests.ts";
import { hasPortal } from "./tenant.ts";

/** The tenant's overdue requested files go to its clients' outbox (agency roles only: the verb checks). */
export function remindOverdue({ ctx, siteUrl }: { ctx: Ctx; siteUrl: string }) {
  return remindOverdueRequests({
    ctx,
    queueMail: (db, m) => queueMail(db, m, ctx.now()),
    portalUrl: portalOrigin(siteUrl, ctx.tenant.subdomain),
  });
}

/** The cron runs every 5 minutes; reminders go out in the first 5 minutes of each hour. */
export const isReminderSlot = (now: Date): boolean => now.getUTCMinutes() < 5;

/** At most this many projects are reminded per run (tenant by tenant: every query stays on its indexes). */
export const REMINDER_TENANTS_MAX = 1000;

/** The active project tenants that have a portal (the bootcamp's tenant has none). */
export async function listPortalProjects(db: D1Database): Promise<TenantRef[]> {
  const { results } = await db
    .prepare(
      "SELECT id, name, subdomain, kind FROM tenants WHERE kind = 'project' AND status = 'active' LIMIT ?",
    )
    .bind(REMINDER_TENANTS_MAX)
    .all<TenantRef>();
  return results.filter((t) => hasPortal(t));
}

/** The system acting in one project for the reminders run. */
export const reminderCtx = (db: D1Database, tenant: TenantRef, now: Date): Ctx => ({
  db,
  tenant,
  role: "admin",
  actor: { type: "system", reason: "overdue reminders" },
  now: () => now,
});

/**
 * The hourly run: every active project's overdue requested files get their reminder. One project failing does
 * not stop the others: its error is returned for the caller to log.
 */
export async function remindAllProjects({
  db,
  siteUrl,
  now,
}: {
  db: D1Database;
  siteUrl: string;
  now: Date;
}): Promise<{ reminded: number; failed: Array<{ tenantId: string; error: unknown }> }> {
  const failed: Array<{ tenantId: string; error: unknown }> = [];
  if (!isReminderSlot(now)) return { reminded: 0, failed };
  let reminded = 0;
  for (const tenant of await listPortalProjects(db)) {
    try {
      reminded += (await remindOverdue({ ctx: reminderCtx(db, tenant, now), siteUrl })).reminded;
    } catch (error) {
      failed.push({ tenantId: tenant.id, error });
    }
  }
  return { reminded, failed };
}
