/** Who may do what in the portal, beyond the permission table: the agency's side (project managers, admins). */
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { hasCapability } from "../kernel/roles.ts";

/** True for the agency's roles in the tenant (project managers, admins): they change documents and requests. */
export const isAgency = (ctx: Ctx) => hasCapability(ctx.role, "documents.manage");

/**
 * True for the roles that read the internal documents: the agency's. Kept apart from `isAgency` (who changes
 * documents) so that a reader who changes nothing could be given them (decision 026 keeps partners out).
 */
export const readsInternal = (ctx: Ctx) => hasCapability(ctx.role, "documents.read_internal");

/** Agency roles only (project managers, admins). */
export function assertAgency(ctx: Ctx, what = "This"): void {
  if (!isAgency(ctx)) throw new DomainError("FORBIDDEN", `${what} is for the project's managers.`);
}

/** Anyone who may read the project's client-facing documents. */
export function assertReadsDocuments(ctx: Ctx): void {
  if (!hasCapability(ctx.role, "documents.read_client_facing"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
}
