/**
 * Writes to one record of the data API's entities: create (one or up to 100 at once), update, delete. Every
 * verb checks the role, validates with the entity's zod schema, checks that the row and every reference are
 * the tenant's, and writes the change and its audit row in one D1 batch (docs/decisions/013).
 *
 * Concurrent writes (decision 011): an update writes only the fields it names, plus updated_at. Last write
 * wins per field, and each write's audit row keeps the fields and values it set, so nothing is lost silently.
 */
import { z } from "zod";
import { writeWithAudit } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { type ExposedEntity, hiddenFieldsFor, tenantRoles } from "../kernel/roles.ts";
import { notifyUser } from "../notifications/write.ts";
import { auditOfMatching } from "./audit-rows.ts";
import { entities } from "./entities.ts";
import {
  assertCan,
  assertRecordInTenant,
  assertReferencesInTenant,
  entityName,
  type RecordRow,
  recordId,
  refusedByDatabase,
} from "./guards.ts";
import { assertRowRules, assertUpdateRules } from "./rules.ts";
import { assertBindable, type CompiledWhere } from "./where.ts";

export const MAX_BULK_CREATE = 100;

/** A role never writes a field it may not see. */
function assertVisibleFields(ctx: Ctx, entity: ExposedEntity, data: Record<string, unknown>): void {
  const hidden = hiddenFieldsFor(entity, ctx.role).find((f) => data[f] !== undefined);
  if (hidden) throw new DomainError("FORBIDDEN", `Your role (${ctx.role}) may not set ${hidden}.`);
}

/** The fields an update sets: validated with the entity's update schema, at least one. */
export function parseChanges(ctx: Ctx, entity: ExposedEntity, raw: unknown): Record<string, unknown> {
  const parsed = parse(entities[entity].update, raw, `${entity} update`);
  const data = Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
  if (Object.keys(data).length === 0) throw new DomainError("VALIDATION", "Nothing to update.");
  assertVisibleFields(ctx, entity, data);
  return data;
}

/**
 * The batch of an update: its audit row (computed from the matching rows, first), then the UPDATE, which
 * returns the rows as they are after it. Shared by updateRecord and updateRecords.
 */
export async function writeUpdate(
  ctx: Ctx,
  entity: ExposedEntity,
  where: CompiledWhere,
  data: Record<string, unknown>,
  shape: "one" | "many",
  /** What else the change causes (a task's new assignee is told), after the UPDATE in its batch. */
  also: readonly D1PreparedStatement[] = [],
): Promise<RecordRow[]> {
  const sets: Record<string, unknown> = { ...data, updated_at: nowIso(ctx.now()) };
  const cols = Object.keys(sets);
  const audit = auditOfMatching(ctx, {
    action: `${entity}.${shape === "one" ? "update" : "update_many"}`,
    entity,
    where,
    shape,
    set: data,
  });
  const params = [...cols.map((c) => sets[c] ?? null), ctx.tenant.id, ...where.params];
  assertBindable(Math.max(params.length, audit.bound));
  const update = ctx.db
    .prepare(
      `UPDATE ${entity} SET ${cols.map((c) => `"${c}" = ?`).join(", ")}
       WHERE tenant_id = ? AND ${where.sql} RETURNING *`,
    )
    .bind(...params);
  try {
    const [, updated] = await ctx.db.batch<RecordRow>([audit.stmt, update, ...also]);
    return updated?.results ?? [];
  } catch (e) {
    refusedByDatabase(e, entity, "write");
  }
}

/** The batch of a delete: its audit row first, then the DELETE, which returns the rows it deleted. */
export async function writeDelete(
  ctx: Ctx,
  entity: ExposedEntity,
  where: CompiledWhere,
  shape: "one" | "many",
): Promise<RecordRow[]> {
  const audit = auditOfMatching(ctx, {
    action: `${entity}.${shape === "one" ? "delete" : "delete_many"}`,
    entity,
    where,
    shape,
  });
  const params = [ctx.tenant.id, ...where.params];
  assertBindable(Math.max(params.length, audit.bound));
  const del = ctx.db
    .prepare(`DELETE FROM ${entity} WHERE tenant_id = ? AND ${where.sql} RETURNING *`)
    .bind(...params);
  try {
    const [, deleted] = await ctx.db.batch<RecordRow>([audit.stmt, del]);
    return deleted?.results ?? [];
  } catch (e) {
    refusedByDatabase(e, entity, shape === "one" ? "delete" : "delete_many");
  }
}

/** A task given to someone tells them (decision 027); the engine checks they may open the project. */
function assignmentNotice(
  ctx: Ctx,
  entity: ExposedEntity,
  row: Record<string, unknown>,
): D1PreparedStatement[] {
  const assignee = row.assignee_id;
  if (entity !== "tasks" || typeof assignee !== "number") return [];
  return [
    notifyUser(ctx, assignee, tenantRoles, {
      kind: "task_assigned",
      object: { type: "task", id: String(row.id) },
      title: String(row.title ?? ""),
    }),
  ];
}

