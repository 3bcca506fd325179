/**
 * `@fataplus/domain/vocabulary`: the domain's words without its machinery. Enums, limits and pure rules, with
 * no zod and no database, so that the site's islands can import them for a few hundred bytes. The domain's
 * schemas and verbs are built from these (one copy of each value); `@fataplus/domain/schemas` has the zod
 * schemas, the main entry the verbs.
 */
export * from "./access.ts";
export * from "./activity.ts";
export * from "./bootcamp.ts";
export * from "./crm.ts";
export * from "./intake.ts";
export * from "./limits.ts";
export * from "./money.ts";
export * from "./names.ts";
export * from "./notifications.ts";
export * from "./records.ts";
export * from "./security-headers.ts";
export * from "./subdomains.ts";
export * from "./time.ts";
