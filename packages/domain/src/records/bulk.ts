/**
 * Bulk writes of the data API: update or delete every row of the tenant that a where-clause matches. The
 * clause goes through the one validator (./where.ts) and is compiled to parameterised SQL; the change and
 * an audit row naming every changed id are one D1 batch, the audit row computed in SQL from the same clause
 * just before the change, so it names exactly the rows changed (docs/decisions/013).
 *
 * A bulk write must say which rows it changes (security review, decision 019): an empty clause, which would
 * mean every row of the entity in the tenant, is refused, and one call changes at most MAX_BULK_ROWS rows.
 * The cap is part of the statements' own clause (the audit row's and the write's, in one batch), so rows added
 * by a concurrent request can't push a call past it; a call refused by it changes nothing and is told why.
 */

import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import type { ExposedEntity } from "../kernel/roles.ts";
import { MAX_BULK_ROWS } from "../vocabulary/records.ts";
import { assertCan, assertReferencesInTenant, entityName, type RecordRow } from "./guards.ts";
import { assertRowRules } from "./rules.ts";
import { type CompiledWhere, compileWhere, parseWhere } from "./where.ts";
import { parseChanges, writeDelete, writeUpdate } from "./write.ts";

const updateManyInput = z.strictObject({ entity: entityName, where: z.unknown(), data: z.unknown() });

/** Sets the fields `data` names (plus updated_at) on every matching row; returns the rows as they are after. */
export async function updateRecords({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow[]> {
  const { entity, where, data: raw } = parse(updateManyInput, input, "bulk update");
  assertCan(ctx, entity, "update");
  const data = parseChanges(ctx, entity, raw);
  assertRowRules(entity, data);
  const compiled = bulkClause(ctx, entity, where);
  await assertReferencesInTenant(ctx.db, ctx.tenant.id, entity, data);
  return withinCap(
    ctx,
    entity,
    compiled,
    await writeUpdate(ctx, entity, capped(ctx, entity, compiled), data, "many"),
  );
}

const deleteManyInput = z.strictObject({ entity: entityName, where: z.unknown() });

/** Deletes every matching row, all or none (a row still referenced refuses the whole delete with a 409). */
export async function deleteRecords({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow[]> {
  const { entity, where } = parse(deleteManyInput, input, "bulk delete");
  assertCan(ctx, entity, "delete");
  const compiled = bulkClause(ctx, entity, where);
  return withinCap(
    ctx,
    entity,
    compiled,
    await writeDelete(ctx, entity, capped(ctx, entity, compiled), "many"),
  );
}

/** The validated, compiled clause of a bulk write, which must name at least one condition. */
function bulkClause(ctx: Ctx, entity: ExposedEntity, raw: unknown): CompiledWhere {
  const where = parseWhere(entity, raw, ctx.role);
  if (Object.keys(where).length === 0) {
    throw new DomainError(
      "VALIDATION",
      "A bulk update or delete needs a filter: say in where which rows it changes (an empty where would change every row).",
    );
  }
  return compileWhere(entity, where);
}

/** The clause, true only while it matches at most MAX_BULK_ROWS rows of the tenant (SQLite counts once). */
function capped(ctx: Ctx, entity: ExposedEntity, where: CompiledWhere): CompiledWhere {
  return {
    sql: `${where.sql} AND (SELECT count(*) FROM ${entity} WHERE tenant_id = ? AND ${where.sql}) <= ${MAX_BULK_ROWS}`,
    params: [...where.params, ctx.tenant.id, ...where.params],
  };
}

/** Nothing changed: when the clause matches too many rows, that is the reason, and the caller is told. */
async function withinCap(
  ctx: Ctx,
  entity: ExposedEntity,
  where: CompiledWhere,
  rows: RecordRow[],
): Promise<RecordRow[]> {
  if (rows.length > 0) return rows;
  const matching = await ctx.db
    .prepare(`SELECT count(*) AS n FROM ${entity} WHERE tenant_id = ? AND ${where.sql}`)
    .bind(ctx.tenant.id, ...where.params)
    .first<{ n: number }>();
  const n = matching?.n ?? 0;
  if (n > MAX_BULK_ROWS) {
    throw new DomainError(
      "UNPROCESSABLE",
      `This filter matches ${n} rows; one bulk update or delete may change at most ${MAX_BULK_ROWS}. Narrow the filter, or change the rows in several calls.`,
    );
  }
  return rows;
}
