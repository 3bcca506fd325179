/** Tenant-scoped reads of the data API's entities for the domain's own callers (MCP tools, scripts). */
import { z } from "zod";
import { countedFields, isCountedEntity, TOTAL } from "../counters/index.ts";
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
  /** Rows to skip: reads grow with it. `cursor` (the previous page's `meta.next`) reads only the page. */
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  cursor: z.string().max(400).optional(),
});

/** A count above this is reported as "more than CAP" (`meta.totalCapped`): the count reads at most CAP + 1 rows. */
export const COUNT_CAP = 1000;

type Sort = { sql: string; field: string; desc: boolean; key: string };

function parseSort(entity: ExposedEntity, sort: string | undefined, role: TenantRole): Sort {
  const raw = sort ?? entities[entity].sort;
  const desc = raw.startsWith("-");
  const field = desc ? raw.slice(1) : raw;
  if (!queryableFields(entity, role).includes(field)) {
    throw new DomainError("BAD_QUERY", `Cannot sort ${entity} by "${field}".`);
  }
  // rowid breaks ties: every secondary index ends with it, so (tenant_id, field) indexes serve the whole
  // ORDER BY and a page reads a page of rows, not the tenant's every row (docs/decisions/011).
  const dir = desc ? "DESC" : "ASC";
  return { sql: `"${field}" ${dir}, rowid ${dir}`, field, desc, key: raw };
}

/** The keyset cursor: the sort it belongs to, and the last row's sort value and rowid (base64url JSON). */
const cursorShape = z.tuple([z.string(), z.union([z.string(), z.number(), z.null()]), z.number().int()]);
const encodeCursor = (sort: string, value: unknown, rowid: number) =>
  btoa(JSON.stringify([sort, value ?? null, rowid]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

function decodeCursor(cursor: string, sort: Sort) {
  let raw: unknown = null;
  try {
    raw = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
  } catch {
    raw = null;
  }
  const parsed = cursorShape.safeParse(raw);
  if (!parsed.success) throw new DomainError("BAD_QUERY", "This cursor is not one a previous page returned.");
  const [key, value, rowid] = parsed.data;
  if (key !== sort.key)
    throw new DomainError(
      "BAD_QUERY",
      "This cursor belongs to another sort: start again from the first page.",
    );
  return { value, rowid };
}

/**
 * The rows after the cursor in the sort's order (SQLite puts NULLs first ascending, last descending), as one
 * range of the (tenant_id, field, rowid) index.
 */
function afterCursor(sort: Sort, value: string | number | null, rowid: number) {
  const f = `"${sort.field}"`;
  if (value === null)
    return sort.desc
      ? { sql: `(${f} IS NULL AND rowid < ?)`, params: [rowid] }
      : { sql: `(${f} IS NOT NULL OR rowid > ?)`, params: [rowid] };
  return sort.desc
    ? { sql: `((${f}, rowid) < (?, ?) OR ${f} IS NULL)`, params: [value, rowid] }
    : { sql: `(${f}, rowid) > (?, ?)`, params: [value, rowid] };
}

/** An equality filter ({ field: value, other: null }) through the one where-clause validator. */
const whereOfFilter = (filter: Record<string, string | number | null>) =>
  Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v === null ? { $isnull: true } : v]));

/**
 * The counter (migrations/0010_read_counters.sql) that holds the number of rows an equality filter matches,
 * or null when none does: no filter is the entity's total, one counted field its counter, and a task's
 * project and status together the (project_id, status) counter.
 */
export function counterFor(entity: ExposedEntity, filter: Record<string, string | number | null>) {
  const entries = Object.entries(filter);
  if (entries.some(([, v]) => v === null)) return null;
  if (entries.length === 0) return TOTAL;
  const fields: readonly string[] = isCountedEntity(entity) ? countedFields[entity] : [];
  if (entries.length === 1) {
    const [[field, value]] = entries as [[string, string | number]];
    return fields.includes(field) ? { field, value: String(value) } : null;
  }
  if (entity === "tasks" && entries.length === 2 && filter.project_id != null && filter.status != null)
    return { field: "project_status", value: `${filter.project_id}|${filter.status}` };
  return null;
}

