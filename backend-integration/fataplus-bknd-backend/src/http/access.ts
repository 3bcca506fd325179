/**
 * The caller's access, at the cost of no extra round trip when this isolate has seen the same caller before
 * (decision 017). A hint is the access this isolate read last time for the same key (the user and the tenant
 * named, or the token and the tenant): the request is prepared from it, and its check (the statement that
 * reads the access) runs in the same D1 batch as the request's first read (src/http/scoped-d1.ts). An answer
 * leaves only if the access read in that transaction is exactly the hint; otherwise the request is served
 * again, from the database first (src/index.ts). So a hint decides nothing: revoking a membership, demoting a
 * user or ending their sessions takes effect on the very next request, as when every request read the access
 * alone first. A hint is only used for requests that can be served again (src/http/scope.ts).
 */
import {
  type Access,
  type AccessRow,
  accessOfRow,
  accessStatement,
  resolveAccess,
  type SessionRef,
} from "@fataplus/domain";
import { currentScope } from "./scope.ts";

const MAX_HINTS = 2000;

/** The last access read per key, in this isolate (oldest dropped first). */
export class Hints<T> {
  readonly #map = new Map<string, T>();
  get(key: string): T | undefined {
    return this.#map.get(key);
  }
  set(key: string, value: T): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > MAX_HINTS) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
  clear(): void {
    this.#map.clear();
  }
}

/** Two accesses grant the same thing (same person as read now, same tenant, same role). */
export const sameAccess = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const sessionHints = new Hints<Access>();

/** For tests: forget every hint of this isolate (the next request of everybody resolves its access first). */
export function forgetSessionHints(): void {
  sessionHints.clear();
}

/**
 * A signed-in user's access in `tenantRef` (or none), as resolveAccess returns it: read now, or taken from the
 * hint with its check registered on the request's scope.
 */
export async function sessionAccess({
  db,
  userId,
  tenantRef,
  session,
}: {
  db: D1Database;
  userId: number;
  tenantRef: string | null;
  session: SessionRef;
}): Promise<Access | null> {
  const scope = currentScope();
  const key = `${userId}\u0000${session.id}\u0000${tenantRef ?? ""}`;
  const hint = scope?.hints ? sessionHints.get(key) : undefined;
  if (scope && hint) {
    scope.expect({
      statement: accessStatement(scope.db, userId, tenantRef || null, session),
      holds: (row) => {
        const now = accessOfRow(row as AccessRow | undefined, session);
        if (sameAccess(now, hint)) return true;
        sessionHints.delete(key);
        return false;
      },
    });
    return hint;
  }
  const access = await resolveAccess({ db: scope?.db ?? db, userId, tenantRef, session });
  if (access) sessionHints.set(key, access);
  else sessionHints.delete(key);
  return access;
}
