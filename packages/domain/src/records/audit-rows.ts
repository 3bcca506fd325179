/**
 * The audit row of an update or a delete, computed in SQL from the rows it is about to change. It goes first
 * in the write's D1 batch (before the UPDATE or DELETE, which may change the very fields the clause names),
 * so it names exactly the rows the write changes, and it is written only when at least one row matches: a
 * write that changes nothing leaves no audit row. One batch is one transaction: both commit or neither does.
 */
import { actorId, type Ctx } from "../kernel/context.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import type { ExposedEntity } from "../kernel/roles.ts";
import type { CompiledWhere } from "./where.ts";

export type AuditOfMatching = {
  action: string;
  entity: ExposedEntity;
  /** The clause of the write, without the tenant condition (added here). */
  where: CompiledWhere;
  /**
   * "one": the write names one row by id; the row's id is the audit row's entity_id and `set` its data.
   * "many": entity_id is the id when exactly one row matched; data is { ids, count, set? }.
   */
  shape: "one" | "many";
  /** The fields and values the write sets (updates), or nothing (deletes). */
  set?: Record<string, unknown>;
};

export function auditOfMatching(ctx: Ctx, a: AuditOfMatching): { stmt: D1PreparedStatement; bound: number } {
  const setJson = a.set === undefined ? null : JSON.stringify(a.set);
  const data =
    a.shape === "one"
      ? "json(?)"
      : `json_object('ids', json(m.ids), 'count', m.n${a.set === undefined ? "" : ", 'set', json(?)"})`;
  const dataParams = a.shape === "one" || a.set !== undefined ? [setJson] : [];
  const entityId = a.shape === "one" ? "m.one" : "CASE WHEN m.n = 1 THEN m.one END";
  const params = [
    newId(),
    ctx.tenant.id,
    ctx.actor.type,
    actorId(ctx.actor),
    a.action,
    a.entity,
    ...dataParams,
    nowIso(ctx.now()),
    ctx.tenant.id,
    ...a.where.params,
  ];
  const stmt = ctx.db
    .prepare(
      `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ${entityId}, ${data}, ?
       FROM (SELECT count(*) AS n, min(id) AS one, json_group_array(id) AS ids
             FROM ${a.entity} WHERE tenant_id = ? AND ${a.where.sql}) AS m
       WHERE m.n > 0`,
    )
    .bind(...params);
  return { stmt, bound: params.length };
}
