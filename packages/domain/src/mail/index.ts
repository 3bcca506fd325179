// The e-mail outbox (docs/decisions/012-email-outbox.md): queueing inside a verb's batch (outbox.ts), the
// mailers (mailer.ts), delivery after the commit (deliver.ts), the admins' reading (read.ts).
export * from "./deliver.ts";
export * from "./mailer.ts";
export * from "./outbox.ts";
export * from "./read.ts";
export * from "./schemas.ts";
