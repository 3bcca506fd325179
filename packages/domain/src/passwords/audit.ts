/**
 * The audit row of an account's own security event (a reset asked for or used, a password changed). An account
 * belongs to no tenant, so the row goes to the agency's workspace (the oldest active agency tenant that is not
 * the bootcamp's, as the intake does), whose admins watch the platform; it names the user, never the password.
 */
import type { Actor } from "../kernel/context.ts";
import { newId } from "../kernel/ids.ts";
import { BOOTCAMP_SUBDOMAIN } from "../vocabulary/subdomains.ts";

export function accountAuditRow(
  db: D1Database,
  row: {
    action: string;
    userId: number;
    /** The person, when they act (a signed-in change, a used link); the system for an anonymous request. */
    actorType: Actor["type"];
    data?: unknown;
    at: string;
    /** Only when the statement just before it in the batch changed one row. */
    onlyIfChanged?: boolean;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
       SELECT ?1, t.id, ?2, ?8, ?4, 'users', ?3, ?5, ?6 FROM tenants t
       WHERE t.kind = 'agency' AND t.status = 'active' AND t.subdomain <> ?7 ${row.onlyIfChanged ? "AND changes() = 1" : ""}
       ORDER BY t.created_at, t.id LIMIT 1`,
    )
    .bind(
      newId(),
      row.actorType,
      String(row.userId),
      row.action,
      row.data === undefined ? null : JSON.stringify(row.data),
      row.at,
      BOOTCAMP_SUBDOMAIN,
      row.actorType === "system" ? null : String(row.userId),
    );
}
