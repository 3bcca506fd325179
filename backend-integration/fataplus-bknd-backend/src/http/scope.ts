/**
 * What one request carries across everything that serves it (bknd, the gate, our routes, the MCP server),
 * without passing it by hand: an AsyncLocalStorage store set by the Worker's entry (src/index.ts).
 *
 *  - `mailQueued`: a statement of this request queued mail (src/http/scoped-d1.ts sees the INSERT), so the
 *    entry delivers it once the answer is on its way; other requests write nothing more.
 *  - The access check (decision 017). A request may be prepared from the caller's access as this isolate last
 *    read it (a hint, src/http/access.ts), never answered from it: `expect(check)` registers the statement that
 *    re-reads the access, and the scoped D1 puts it in the same batch (one transaction) as the first read the
 *    request makes, or runs it alone before a write. If the access it reads is not the one the request was
 *    prepared for, the check "fails": every later D1 call of the request throws `AccessChanged`, and the entry
 *    throws the answer away and serves the request again, resolving the access first.
 *  - `after(task)`: work that runs after the answer (ctx.waitUntil), and only if the answer is kept.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The access a request was prepared for is not the one the database holds now: the request is served again. */
export class AccessChanged extends Error {
  constructor() {
    super("The caller's access changed since this request was prepared.");
    this.name = "AccessChanged";
  }
}

export type AccessCheck = {
  /** Re-reads the caller's access: one row (or none), prepared on the raw D1 binding. */
  statement: D1PreparedStatement;
  /** Whether the row (undefined: none) grants exactly the access the request was prepared for. */
  holds(row: Record<string, unknown> | undefined): boolean;
};

export class RequestScope {
  /** The D1 binding itself (the scoped one sits on top of it). */
  readonly db: D1Database;
  /** The request can be served again (its body is buffered), so it may be prepared from a hint. */
  readonly hints: boolean;
  mailQueued = false;
  #check: AccessCheck | null = null;
  #state: "none" | "pending" | "held" | "failed" = "none";
  readonly #after: Array<() => Promise<unknown>> = [];

  constructor(db: D1Database, opts: { hints: boolean }) {
    this.db = db;
    this.hints = opts.hints;
  }

  /** The request was prepared from a hint: `check` must hold before anything it read is answered. */
  expect(check: AccessCheck): void {
    if (!this.hints) throw new Error("a request that cannot be served again was prepared from a hint");
    this.#check = check;
    this.#state = "pending";
  }

  /** The check is still to run (the scoped D1 folds it into the next read). */
  get pending(): AccessCheck | null {
    return this.#state === "pending" ? this.#check : null;
  }

  /** The check ran and failed: nothing of this request may be answered or written. */
  get failed(): boolean {
    return this.#state === "failed";
  }

  /** The check's row, read in the same transaction as the statements it was folded with. */
  apply(row: Record<string, unknown> | undefined): void {
    if (this.#state !== "pending" || !this.#check) return;
    this.#state = this.#check.holds(row) ? "held" : "failed";
    if (this.#state === "failed") throw new AccessChanged();
  }

  /** Runs the check on its own if no read carried it (before a write, or before an answer that read nothing). */
  async settle(): Promise<void> {
    if (this.#state === "failed") throw new AccessChanged();
    const check = this.pending;
    if (!check) return;
    const row = await check.statement.first<Record<string, unknown>>();
    this.apply(row ?? undefined);
  }

  after(task: () => Promise<unknown>): void {
    this.#after.push(task);
  }

  /** The work queued with `after`, to hand to ctx.waitUntil once the answer is kept. */
  takeAfter(): Array<() => Promise<unknown>> {
    return this.#after.splice(0);
  }
}

const storage = new AsyncLocalStorage<RequestScope>();

export const runInScope = <T>(scope: RequestScope, work: () => Promise<T>): Promise<T> =>
  storage.run(scope, work);

/** The scope of the request being served (none in the cron, the WebSocket entry and tests that call verbs). */
export const currentScope = (): RequestScope | undefined => storage.getStore();
