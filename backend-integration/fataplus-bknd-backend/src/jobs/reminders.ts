/** Overdue reminders of requested files go to the e-mail outbox (packages/domain/src/mail, decision 012). */
import { type Ctx, queueMail, remindOverdueRequests } from "@fataplus/domain";
import type { AppConfig } from "../config.ts";

/** The project's portal: its subdomain of the public site (PUBLIC_SITE_URL). */
function portalUrl(siteUrl: string, subdomain: string): string {
  const site = new URL(siteUrl);
  site.hostname = `${subdomain}.${site.hostname}`;
  return site.origin;
}

export function remindOverdue(ctx: Ctx, config: AppConfig) {
  return remindOverdueRequests({
    ctx,
    queueMail: (db, m) => queueMail(db, m, ctx.now()),
    portalUrl: portalUrl(config.siteUrl, ctx.tenant.subdomain),
  });
}

/**
 * The cron's part (src/index.ts `scheduled`): once an hour, every active project's overdue requested files
 * get their reminder (the verb sends at most one a day per item). Tenant by tenant, so every query stays on
 * the tenant's indexes.
 */
export async function remindAllProjects(
  env: Env,
  config: AppConfig,
  now: Date = new Date(),
): Promise<number> {
  if (now.getUTCMinutes() >= 5) return 0; // the cron runs every 5 minutes; reminders once an hour
  const { results } = await env.DB.prepare(
    "SELECT id, name, subdomain, kind FROM tenants WHERE kind = 'project' AND status = 'active' LIMIT 1000",
  ).all<Ctx["tenant"]>();
  let reminded = 0;
  for (const tenant of results) {
    try {
      const ctx: Ctx = {
        db: env.DB,
        tenant,
        role: "admin",
        actor: { type: "system", reason: "overdue reminders" },
        now: () => now,
      };
      reminded += (await remindOverdue(ctx, config)).reminded;
    } catch (err) {
      console.error("overdue reminders failed", tenant.id, err instanceof Error ? err.message : err);
    }
  }
  return reminded;
}
