/**
 * Which tenants have a project portal. The bootcamp's tenant has none: its learners are `client` members, and a
 * portal there would give them one message thread, activity feed and document list shared with every other
 * learner (decision 010: learners see only their own work). Every portal verb asks first, so REST, MCP and the
 * live channel all get the same answer.
 */
import { BOOTCAMP_SUBDOMAIN } from "../bootcamp/access.ts";
import type { TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";

export const hasPortal = (tenant: Pick<TenantRef, "subdomain">): boolean =>
  tenant.subdomain !== BOOTCAMP_SUBDOMAIN;

export function assertPortalTenant(ctx: { tenant: Pick<TenantRef, "subdomain"> }): void {
  if (!hasPortal(ctx.tenant)) throw new DomainError("NOT_FOUND", "The bootcamp has no project portal.");
}