export async function listRecords({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { entity, filter = {}, sort: sortRaw, limit, offset, cursor } = parse(listInput, input, "list query");
  assertCan(ctx, entity, "read");
  if (cursor && offset > 0)
    throw new DomainError("BAD_QUERY", "Give either a cursor or an offset, not both.");
  const sort = parseSort(entity, sortRaw, ctx.role);
  const where = compileWhere(entity, parseWhere(entity, whereOfFilter(filter), ctx.role));
  const params = [ctx.tenant.id, ...where.params];
  const clause = `tenant_id = ? AND ${where.sql}`;
  const after = cursor ? decodeCursor(cursor, sort) : null;
  const range = after ? afterCursor(sort, after.value, after.rowid) : null;
  const key = counterFor(entity, filter);
  // the total from its counter (one row), or a count capped at COUNT_CAP + 1 rows
  const count = key
    ? ctx.db
        .prepare(
          `SELECT coalesce((SELECT n FROM record_counts WHERE tenant_id = ? AND entity = ? AND field = ? AND value = ?), 0) AS total`,
        )
        .bind(ctx.tenant.id, entity, key.field, key.value)
    : ctx.db
        .prepare(`SELECT count(*) AS total FROM (SELECT 1 FROM ${entity} WHERE ${clause} LIMIT ?)`)
        .bind(...params, COUNT_CAP + 1);
  const [rows, counted] = await ctx.db.batch<(RecordRow & { __rowid: number }) | { total: number }>([
    ctx.db
      .prepare(
        `SELECT *, rowid AS __rowid FROM ${entity} WHERE ${clause}${range ? ` AND ${range.sql}` : ""}
         ORDER BY ${sort.sql} LIMIT ? OFFSET ?`,
      )
      .bind(...params, ...(range?.params ?? []), limit + 1, offset),
    count,
  ]);
  const found = (rows?.results ?? []) as Array<RecordRow & { __rowid: number }>;
  const shown = found.slice(0, limit);
  const last = shown.at(-1);
  const total = (counted?.results[0] as { total: number } | undefined)?.total ?? 0;
  return {
    data: shown.map(({ __rowid, ...row }) => row),
    meta: {
      total: Math.min(total, key ? total : COUNT_CAP),
      totalCapped: !key && total > COUNT_CAP,
      limit,
      offset,
      next: found.length > limit && last ? encodeCursor(sort.key, last[sort.field], last.__rowid) : null,
    },
  };
}

const countInput = z.strictObject({ entity: entityName, where: z.unknown().optional() });

/**
 * How many of the tenant's rows a where-clause matches, exactly (the data API's `fn/count`): from the counter
 * when the clause is equalities that a counter holds (one row read), else a count of the matching rows.
 */
export async function countRecords({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ count: number }> {
  const { entity, where: raw } = parse(countInput, input, "count query");
  assertCan(ctx, entity, "read");
  const where = parseWhere(entity, raw ?? {}, ctx.role);
  const equalities: Record<string, string | number> = {};
  for (const [field, cond] of Object.entries(where)) {
    const value = cond.$eq;
    if (Object.keys(cond).length !== 1 || (typeof value !== "string" && typeof value !== "number")) break;
    equalities[field] = value;
  }
  const key =
    Object.keys(equalities).length === Object.keys(where).length ? counterFor(entity, equalities) : null;
  const compiled = compileWhere(entity, where);
  const row = key
    ? await ctx.db
        .prepare(
          "SELECT coalesce((SELECT n FROM record_counts WHERE tenant_id = ? AND entity = ? AND field = ? AND value = ?), 0) AS n",
        )
        .bind(ctx.tenant.id, entity, key.field, key.value)
        .first<{ n: number }>()
    : await ctx.db
        .prepare(`SELECT count(*) AS n FROM ${entity} WHERE tenant_id = ? AND ${compiled.sql}`)
        .bind(ctx.tenant.id, ...compiled.params)
        .first<{ n: number }>();
  return { count: row?.n ?? 0 };
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
