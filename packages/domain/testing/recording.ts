/**
 * What a read costs in D1, for the read-cost tests on a real local D1: a D1 binding that records every
 * statement it is asked to run (SQL and bound values, batches included), and the cost of each recorded SELECT
 * run again on the plain binding: D1's own `meta.rows_read`, the rows it returned, and the lines of its query
 * plan that SCAN a tenant table. The rule the tests hold (docs/decisions/015-read-counters.md): a statement
 * reads at most ROW_COST rows per row it returns plus FIXED_COST, and scans no tenant table.
 */
import { tenantOwnedTables } from "../src/index.ts";

/** A returned row may cost its own row, its joins and its counters. */
export const ROW_COST = 12;
/** Per statement: the scope's tenants and per-tenant counters. */
export const FIXED_COST = 100;
export const readBound = (returned: number): number => ROW_COST * Math.max(1, returned) + FIXED_COST;

export type Recorded = { sql: string; params: unknown[] };

export function recordingD1(db: D1Database, log: Recorded[]): D1Database {
  const targets = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, rec: Recorded): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") {
          return (...params: unknown[]) => {
            // a statement prepared once and bound twice is two statements
            const next: Recorded = { sql: rec.sql, params };
            log[log.indexOf(rec)] = next;
            return wrap(target.bind(...params), next);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    targets.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          const rec: Recorded = { sql, params: [] };
          log.push(rec);
          return wrap(target.prepare(sql), rec);
        };
      }
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => target.batch(stmts.map((s) => targets.get(s) ?? s));
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

export type StatementCost = {
  sql: string;
  rowsRead: number;
  returned: number;
  bound: number;
  /** the query plan's lines that SCAN a tenant table */
  scans: string[];
};

const scanOfTenantTable = new RegExp(`^SCAN (${tenantOwnedTables.join("|")})\\b`);

/**
 * Runs `read` on a recording binding of `db`, then runs each SELECT it sent again on `db` itself: what each
 * statement read and returned, its bound, and its scans.
 */
export async function readCosts(
  db: D1Database,
  read: (db: D1Database) => Promise<unknown>,
): Promise<StatementCost[]> {
  const log: Recorded[] = [];
  await read(recordingD1(db, log));
  const out: StatementCost[] = [];
  for (const rec of log) {
    if (!/^\s*(select|with)\b/i.test(rec.sql)) continue;
    const again = await db
      .prepare(rec.sql)
      .bind(...rec.params)
      .all();
    const plan = await db
      .prepare(`EXPLAIN QUERY PLAN ${rec.sql}`)
      .bind(...rec.params)
      .all<{ detail: string }>();
    out.push({
      sql: rec.sql.replace(/\s+/g, " ").trim(),
      rowsRead: again.meta.rows_read,
      returned: again.results.length,
      bound: readBound(again.results.length),
      scans: plan.results.map((r) => r.detail).filter((d) => scanOfTenantTable.test(d)),
    });
  }
  return out;
}
