/**
 * The audit rows of MCP calls (decision 006: every tool call and resource read that reached a tenant is in its
 * audit log), written after the answer instead of before it (decision 017). A call that reads needs no write
 * of its own to answer, so its row waits a few milliseconds for the rows of the calls that finish meanwhile in
 * this isolate, and they are written together: one batch of multi-row INSERTs. A write tool's own change and
 * its audit row (`tasks.create`…) stay in the verb's batch; this is the row that records the call itself.
 *
 * The flush runs in the `waitUntil` of the request that scheduled it; rows added while it waits go with it,
 * rows added while it writes wait for the next one. A failed write is logged, as the synchronous row was.
 */
import { type AuditRow, auditInserts } from "@fataplus/domain";

/** How long a row waits for others before it is written. */
export const AUDIT_FLUSH_MS = 50;

const waiting: AuditRow[] = [];
let scheduled = false;

/** Adds rows; returns the flush to hand to waitUntil when these rows scheduled one (else null). */
export function auditAfterAnswer(db: D1Database, rows: readonly AuditRow[]): Promise<void> | null {
  if (rows.length === 0) return null;
  waiting.push(...rows);
  if (scheduled) return null;
  scheduled = true;
  return (async () => {
    await new Promise((resolve) => setTimeout(resolve, AUDIT_FLUSH_MS));
    scheduled = false;
    const batch = waiting.splice(0);
    try {
      await db.batch(auditInserts(db, batch));
    } catch (e) {
      console.error("mcp audit write failed", batch.length, e);
    }
  })();
}
