/**
 * The CRM works across projects: agency staff and admins see every active tenant, other people the tenants
 * where they are project managers or admins. Clients never reach the CRM. Every cross-tenant query in this
 * folder filters with `managedTenants()` so the scope is decided in one place, from the database.
 */
import type { Identity } from "../auth/identity.ts";
import { type AuditEntry, auditRow } from "../kernel/audit.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { managerRoles } from "../vocabulary/access.ts";

export type CrmCtx = { db: D1Database; identity: Identity; now: () => Date };

export type Scope = { sql: string; binds: unknown[] };

/**
 * Whether the identity's scope is every active tenant (agency staff and admins): then a cross-tenant total
 * reads agency_counts, one row, instead of a counter per tenant (docs/decisions/021-agency-counters.md).
 */
export function seesAllActiveTenants(identity: Identity): boolean {
  return identity.role === "admin" || identity.role === "staff";
}

/**
 * For agency staff over every active tenant: `column`'s tenant is active, a lookup of its row (one row read per
 * row tested) where `column IN (managedTenants)` would first read every active tenant to build the list.
 */
export const activeTenant = (column: string) =>
  `EXISTS (SELECT 1 FROM tenants WHERE tenants.id = ${column} AND tenants.status = 'active')`;

/** A subquery listing the ids of the tenants the identity manages, to use as `tenant_id IN (…)`. */
export function managedTenants(identity: Identity): Scope {
  if (seesAllActiveTenants(identity)) {
    return { sql: "SELECT id FROM tenants WHERE status = 'active'", binds: [] };
  }
  return {
    sql: `SELECT m.tenant_id AS id FROM memberships m JOIN tenants t ON t.id = m.tenant_id
          WHERE m.user_id = ? AND m.role IN (${managerRoles.map((r) => `'${r}'`).join(", ")}) AND t.status = 'active'`,
    binds: [identity.id],
  };
}

/** True when the identity manages at least one tenant: the condition to open the CRM at all. */
export async function canUseCrm(ctx: CrmCtx): Promise<boolean> {
  if (ctx.identity.role !== "member") return true;
  const scope = managedTenants(ctx.identity);
  const row = await ctx.db
    .prepare(`SELECT 1 AS ok FROM (${scope.sql}) LIMIT 1`)
    .bind(...scope.binds)
    .first();
  return row !== null;
}

export async function assertCrm(ctx: CrmCtx): Promise<void> {
  if (!(await canUseCrm(ctx))) {
    throw new DomainError("FORBIDDEN", "The CRM is for agency staff and project managers.");
  }
}

/** `%term%` for LIKE with `ESCAPE '\'`, so that % and _ typed by the user match themselves. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** The audit row of a change the identity (a person) makes in `tenantId`, one of the tenants it manages. */
export function crmAudit(ctx: CrmCtx, tenantId: string, entry: AuditEntry): D1PreparedStatement {
  return auditRow(ctx.db, {
    tenantId,
    actorType: "user",
    actorId: String(ctx.identity.id),
    ...entry,
    at: nowIso(ctx.now()),
  });
}
