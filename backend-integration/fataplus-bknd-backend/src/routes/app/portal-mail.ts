/** Overdue reminders of requested files go to the e-mail outbox (packages/domain/src/mail, decision 012). */
import { type Ctx, queueMail, remindOverdueRequests } from "@fataplus/domain";
import { parseConfig } from "../../config.ts";
import { runtimeEnv } from "../../runtime.ts";

/** The project's portal: its subdomain of the public site (PUBLIC_SITE_URL). */
function portalUrl(subdomain: string): string {
  const site = new URL(parseConfig(runtimeEnv()).siteUrl);
  site.hostname = `${subdomain}.${site.hostname}`;
  return site.origin;
}

export function remindOverdue(ctx: Ctx) {
  return remindOverdueRequests({
    ctx,
    queueMail: (db, m) => queueMail(db, m, ctx.now()),
    portalUrl: portalUrl(ctx.tenant.subdomain),
  });
}
