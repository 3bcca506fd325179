/**
 * Recent activity of the portal (documents shared, requests asked and answered, approvals), from the audit
 * log. Clients never see activity about internal documents: each portal audit row records the visibility it
 * had, a client's query keeps only `client` rows, and of those only the ones whose document (uploaded, or asked
 * for approval) is still shared with clients.
 */
import { type ActivityRow, activityColumns } from "../activity/sql.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { hasCapability } from "../kernel/roles.ts";
import { assertPortalTenant } from "./tenant.ts";

/** An activity row of the portal, with the names it reads as a sentence with (activity/sql.ts). */
export type ActivityItem = ActivityRow;

const PORTAL_ACTIONS = [
  "document.upload",
  "request.create",
  "request.submit",
  "request.accept",
  "request.changes",
  "approval.request",
  "approval.approve",
  "approval.changes",
];

/**
 * For clients, what each entity's rows need beyond the visibility they were written with: the document (of an
 * upload, or the one an approval is about) must still be shared with clients now, or its title would outlive
 * the change to internal (security review, issue 14).
 */
const STILL_SHARED: Record<string, string> = {
  documents: `
               AND EXISTS (SELECT 1 FROM documents d
                 WHERE d.tenant_id = a.tenant_id AND d.id = a.entity_id AND d.visibility = 'client')`,
  approvals: `
               AND EXISTS (SELECT 1 FROM approvals p JOIN documents d ON d.tenant_id = p.tenant_id AND d.id = p.document_id
                 WHERE p.tenant_id = a.tenant_id AND p.id = a.entity_id AND d.visibility = 'client')`,
};

export async function listPortalActivity({
  ctx,
  limit = 10,
}: {
  ctx: Ctx;
  limit?: number;
}): Promise<ActivityItem[]> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "tenant.read"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  // clients and partners: client-facing rows only, and people by their name only (never an address)
  const clientOnly = !hasCapability(ctx.role, "documents.read_internal");
  // One term per portal entity on audit_log's (tenant_id, entity, created_at) index, each stopping at `limit`
  // rows: the read does not grow with the tenant's other audit rows (docs/decisions/015-read-counters.md).
  const actions = PORTAL_ACTIONS.map((_, i) => `?${i + 3}`).join(", ");
  const term = (entity: string) => `SELECT * FROM (
      SELECT ${activityColumns({ emails: !clientOnly })}
      FROM audit_log a
      WHERE a.tenant_id = ?1 AND a.entity = '${entity}' AND a.action IN (${actions})
        ${
          clientOnly ? `AND json_extract(a.data, '$.visibility') = 'client'${STILL_SHARED[entity] ?? ""}` : ""
        }
      ORDER BY a.created_at DESC LIMIT ?2)`;
  const { results } = await ctx.db
    .prepare(
      `${["documents", "file_requests", "approvals"].map(term).join(" UNION ALL ")}
       ORDER BY created_at DESC LIMIT ?2`,
    )
    .bind(ctx.tenant.id, Math.min(Math.max(limit, 1), 50), ...PORTAL_ACTIONS)
    .all<ActivityItem>();
  return results;
}
