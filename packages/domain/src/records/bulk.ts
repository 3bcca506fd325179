/**
 * Bulk writes of the data API: update or delete every row of the tenant that a where-clause matches. The
 * clause goes through the one validator (./where.ts) and is compiled to parameterised SQL; the change and
 * an audit row naming every changed id are one D1 batch, the audit row computed in SQL from the same clause
 * just before the change, so it names exactly the rows changed (docs/decisions/013). An empty clause means
 * every row of the tenant, as bknd's bulk routes did.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { assertCan, assertReferencesInTenant, entityName, type RecordRow } from "./guards.ts";
import { compileWhere, parseWhere } from "./where.ts";
import { parseChanges, writeDelete, writeUpdate } from "./write.ts";

const updateManyInput = z.strictObject({ entity: entityName, where: z.unknown(), data: z.unknown() });

/** Sets the fields `data` names (plus updated_at) on every matching row; returns the rows as they are after. */
export async function updateRecords({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow[]> {
  const { entity, where, data: raw } = parse(updateManyInput, input, "bulk update");
  assertCan(ctx, entity, "update");
  const data = parseChanges(ctx, entity, raw);
  const compiled = compileWhere(entity, parseWhere(entity, where, ctx.role));
  await assertReferencesInTenant(ctx.db, ctx.tenant.id, entity, data);
  return writeUpdate(ctx, entity, compiled, data, "many");
}

const deleteManyInput = z.strictObject({ entity: entityName, where: z.unknown() });

/** Deletes every matching row, all or none (a row still referenced refuses the whole delete with a 409). */
export async function deleteRecords({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow[]> {
  const { entity, where } = parse(deleteManyInput, input, "bulk delete");
  assertCan(ctx, entity, "delete");
  return writeDelete(ctx, entity, compileWhere(entity, parseWhere(entity, where, ctx.role)), "many");
}
