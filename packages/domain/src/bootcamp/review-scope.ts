/** A submission as the team reviews it (internal): staff, or an instructor of the submission's cohort. */
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { assertTeaches, bootcampRole } from "./access.ts";
import type { MarkingState } from "./schemas.ts";

export type ReviewRow = {
  id: string;
  enrolment_id: string;
  cohort_id: string;
  kind: "link" | "file";
  url: string | null;
  file_name: string | null;
  file_type: string | null;
  file_size: number | null;
  note: string | null;
  attempt: number;
  open: number;
  marking_state: MarkingState;
  scores: string | null;
  feedback: string | null;
  submitted_at: string;
  review_started_at: string | null;
  released_at: string | null;
  learner_name: string;
  assignment_title: string;
  brief_md: string;
  rubric: string;
};

export async function submissionForTeam(ctx: Ctx, id: string): Promise<ReviewRow> {
  if (bootcampRole(ctx) === "learner") throw new DomainError("NOT_FOUND", "No such submission.");
  const row = await ctx.db
    .prepare(
      `SELECT s.id, s.enrolment_id, e.cohort_id, s.kind, s.url, s.file_name, s.file_type, s.file_size, s.note, s.attempt,
              s.open, s.marking_state, s.scores, s.feedback, s.submitted_at, s.review_started_at, s.released_at,
              e.name AS learner_name, a.title AS assignment_title, a.brief_md, a.rubric
       FROM bootcamp_submissions s
         JOIN bootcamp_enrolments e ON e.tenant_id = s.tenant_id AND e.id = s.enrolment_id
         JOIN bootcamp_assignments a ON a.tenant_id = s.tenant_id AND a.id = s.assignment_id
       WHERE s.tenant_id = ? AND s.id = ?`,
    )
    .bind(ctx.tenant.id, id)
    .first<ReviewRow>();
  if (!row) throw new DomainError("NOT_FOUND", "No such submission.");
  try {
    await assertTeaches(ctx, row.cohort_id);
  } catch {
    throw new DomainError("NOT_FOUND", "No such submission.");
  }
  return row;
}
