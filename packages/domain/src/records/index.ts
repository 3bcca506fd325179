/**
 * Tenant-scoped CRUD verbs for the entities of the data API. Every statement names the tenant; every write
 * checks the role, validates with the entity's zod schema, checks that references stay in the tenant, and
 * writes its audit row in the same D1 batch.
 */
import { z } from "zod";
import { auditStatement } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { type Action, can, type ExposedEntity } from "../kernel/roles.ts";
import { assertActorMayWrite } from "../tokens/index.ts";
import { entities } from "./entities.ts";

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

type Row = Record<string, unknown> & { id: string; tenant_id: string };

export function assertCan(ctx: Ctx, entity: ExposedEntity, action: Action): void {
  if (action !== "read") assertActorMayWrite(ctx.actor); // a read-only access token never writes
  if (!can(ctx.role, entity, action)) {
    throw new DomainError(
      "FORBIDDEN",
      `Your role (${ctx.role}) may not ${action} ${entity} in this project.`,
    );
  }
}

/** True when the row exists in this tenant. The query is an index lookup on (tenant_id, id). */
export async function recordExistsInTenant(
  db: D1Database,
  tenantId: string,
  entity: ExposedEntity,
  id: string,
) {
  const row = await db
    .prepare(`SELECT 1 AS ok FROM ${entity} WHERE tenant_id = ? AND id = ?`)
    .bind(tenantId, id)
    .first();
  return row !== null;
}

/**
 * Every reference in `data` must point at a row of the same tenant (users: a member of the tenant or agency
 * staff). One batch whatever the number of references. Throws UNPROCESSABLE naming the first bad field.
 */
export async function assertReferencesInTenant(
  db: D1Database,
  tenantId: string,
  entity: ExposedEntity,
  data: Record<string, unknown>,
): Promise<void> {
  const def = entities[entity];
  const checks: { field: string; stmt: D1PreparedStatement }[] = [];
  for (const [field, target] of Object.entries(def.references)) {
    const value = data[field];
    if (value === null || value === undefined) continue;
    checks.push({
      field,
      stmt: db
        .prepare(`SELECT 1 AS ok FROM ${target} WHERE tenant_id = ? AND id = ?`)
        .bind(tenantId, String(value)),
    });
  }
  for (const field of def.userReferences) {
    const value = data[field];
    if (value === null || value === undefined) continue;
    checks.push({
      field,
      stmt: db
        .prepare(
          `SELECT 1 AS ok FROM users u WHERE u.id = ?1 AND u.status = 'active' AND (u.role IN ('admin', 'staff')
           OR EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = ?2 AND m.user_id = u.id))`,
        )
        .bind(Number(value), tenantId),
    });
  }
  if (checks.length === 0) return;
  const results = await db.batch(checks.map((c) => c.stmt));
  results.forEach((r, i) => {
    if (r.results.length === 0) {
      const field = checks[i]?.field ?? "reference";
      throw new DomainError("UNPROCESSABLE", `${field} does not refer to anything in this project.`, {
        details: [{ path: field, message: "not found in this project" }],
      });
    }
  });
}