/** An update that hands a task to someone new (not the one it already had). */
async function reassignment(
  ctx: Ctx,
  entity: ExposedEntity,
  id: string,
  data: Record<string, unknown>,
): Promise<D1PreparedStatement[]> {
  if (entity !== "tasks" || typeof data.assignee_id !== "number") return [];
  const current = await ctx.db
    .prepare("SELECT assignee_id, title FROM tasks WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, id)
    .first<{ assignee_id: number | null; title: string }>();
  if (!current || current.assignee_id === data.assignee_id) return [];
  return assignmentNotice(ctx, entity, {
    id,
    title: data.title ?? current.title,
    assignee_id: data.assignee_id,
  });
}

const byId = (id: string): CompiledWhere => ({ sql: `"id" = ?`, params: [id] });

function insertStatement(ctx: Ctx, entity: ExposedEntity, row: RecordRow): D1PreparedStatement {
  const cols = Object.keys(row);
  return ctx.db
    .prepare(
      `INSERT INTO ${entity} (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    )
    .bind(...cols.map((c) => row[c] ?? null));
}

/** A complete row: every column of the entity, null where the input says nothing. */
function newRow(ctx: Ctx, entity: ExposedEntity, data: Record<string, unknown>): RecordRow {
  const now = nowIso(ctx.now());
  const blank = Object.fromEntries(entities[entity].fields.map((f) => [f, null]));
  return { ...blank, ...data, id: newId(), tenant_id: ctx.tenant.id, created_at: now, updated_at: now };
}

const createManyInput = z.strictObject({ entity: entityName, items: z.array(z.unknown()) });

/**
 * Creates 1 to 100 records at once, all or nothing: every item is validated and every reference checked
 * before one D1 batch writes the rows and their audit row.
 */
export async function createRecords({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow[]> {
  const { entity, items } = parse(createManyInput, input, "create");
  assertCan(ctx, entity, "create");
  if (items.length === 0 || items.length > MAX_BULK_CREATE) {
    throw new DomainError("VALIDATION", `Create between 1 and ${MAX_BULK_CREATE} records at a time.`);
  }
  const rows = items.map((item, i) => {
    const what = items.length > 1 ? `${entity} at index ${i}` : entity;
    const data: Record<string, unknown> = parse(entities[entity].create, item, what);
    assertVisibleFields(ctx, entity, data);
    assertRowRules(entity, data);
    return newRow(ctx, entity, data);
  });
  for (const row of rows) await assertReferencesInTenant(ctx.db, ctx.tenant.id, entity, row);
  const [first] = rows;
  try {
    await writeWithAudit(
      ctx,
      rows.flatMap((row) => [insertStatement(ctx, entity, row), ...assignmentNotice(ctx, entity, row)]),
      rows.length === 1
        ? { action: `${entity}.create`, entity, entityId: first?.id ?? null, data: first }
        : { action: `${entity}.create_many`, entity, entityId: null, data: { ids: rows.map((r) => r.id) } },
    );
  } catch (e) {
    refusedByDatabase(e, entity, "write");
  }
  return rows;
}

const createInput = z.strictObject({ entity: entityName, data: z.unknown() });

export async function createRecord({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow> {
  const { entity, data } = parse(createInput, input, "create");
  const [row] = await createRecords({ ctx, input: { entity, items: [data] } });
  if (!row) throw new DomainError("INTERNAL", "Nothing was created.");
  return row;
}

const updateInput = z.strictObject({ entity: entityName, id: recordId, data: z.unknown() });

/** Updates the fields `data` names (plus updated_at) of one record; returns the record as it is after. */
export async function updateRecord({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow> {
  const { entity, id, data: raw } = parse(updateInput, input, "update");
  assertCan(ctx, entity, "update");
  const data = parseChanges(ctx, entity, raw);
  await assertRecordInTenant(ctx, entity, id);
  await assertReferencesInTenant(ctx.db, ctx.tenant.id, entity, data);
  await assertUpdateRules(ctx.db, ctx.tenant.id, entity, id, data);
  const [row] = await writeUpdate(
    ctx,
    entity,
    byId(id),
    data,
    "one",
    await reassignment(ctx, entity, id, data),
  );
  // deleted between the check and the write: nothing was written, not even the audit row
  if (!row) throw new DomainError("NOT_FOUND", `No ${entity} with this id in this project.`);
  return row;
}

const deleteInput = z.strictObject({ entity: entityName, id: recordId });

/** Deletes one record; returns it as it was. A record still referenced by others is a 409. */
export async function deleteRecord({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordRow> {
  const { entity, id } = parse(deleteInput, input, "delete");
  assertCan(ctx, entity, "delete");
  await assertRecordInTenant(ctx, entity, id);
  const [row] = await writeDelete(ctx, entity, byId(id), "one");
  if (!row) throw new DomainError("NOT_FOUND", `No ${entity} with this id in this project.`);
  return row;
}
