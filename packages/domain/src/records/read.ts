/** Tenant-scoped reads of the data API's entities for the domain's own callers (MCP tools, scripts). */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import type { ExposedEntity, TenantRole } from "../kernel/roles.ts";
import { entities } from "./entities.ts";
import { assertCan, entityName, type RecordRow, recordId } from "./guards.ts";
import { compileWhere, parseWhere, queryableFields } from "./where.ts";

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

export const listInput = z.strictObject({
  entity: entityName,
  filter: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  sort: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

function parseSort(entity: ExposedEntity, sort: string | undefined, role: TenantRole): string {
  const raw = sort ?? entities[entity].sort;
  const desc = raw.startsWith("-");
  const field = desc ? raw.slice(1) : raw;
  if (!queryableFields(entity, role).includes(field)) {
    throw new DomainError("BAD_QUERY", `Cannot sort ${entity} by "${field}".`);
  }
  // rowid breaks ties: every secondary index ends with it, so (tenant_id, field) indexes serve the whole
  // ORDER BY and a page reads a page of rows, not the tenant's every row (docs/decisions/011).
  return `"${field}" ${desc ? "DESC" : "ASC"}, rowid ${desc ? "DESC" : "ASC"}`;
}

/** An equality filter ({ field: value, other: null }) through the one where-clause validator. */
const whereOfFilter = (filter: Record<string, string | number | null>) =>
  Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v === null ? { $isnull: true } : v]));

export async function listRecords({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { entity, filter = {}, sort, limit, offset } = parse(listInput, input, "list query");
  assertCan(ctx, entity, "read");
  const where = compileWhere(entity, parseWhere(entity, whereOfFilter(filter), ctx.role));
  const params = [ctx.tenant.id, ...where.params];
  const clause = `tenant_id = ? AND ${where.sql}`;
  const [rows, count] = await ctx.db.batch<RecordRow | { total: number }>([
    ctx.db
      .prepare(
        `SELECT * FROM ${entity} WHERE ${clause} ORDER BY ${parseSort(entity, sort, ctx.role)} LIMIT ? OFFSET ?`,
      )
      .bind(...params, limit, offset),
    ctx.db.prepare(`SELECT count(*) AS total FROM ${entity} WHERE ${clause}`).bind(...params),
  ]);
  return {
    data: (rows?.results ?? []) as RecordRow[],
    meta: { total: (count?.results[0] as { total: number } | undefined)?.total ?? 0, limit, offset },
  };
}

const getInput = z.strictObject({ entity: entityName, id: recordId });

export async function getRecord({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow> {
  const { entity, id } = parse(getInput, input, "record reference");
  assertCan(ctx, entity, "read");
  const row = await ctx.db
    .prepare(`SELECT * FROM ${entity} WHERE tenant_id = ? AND id = ?`)
    .bind(ctx.tenant.id, id)
    .first<RecordRow>();
  if (!row) throw new DomainError("NOT_FOUND", `No ${entity} with this id in this project.`);
  return row;
}
