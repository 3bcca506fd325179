/**
 * The audit row of an account's own password event (a reset asked for or used, a password changed), in the
 * agency's workspace (kernel/audit.ts `accountAuditRow`); it names the user, never the password.
 */

import { accountAuditRow as agencyAuditRow } from "../kernel/audit.ts";
import type { Actor } from "../kernel/context.ts";

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
  return agencyAuditRow(db, {
    action: row.action,
    actorType: row.actorType,
    actorId: row.actorType === "system" ? null : String(row.userId),
    entity: "users",
    entityId: String(row.userId),
    data: row.data,
    at: row.at,
    ...(row.onlyIfChanged ? { onlyIfChanged: true } : {}),
  });
}
