// Notifications (docs/decisions/027-notifications.md): the engine's one write (write.ts), reading one's own
// (read.ts), preferences and unsubscribe links (preferences.ts), e-mail by the cron (email.ts), reminders of
// tasks due (due.ts).
export * from "./due.ts";
export * from "./email.ts";
export * from "./preferences.ts";
export * from "./read.ts";
export * from "./write.ts";
