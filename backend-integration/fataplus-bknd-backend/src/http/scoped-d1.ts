/**
 * The D1 binding as every request sees it (`c.env.DB`, and bknd's connection): the binding itself, plus what the
 * request's scope (src/http/scope.ts) asks for:
 *
 *  - a pending access check goes into the same batch as the first read the request makes (one round trip, one
 *    transaction: the data and the access that allows it are read together), or runs alone right before the
 *    first statement that may write; once it failed, every further statement throws `AccessChanged`;
 *  - a statement that queues mail marks the request, so the entry delivers it after the answer.
 *
 * Outside a request (cron, tests calling verbs) it is the binding, unchanged.
 */
import { AccessChanged, currentScope, type RequestScope } from "./scope.ts";

/** Only plain SELECTs (or WITH … SELECT) are folded; anything that names a write runs after a standalone check. */
const READ = /^\s*(?:SELECT|WITH)\b/i;
const WRITES = /\b(?:INSERT|UPDATE|DELETE|REPLACE|UPSERT|CREATE|DROP|ALTER|PRAGMA|ATTACH|VACUUM)\b/i;
export const isRead = (sql: string): boolean => READ.test(sql) && !WRITES.test(sql);

const QUEUES_MAIL = /\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?email_outbox"?/i;

type Statement = { real: D1PreparedStatement; sql: string };

/** Before a call of the request: fold the pending check into it (reads), or run it first (writes). */
async function guarded<T>(
  scope: RequestScope | undefined,
  statements: readonly Statement[],
  direct: () => Promise<T>,
  fromBatch: ((results: D1Result[]) => T) | null,
): Promise<T> {
  if (!scope) return direct();
  if (scope.failed) throw new AccessChanged();
  const check = scope.pending;
  if (!check) return direct();
  if (fromBatch && statements.every((s) => isRead(s.sql))) {
    const [checked, ...rest] = await scope.db.batch([check.statement, ...statements.map((s) => s.real)]);
    scope.apply(checked?.results[0] as Record<string, unknown> | undefined);
    return fromBatch(rest);
  }
  await scope.settle();
  return direct();
}

const cache = new WeakMap<D1Database, D1Database>();

export function scopedD1(db: D1Database): D1Database {
  const known = cache.get(db);
  if (known) return known;
  const statements = new WeakMap<object, Statement>();
  const wrap = (real: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const me: Statement = { real, sql };
    const proxy = new Proxy(real, {
      get(target, prop) {
        const scope = currentScope();
        switch (prop) {
          case "bind":
            return (...values: unknown[]) => wrap(target.bind(...values), sql);
          case "first":
            return (column?: string) =>
              guarded(
                scope,
                [me],
                () => (column === undefined ? target.first() : target.first(column)),
                ([r]) => {
                  const row = r?.results[0] as Record<string, unknown> | undefined;
                  return row === undefined ? null : column === undefined ? row : (row[column] ?? null);
                },
              );
          case "all":
            return () =>
              guarded(
                scope,
                [me],
                () => target.all(),
                ([r]) => r,
              );
          case "run":
            return () =>
              guarded(
                scope,
                [me],
                () => target.run(),
                ([r]) => r,
              );
          case "raw":
            // raw rows keep duplicate column names, which a batch's objects cannot: checked first, then run
            return (options?: { columnNames?: boolean }) =>
              guarded(
                scope,
                [me],
                () => (options?.columnNames ? target.raw({ columnNames: true }) : target.raw()),
                null,
              );
          default: {
            const v = Reflect.get(target, prop, target);
            return typeof v === "function" ? v.bind(target) : v;
          }
        }
      },
    });
    statements.set(proxy, me);
    return proxy;
  };
  const scoped = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          if (QUEUES_MAIL.test(sql)) {
            const scope = currentScope();
            if (scope) scope.mailQueued = true;
          }
          return wrap(target.prepare(sql), sql);
        };
      }
      if (prop === "batch") {
        return (list: D1PreparedStatement[]) => {
          const known = list.map((s) => statements.get(s) ?? { real: s, sql: "" });
          return guarded(
            currentScope(),
            known,
            () => target.batch(known.map((s) => s.real)),
            (results) => results,
          );
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  cache.set(db, scoped);
  return scoped;
}

const envs = new WeakMap<Env, Env>();

/** The Worker's env with the scoped D1 in place of the binding (one object per env: bknd keeps the first). */
export function scopedEnv(env: Env): Env {
  const known = envs.get(env);
  if (known) return known;
  const scoped: Env = { ...env, DB: scopedD1(env.DB) };
  envs.set(env, scoped);
  return scoped;
}
