/** A learner's submissions: submit (or resubmit once reopened), and the file route's check before it stores. */
import type { VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { notifyCohortInstructors } from "../notifications/write.ts";
import { ownEnrolment } from "./learner-scope.ts";
import { submissionRefInput, submitInput } from "./schemas.ts";
import { changedRow } from "./store.ts";

/**
 * Submits (or, once reopened, resubmits) an assignment. A submission that is not open is final: a second
 * submit is refused until an instructor reopens it. Resubmitting resets the marking to "not marked".
 */
export async function submitAssignment({ ctx, input }: VerbArgs) {
  const data = parse(submitInput, input, "submission");
  const e = await ownEnrolment(ctx, data.enrolment_id);
  // A file record may only name an object the file route stored for this enrolment (never another tenant's key).
  if (data.kind === "file" && !data.file_key.startsWith(`bootcamp/${ctx.tenant.id}/${e.id}/`))
    throw new DomainError("VALIDATION", "Upload the file itself.", {
      details: [{ path: "file_key", message: "not a file stored for this enrolment" }],
    });
  const assignment = await ctx.db
    .prepare(
      "SELECT id, title FROM bootcamp_assignments WHERE tenant_id = ? AND id = ? AND course_id = ? AND archived_at IS NULL",
    )
    .bind(ctx.tenant.id, data.assignment_id, e.course_id)
    .first<{ id: string; title: string }>();
  if (!assignment) throw new DomainError("NOT_FOUND", "No such assignment.");
  const ts = nowIso(ctx.now());
  const file =
    data.kind === "file"
      ? [data.file_key, data.file_name, data.file_type, data.file_size]
      : [null, null, null, null];
  const url = data.kind === "link" ? data.url : null;
  const id = newId();
  // a resubmission keeps its row (and its id, which the instructors' link names)
  const existing = await ctx.db
    .prepare(
      "SELECT id FROM bootcamp_submissions WHERE tenant_id = ? AND enrolment_id = ? AND assignment_id = ?",
    )
    .bind(ctx.tenant.id, e.id, data.assignment_id)
    .first<{ id: string }>();
  const [upsert] = await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_submissions (id, tenant_id, assignment_id, enrolment_id, kind, url, file_key, file_name, file_type, file_size, note, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, enrolment_id, assignment_id) DO UPDATE SET
           kind = excluded.kind, url = excluded.url, file_key = excluded.file_key, file_name = excluded.file_name,
           file_type = excluded.file_type, file_size = excluded.file_size, note = excluded.note,
           submitted_at = excluded.submitted_at, attempt = attempt + 1, open = 0, marking_state = 'not_marked',
           scores = NULL, feedback = NULL, reviewer_id = NULL, review_started_at = NULL, released_at = NULL
         WHERE open = 1`,
      )
      .bind(id, ctx.tenant.id, data.assignment_id, e.id, data.kind, url, ...file, data.note ?? null, ts),
    // the cohort's instructors hear of it, if it was written (a closed submission changes nothing)
    notifyCohortInstructors(ctx, e.cohort_id, {
      kind: "submission_received",
      object: { type: "submission", id: existing?.id ?? id },
      title: assignment.title,
      when: "changes() = 1",
    }),
  ]);
  if (!changedRow(upsert))
    throw new DomainError(
      "CONFLICT",
      "You already submitted this assignment: an instructor must reopen it before you submit again.",
    );
  const row = await ctx.db
    .prepare(
      "SELECT id, attempt FROM bootcamp_submissions WHERE tenant_id = ? AND enrolment_id = ? AND assignment_id = ?",
    )
    .bind(ctx.tenant.id, e.id, data.assignment_id)
    .first<{ id: string; attempt: number }>();
  return { id: row?.id ?? id, attempt: row?.attempt ?? 1 };
}

/** May the caller submit to this assignment now? (The file route asks before it stores anything in R2.) */
export async function assertCanSubmit({ ctx, input }: VerbArgs) {
  const ref = parse(submissionRefInput, input, "submission");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const row = await ctx.db
    .prepare(
      `SELECT a.id, s.open, s.id AS submission_id FROM bootcamp_assignments a
       LEFT JOIN bootcamp_submissions s ON s.tenant_id = a.tenant_id AND s.assignment_id = a.id AND s.enrolment_id = ?
       WHERE a.tenant_id = ? AND a.id = ? AND a.course_id = ? AND a.archived_at IS NULL`,
    )
    .bind(e.id, ctx.tenant.id, ref.assignment_id, e.course_id)
    .first<{ id: string; open: number | null; submission_id: string | null }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such assignment.");
  if (row.submission_id !== null && row.open !== 1)
    throw new DomainError(
      "CONFLICT",
      "You already submitted this assignment: an instructor must reopen it before you submit again.",
    );
  return { enrolmentId: e.id };
}
