/**
 * A D1 binding that counts writes (INSERT, UPDATE, DELETE, REPLACE) and fails the `failAt`-th one (1-based;
 * 0 never fails). Inside a batch, the failing statement is swapped for one that fails in D1 itself, so the
 * statements before it really ran in the batch's transaction and D1 has to roll them back. Writes whose SQL
 * matches `ignore` (say, the mail job that runs after a response) are neither counted nor failed.
 */
const WRITE = /^\s*(insert|update|delete|replace)\b/i;

export function faultyD1(
  db: D1Database,
  failAt: number,
  counter: { writes: number },
  opts: { ignore?: RegExp } = {},
): D1Database {
  const sqlOf = new WeakMap<object, string>();
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const failing = () => db.prepare("INSERT INTO tenants (id, name, subdomain) VALUES (NULL, NULL, NULL)");
  const countOne = (sql: string): boolean => {
    if (!WRITE.test(sql) || opts.ignore?.test(sql)) return false;
    counter.writes++;
    return counter.writes === failAt;
  };
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...params: unknown[]) => wrap(target.bind(...params), sql);
        if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
          return (...args: unknown[]) => {
            if (countOne(sql)) return Promise.reject(new Error(`injected fault at write ${failAt}`));
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    sqlOf.set(proxy, sql);
    unwrap.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) =>
          target.batch(stmts.map((s) => (countOne(sqlOf.get(s) ?? "") ? failing() : (unwrap.get(s) ?? s))));
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
