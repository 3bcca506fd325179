/**
 * The cron's payment reminders (src/index.ts `scheduled`; decision 028): the domain picks the invoices and
 * sends through its sender seam (the e-mail outbox until the notification engine replaces it).
 */
import { portalOrigin, remindDueInvoices } from "@fataplus/domain";
import type { AppConfig } from "../config.ts";

export function remindInvoices(env: Env, config: AppConfig, now: Date = new Date()): Promise<number> {
  return remindDueInvoices({ db: env.DB, now, portalOrigin: (sub) => portalOrigin(config.siteUrl, sub) });
}
