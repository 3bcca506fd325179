/**
 * For the domain's own workerd tests (`*.worker.test.ts`): the file's D1 and R2, and `scenario()` on that D1.
 * The worker's tests use `@fataplus/domain/testing` with their own sign-in instead.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { DomainError, type ErrorCode } from "../src/index.ts";
import { type ScenarioSpec, scenario } from "./scenario.ts";

export const db = (): D1Database => env.DB;
export const bucket = (): R2Bucket => env.BUCKET;

/** A scenario on this file's D1. */
export function given<
  const T extends string,
  const R extends import("../src/index.ts").TenantRole = never,
  const U extends string = never,
  const K extends string = never,
>(spec: ScenarioSpec<T, R, U, K>) {
  return scenario<T, R, U, K>(db(), spec);
}

/** Awaits `p` and checks that it fails with a DomainError of exactly this code. */
export async function refused(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}, but the call succeeded`).toBeInstanceOf(DomainError);
  const e = err as DomainError;
  expect(e.code, e.message).toBe(code);
  if (message) expect(e.message).toMatch(message);
  return e;
}

/** Audit rows of a tenant for one entity id (or action), oldest first. */
export async function auditRows(tenantId: string, where: { entityId?: string; action?: string } = {}) {
  const { results } = await db()
    .prepare(
      `SELECT actor_type, actor_id, action, entity, entity_id, data FROM audit_log
       WHERE tenant_id = ?1 AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR action = ?3)
       ORDER BY created_at, rowid`,
    )
    .bind(tenantId, where.entityId ?? null, where.action ?? null)
    .all<{
      actor_type: string;
      actor_id: string | null;
      action: string;
      entity: string;
      entity_id: string | null;
      data: string | null;
    }>();
  return results;
}

/** The number of rows of `table` in a tenant (or in all when tenantId is null). */
export async function countRows(table: string, tenantId: string | null): Promise<number> {
  const row = await db()
    .prepare(`SELECT count(*) AS n FROM ${table} WHERE ?1 IS NULL OR tenant_id = ?1`)
    .bind(tenantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * From now on, every audit row written in this tenant (and with this action, if given) fails: a trigger of the
 * real database aborts it. This proves that a verb's write and its audit row commit together or not at all:
 * after the refused call, the write must not be there either. Returns the undo.
 */
export async function auditFails(match: {
  tenantId?: string;
  action?: string;
}): Promise<() => Promise<void>> {
  const literal = (v: string) => {
    if (!/^[A-Za-z0-9._-]+$/.test(v)) throw new Error(`unexpected value in a trigger: ${v}`);
    return `'${v}'`;
  };
  const when = [
    ...(match.tenantId ? [`NEW.tenant_id = ${literal(match.tenantId)}`] : []),
    ...(match.action ? [`NEW.action = ${literal(match.action)}`] : []),
  ];
  if (when.length === 0) throw new Error("auditFails: name a tenant or an action");
  const name = `audit_refused_${(triggers++).toString(36)}`;
  await db()
    .prepare(
      `CREATE TRIGGER ${name} BEFORE INSERT ON audit_log WHEN ${when.join(" AND ")}
       BEGIN SELECT RAISE(ABORT, 'audit row refused by the test'); END`,
    )
    .run();
  return async () => {
    await db().prepare(`DROP TRIGGER IF EXISTS ${name}`).run();
  };
}
let triggers = 0;
