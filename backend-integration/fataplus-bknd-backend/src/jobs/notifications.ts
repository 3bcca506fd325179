/**
 * The cron's notification pass (docs/decisions/027-notifications.md): tasks due tomorrow or overdue are told to
 * their assignee (in the hourly slot; repeated passes change nothing), then the notification e-mails that are
 * due (at once, a project's digest, the daily summary) are queued in the outbox, which the mail job delivers.
 */
import { isReminderSlot, notifyTasksDue, sendNotificationEmails } from "@fataplus/domain";
import { type AppConfig, filesSecret } from "../config.ts";

export async function sendNotifications(env: Env, config: AppConfig, now: Date = new Date()): Promise<void> {
  try {
    if (isReminderSlot(now)) {
      const due = await notifyTasksDue({ db: env.DB, now });
      for (const f of due.failed)
        console.error(
          "task reminders failed",
          f.tenantId,
          f.error instanceof Error ? f.error.message : f.error,
        );
    }
    await sendNotificationEmails({ db: env.DB, now, siteUrl: config.siteUrl, secret: filesSecret(config) });
  } catch (err) {
    // never fails the cron: pending rows stay pending and the next pass takes them
    console.error("notification e-mails failed", err instanceof Error ? err.message : err);
  }
}
