import { actorId, type Ctx } from "./context.ts";
import { newId, nowIso } from "./ids.ts";

/** An audit row, as a statement to put in the same D1 batch as the write it records. */
export function auditStatement(
  ctx: Ctx,
  action: string,
  entity: string,
  entityId: string | null,
  data: unknown = null,
): D1PreparedStatement {
  return ctx.db
    .prepare(
      "INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      newId(),
      ctx.tenant.id,
      ctx.actor.type,
      actorId(ctx.actor),
      action,
      entity,
      entityId,
      data === null ? null : JSON.stringify(data),
      nowIso(ctx.now()),
    );
}

export type AuditEntry = { action: string; entity: string; entityId: string | null; data?: unknown };

/**
 * The one way a verb writes: the change and its audit row in one D1 batch, so both commit or neither does.
 * `statements` may carry anything else that belongs to the change (queued mail, counters).
 */
export function writeWithAudit(
  ctx: Ctx,
  statements: readonly D1PreparedStatement[],
  audit: AuditEntry,
): Promise<D1Result[]> {
  return ctx.db.batch([
    ...statements,
    auditStatement(ctx, audit.action, audit.entity, audit.entityId, audit.data ?? null),
  ]);
}