export const listInput = z.strictObject({
  entity: z.enum(Object.keys(entities) as [ExposedEntity, ...ExposedEntity[]]),
  filter: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  sort: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

function parseSort(entity: ExposedEntity, sort: string | undefined): string {
  const def = entities[entity];
  const raw = sort ?? def.sort;
  const desc = raw.startsWith("-");
  const field = desc ? raw.slice(1) : raw;
  if (!def.fields.includes(field)) {
    throw new DomainError("BAD_QUERY", `Cannot sort ${entity} by "${field}".`);
  }
  // rowid breaks ties: every secondary index ends with it, so (tenant_id, field) indexes serve the whole
  // ORDER BY and a page reads a page of rows, not the tenant's every row (docs/decisions/011).
  return `"${field}" ${desc ? "DESC" : "ASC"}, rowid ${desc ? "DESC" : "ASC"}`;
}

export async function listRecords({ ctx, input }: { ctx: Ctx; input: z.input<typeof listInput> }) {
  const parsed = listInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid list query");
  const { entity, filter = {}, sort, limit, offset } = parsed.data;
  assertCan(ctx, entity, "read");
  const def = entities[entity];
  const clauses = ["tenant_id = ?"];
  const params: unknown[] = [ctx.tenant.id];
  for (const [field, value] of Object.entries(filter)) {
    if (!def.fields.includes(field) || field === "tenant_id") {
      throw new DomainError("BAD_QUERY", `Cannot filter ${entity} by "${field}".`);
    }
    if (value === null) clauses.push(`"${field}" IS NULL`);
    else {
      clauses.push(`"${field}" = ?`);
      params.push(value);
    }
  }
  const where = clauses.join(" AND ");
  const [rows, count] = await ctx.db.batch<Row | { total: number }>([
    ctx.db
      .prepare(`SELECT * FROM ${entity} WHERE ${where} ORDER BY ${parseSort(entity, sort)} LIMIT ? OFFSET ?`)
      .bind(...params, limit, offset),
    ctx.db.prepare(`SELECT count(*) AS total FROM ${entity} WHERE ${where}`).bind(...params),
  ]);
  return {
    data: (rows?.results ?? []) as Row[],
    meta: { total: (count?.results[0] as { total: number } | undefined)?.total ?? 0, limit, offset },
  };
}

export async function getRecord({ ctx, input }: { ctx: Ctx; input: { entity: ExposedEntity; id: string } }) {
  assertCan(ctx, input.entity, "read");
  const row = await ctx.db
    .prepare(`SELECT * FROM ${input.entity} WHERE tenant_id = ? AND id = ?`)
    .bind(ctx.tenant.id, input.id)
    .first<Row>();
  if (!row) throw new DomainError("NOT_FOUND", `No ${input.entity} with this id in this project.`);
  return row;
}

export const MAX_BULK_CREATE = 100;

function insertStatement(ctx: Ctx, entity: ExposedEntity, row: Row): D1PreparedStatement {
  const cols = Object.keys(row);
  return ctx.db
    .prepare(
      `INSERT INTO ${entity} (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    )
    .bind(...cols.map((c) => row[c] ?? null));
}

/** A complete row: every column of the entity, null where the input says nothing. */
function newRow(ctx: Ctx, entity: ExposedEntity, data: Record<string, unknown>): Row {
  const now = nowIso(ctx.now());
  const blank = Object.fromEntries(entities[entity].fields.map((f) => [f, null]));
  return { ...blank, ...data, id: newId(), tenant_id: ctx.tenant.id, created_at: now, updated_at: now };
}

export async function createRecord({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { entity: ExposedEntity; data: unknown };
}): Promise<Row> {
  const [row] = await createRecords({ ctx, input: { entity: input.entity, items: [input.data] } });
  if (!row) throw new DomainError("INTERNAL", "Nothing was created.");
  return row;
}

/**
 * Creates 1 to 100 records at once, all or nothing: every item is validated and every reference checked
 * before one D1 batch writes the rows and their audit row.
 */
export async function createRecords({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { entity: ExposedEntity; items: readonly unknown[] };
}): Promise<Row[]> {
  const { entity, items } = input;
  assertCan(ctx, entity, "create");
  if (items.length === 0 || items.length > MAX_BULK_CREATE) {
    throw new DomainError("VALIDATION", `Create between 1 and ${MAX_BULK_CREATE} records at a time.`);
  }
  const rows = items.map((item, i) => {
    const parsed = entities[entity].create.safeParse(item);
    if (!parsed.success) {
      throw validationError(
        parsed.error.issues,
        items.length > 1 ? `Invalid ${entity} at index ${i}` : `Invalid ${entity}`,
      );
    }
    return newRow(ctx, entity, parsed.data as Record<string, unknown>);
  });
  for (const row of rows) await assertReferencesInTenant(ctx.db, ctx.tenant.id, entity, row);
  await ctx.db.batch([
    ...rows.map((row) => insertStatement(ctx, entity, row)),
    rows.length === 1
      ? auditStatement(ctx, `${entity}.create`, entity, rows[0]?.id ?? null, rows[0])
      : auditStatement(ctx, `${entity}.create_many`, entity, null, { ids: rows.map((r) => r.id) }),
  ]);
  return rows;
}

export async function updateRecord({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { entity: ExposedEntity; id: string; data: unknown };
}): Promise<Row> {
  const { entity, id } = input;
  assertCan(ctx, entity, "update");
  const parsed = entities[entity].update.safeParse(input.data);
  if (!parsed.success) throw validationError(parsed.error.issues, `Invalid ${entity} update`);
  const data = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  if (Object.keys(data).length === 0) throw new DomainError("VALIDATION", "Nothing to update.");
  await getRecord({ ctx, input: { entity, id } });
  await assertReferencesInTenant(ctx.db, ctx.tenant.id, entity, data);
  const sets = { ...data, updated_at: nowIso(ctx.now()) };
  const cols = Object.keys(sets);
  await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE ${entity} SET ${cols.map((c) => `"${c}" = ?`).join(", ")} WHERE tenant_id = ? AND id = ?`,
      )
      .bind(...cols.map((c) => (sets as Record<string, unknown>)[c] ?? null), ctx.tenant.id, id),
    auditStatement(ctx, `${entity}.update`, entity, id, data),
  ]);
  return getRecord({ ctx, input: { entity, id } });
}

export async function deleteRecord({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { entity: ExposedEntity; id: string };
}) {
  const { entity, id } = input;
  assertCan(ctx, entity, "delete");
  await getRecord({ ctx, input: { entity, id } });
  try {
    await ctx.db.batch([
      ctx.db.prepare(`DELETE FROM ${entity} WHERE tenant_id = ? AND id = ?`).bind(ctx.tenant.id, id),
      auditStatement(ctx, `${entity}.delete`, entity, id),
    ]);
  } catch (e) {
    if (String(e).includes("FOREIGN KEY")) {
      throw new DomainError("CONFLICT", `This ${entity.slice(0, -1)} is still referenced by other records.`);
    }
    throw e;
  }
  return { id };
}
