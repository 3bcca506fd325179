/**
 * Tenant-scoped verbs for the entities of the data API. Every statement names the tenant; every write checks
 * the role, validates with the entity's zod schema, checks that references stay in the tenant, and writes
 * the change and its audit row in one D1 batch (docs/decisions/013-one-write-path.md).
 */
export * from "./bulk.ts";
export * from "./guards.ts";
export * from "./read.ts";
export * from "./where.ts";
export * from "./write.ts";
