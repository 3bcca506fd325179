// The client portal's verbs and types: documents, file requests, approvals, messages, counters, signed links.
export * from "./access.ts";
export * from "./activity.ts";
export * from "./approvals.ts";
export * from "./counters.ts";
export * from "./document-edit.ts";
export * from "./document-upload.ts";
export * from "./documents.ts";
export * from "./downloads.ts";
export * from "./files.ts";
export * from "./home.ts";
export * from "./live.ts";
export * from "./messages.ts";
export * from "./reminders.ts";
export * from "./requests.ts";
export * from "./schemas.ts";
export * from "./signed.ts";
export * from "./tenant.ts";
