/** A D1 binding that records every statement (SQL and bound values) it is asked to run. */
export type Recorded = { sql: string; params: unknown[] };

export function recordingD1(db: D1Database, log: Recorded[]): D1Database {
  const targets = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, rec: Recorded): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") {
          return (...params: unknown[]) => {
            rec.params = params;
            return wrap(target.bind(...params), rec);
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

const TENANT_TABLE = (tables: readonly string[]) =>
  new RegExp(`\\b(?:FROM|JOIN|UPDATE|INTO)\\s+"?(${tables.join("|")})"?\\b`, "i");

export function touchesTenantTable(sql: string, tables: readonly string[]): boolean {
  return TENANT_TABLE(tables).test(sql);
}

/** The query plan of a recorded statement, and the lines that scan a tenant table. */
export async function scansOf(db: D1Database, rec: Recorded, tables: readonly string[]): Promise<string[]> {
  const { results } = await db
    .prepare(`EXPLAIN QUERY PLAN ${rec.sql}`)
    .bind(...rec.params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).filter((d) => new RegExp(`^SCAN (${tables.join("|")})\\b`).test(d));
}

export async function rowsRead(db: D1Database, rec: Recorded): Promise<number> {
  const res = await db
    .prepare(rec.sql)
    .bind(...rec.params)
    .all();
  return res.meta.rows_read;
}
