/**
 * Rules across a record's fields that a zod schema of one body cannot see (decision 033): a lead moving to
 * "lost" says why, in the same write or already. Checked by the data API's write verbs (create, update, bulk
 * update) before their batch.
 */
import { DomainError } from "../kernel/errors.ts";
import type { ExposedEntity } from "../kernel/roles.ts";

const filled = (v: unknown) => typeof v === "string" && v.trim() !== "";

export function lostReasonMissing(): DomainError {
  return new DomainError("VALIDATION", "Say why the lead was lost.", {
    details: [{ path: "lost_reason", message: "is required when the stage is lost", key: "required" }],
  });
}

/** A create body (or a bulk update's changes, which name no current row): lost needs its reason in it. */
export function assertRowRules(entity: ExposedEntity, data: Record<string, unknown>): void {
  if (entity === "leads" && data.stage === "lost" && !filled(data.lost_reason)) throw lostReasonMissing();
}

/** An update of one record: lost needs a reason in the update or already on the row. */
export async function assertUpdateRules(
  db: D1Database,
  tenantId: string,
  entity: ExposedEntity,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  if (entity !== "leads" || data.stage !== "lost" || filled(data.lost_reason)) return;
  if (data.lost_reason !== undefined) throw lostReasonMissing(); // cleared in the same write
  const row = await db
    .prepare("SELECT lost_reason FROM leads WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .first<{ lost_reason: string | null }>();
  if (!filled(row?.lost_reason)) throw lostReasonMissing();
}
