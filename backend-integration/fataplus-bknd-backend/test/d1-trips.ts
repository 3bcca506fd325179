/**
 * Counts the D1 round trips the worker makes (each `first`/`all`/`run`/`raw` of a statement, each `batch`), with
 * their SQL: the test and the worker share the same `env.DB` object, so its methods are wrapped once here.
 */
import { env } from "cloudflare:workers";

export type Trip = { kind: "first" | "all" | "run" | "raw" | "batch"; sql: string[] };

let recording: Trip[] | null = null;
let installed = false;
const WRITE = /^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b/i;

function install(): void {
  if (installed) return;
  installed = true;
  const db = env.DB;
  const prepare = db.prepare.bind(db);
  const batch = db.batch.bind(db);
  const sqlOf = new WeakMap<object, string>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values), sql);
        const v = Reflect.get(target, prop, target);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => {
            recording?.push({ kind: prop, sql: [sql] });
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    sqlOf.set(proxy, sql);
    return proxy;
  };
  const real = new WeakMap<object, D1PreparedStatement>();
  Object.assign(db, {
    prepare: (sql: string) => {
      const stmt = prepare(sql);
      const proxy = wrap(stmt, sql);
      real.set(proxy, stmt);
      return proxy;
    },
    batch: (stmts: D1PreparedStatement[]) => {
      recording?.push({ kind: "batch", sql: stmts.map((s) => sqlOf.get(s) ?? "?") });
      return batch(stmts.map((s) => real.get(s) ?? s));
    },
  });
}

/** The round trips `run` makes (wait for work after the answer with `settle`). */
export async function tripsOf(run: () => Promise<unknown>, settle?: () => Promise<unknown>): Promise<Trip[]> {
  install();
  const trips: Trip[] = [];
  recording = trips;
  try {
    await run();
    await settle?.();
  } finally {
    recording = null;
  }
  return trips;
}

/** Whether a round trip writes (any of its statements). */
export const writes = (t: Trip): boolean => t.sql.some((s) => WRITE.test(s));

/** Round trips as short lines, for failure messages. */
export const describe = (trips: Trip[]): string =>
  trips
    .map((t) => `[${t.kind}] ${t.sql.map((s) => s.replace(/\s+/g, " ").slice(0, 90)).join(" | ")}`)
    .join("\n");
