/** SQL helpers shared by the bootcamp's verbs (internal: not exported from the package). */
import { bootcampCountOf } from "../counters/index.ts";
import { writeWithAudit } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";

export async function courseExists(ctx: Ctx, id: string): Promise<void> {
  const row = await ctx.db
    .prepare("SELECT id FROM bootcamp_courses WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, id)
    .first();
  if (!row) throw new DomainError("NOT_FOUND", "No such course.");
}

/**
 * Whether a write's statement changed its row. D1's `meta.changes` also counts the rows its triggers wrote
 * (the counters of migrations/0012_bootcamp_reads.sql), so a one-row write reads "not none", never "exactly 1";
 * every statement checked this way names one row (by id, or a unique key).
 */
export const changedRow = (result: D1Result | undefined): boolean => (result?.meta.changes ?? 0) > 0;

type Value = string | number | null | undefined;

/**
 * One INSERT of `values` (column → value; undefined is NULL) into `table`, for the caller's batch. The
 * columns are the keys of a strict schema's output, never of raw input.
 */
export function insertRow(ctx: Ctx, table: string, values: Record<string, Value>): D1PreparedStatement {
  const columns = Object.keys(values);
  return ctx.db
    .prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    .bind(...Object.values(values).map((v) => v ?? null));
}

/**
 * Sets the given fields of one row (those not undefined) and `updated_at`, with its audit row. NOT_FOUND
 * (`missing`) when the row is not in this tenant; VALIDATION when there is nothing to change.
 */
export async function patchRow(
  ctx: Ctx,
  opts: {
    table: string;
    id: string;
    changes: Record<string, string | number | undefined>;
    action: string;
    audit: (fields: Array<[string, string | number]>) => unknown;
    missing: string;
  },
): Promise<{ ok: true }> {
  const entries = Object.entries(opts.changes).flatMap(
    ([k, v]): Array<[string, string | number]> => (v === undefined ? [] : [[k, v]]),
  );
  if (entries.length === 0) throw new DomainError("VALIDATION", "Nothing to change.");
  const sets = entries.map(([k]) => `"${k}" = ?`).join(", ");
  const result = await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(`UPDATE ${opts.table} SET ${sets}, updated_at = ? WHERE tenant_id = ? AND id = ?`)
        .bind(...entries.map(([, v]) => v), nowIso(ctx.now()), ctx.tenant.id, opts.id),
    ],
    { action: opts.action, entity: opts.table, entityId: opts.id, data: opts.audit(entries) },
  );
  if (!changedRow(result[0])) throw new DomainError("NOT_FOUND", opts.missing);
  return { ok: true };
}

/**
 * Seats taken of the cohort `h`: invited, active and completed enrolments (applications do not hold a seat),
 * from its counter (bootcamp_counts' cohort_seats): one row read, whatever the cohort holds.
 */
export const SEATS_TAKEN = bootcampCountOf("h.tenant_id", "cohort_seats", "h.id");

export type CohortForEnrolment = {
  id: string;
  name: string;
  seats: number;
  taken: number;
  course_title: string;
};

export async function cohortWithSeats(db: D1Database, tenantId: string, cohortId: string) {
  return db
    .prepare(
      `SELECT h.id, h.name, h.seats, h.status, h.start_date, c.status AS course_status, c.title AS course_title, ${SEATS_TAKEN} AS taken
       FROM bootcamp_cohorts h JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE h.tenant_id = ? AND h.id = ?`,
    )
    .bind(tenantId, cohortId)
    .first<CohortForEnrolment & { status: string; start_date: string; course_status: string }>();
}
