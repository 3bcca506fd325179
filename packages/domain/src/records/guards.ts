/**
 * The checks every record verb makes before it touches a row: the role (and a token's write right), that a
 * row is the tenant's, and that every reference stays in the tenant. Also the shared input schemas of the
 * record verbs, and the mapping of a database refusal to a readable 409.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { type Action, can, type ExposedEntity } from "../kernel/roles.ts";
import { assertActorMayWrite } from "../tokens/index.ts";
import { entities, exposedEntityNames } from "./entities.ts";

/** A row of an exposed entity, as D1 returns it. */
export type RecordRow = Record<string, unknown> & { id: string; tenant_id: string };

export const entityName = z.enum(exposedEntityNames as [ExposedEntity, ...ExposedEntity[]]);
export const recordId = z.string().min(1).max(64);

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
/**
 * The tenant a record belongs to (null when there is no such record): for agency admins working without a
 * tenant (bknd's admin UI), whose writes then run in the row's own tenant like anybody's.
 */
export async function tenantOfRecord(
  db: D1Database,
  entity: ExposedEntity,
  id: string,
): Promise<string | null> {
  const row = await db
    .prepare(`SELECT tenant_id FROM ${entity} WHERE id = ?`)
    .bind(id)
    .first<{ tenant_id: string }>();
  return row?.tenant_id ?? null;
}

export async function recordExistsInTenant(
  db: D1Database,
  tenantId: string,
  entity: ExposedEntity,
  id: string,
): Promise<boolean> {
  const row = await db
    .prepare(`SELECT 1 AS ok FROM ${entity} WHERE tenant_id = ? AND id = ?`)
    .bind(tenantId, id)
    .first();
  return row !== null;
}

export async function assertRecordInTenant(ctx: Ctx, entity: ExposedEntity, id: string): Promise<void> {
  if (!(await recordExistsInTenant(ctx.db, ctx.tenant.id, entity, id))) {
    throw new DomainError("NOT_FOUND", `No ${entity} with this id in this project.`);
  }
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
        .prepare(
          `SELECT 1 AS ok FROM ${target} WHERE tenant_id = ? AND id = ?${
            def.contactReferences.includes(field) ? " AND kind = 'contact'" : ""
          }`,
        )
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

/**
 * A FOREIGN KEY refusal as a readable 409: a record still referenced by others (a delete), or a reference
 * that disappeared between the check and the write. Anything else is rethrown as it is: the zod schemas
 * mirror the tables' CHECK and NOT NULL constraints, so another refusal is a bug or a fault, not the
 * caller's input.
 */
export function refusedByDatabase(
  e: unknown,
  entity: ExposedEntity,
  what: "write" | "delete" | "delete_many",
): never {
  const text = e instanceof Error ? e.message : String(e);
  if (/projects_dates_in_order/.test(text)) throw datesOutOfOrder(e);
  if (!/FOREIGN KEY constraint/i.test(text)) throw e;
  const one = entity.slice(0, -1);
  throw new DomainError(
    "CONFLICT",
    what === "delete"
      ? `This ${one} is still referenced by other records: change or delete those first.`
      : what === "delete_many"
        ? `Some of these ${entity} are still referenced by other records: nothing was deleted.`
        : `A record this ${one} refers to no longer exists.`,
    { cause: e },
  );
}

/** A project that would end before it starts (migration 0028's triggers), as a 400 on due_date. */
export function datesOutOfOrder(cause?: unknown): DomainError {
  return new DomainError("VALIDATION", "The due date must be on or after the start date.", {
    details: [{ path: "due_date", message: "must be on or after start_date", key: "date_order" }],
    cause,
  });
}
