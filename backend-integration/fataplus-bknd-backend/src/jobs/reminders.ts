/**
 * The cron's reminders (src/index.ts `scheduled`): the domain decides the hourly slot, which projects and what
 * is overdue (packages/domain/src/portal/reminders.ts); this job runs it and logs the projects that failed.
 */
import { remindAllProjects as remindAll } from "@fataplus/domain";
import type { AppConfig } from "../config.ts";

export async function remindAllProjects(
  env: Env,
  config: AppConfig,
  now: Date = new Date(),
): Promise<number> {
  const { reminded, failed } = await remindAll({ db: env.DB, siteUrl: config.siteUrl, now });
  for (const f of failed)
    console.error(
      "overdue reminders failed",
      f.tenantId,
      f.error instanceof Error ? f.error.message : f.error,
    );
  return reminded;
}
