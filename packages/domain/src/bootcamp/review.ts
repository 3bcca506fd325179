/**
 * The team's side of submissions: the review queue (instructors see their cohorts' only), one submission as it
 * is reviewed, and where a submitted file is. The marking transitions are in ./marking.ts.
 */
import type { VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { actingUserId, assertTeaches, assertTeam, bootcampRole } from "./access.ts";
import { addDays } from "./calendar.ts";
import { renderMarkdown } from "./markdown.ts";
import { submissionForTeam } from "./review-scope.ts";
import { idInput, type MarkingState, queueInput, type Rubric } from "./schemas.ts";

export type QueueItem = {
  id: string;
  marking_state: MarkingState;
  attempt: number;
  open: number;
  submitted_at: string;
  learner_name: string;
  assignment_title: string;
  cohort_name: string;
  course_title: string;
  due_date: string;
};

/** The queue's page: the oldest submissions first. */
const QUEUE_PAGE = 200;

/**
 * The team's view of submissions: instructors see their cohorts' only. Oldest first. Staff read each marking
 * state's closed submissions on its own (tenant_id, marking_state, open, submitted_at) range, a page each
 * (UNION ALL: "awaiting" is two states), and only the page's rows are joined. An instructor's queue starts from
 * the cohorts they teach: it reads their cohorts' submissions, not the bootcamp's.
 */
export async function getReviewQueue({ ctx, input }: VerbArgs): Promise<{ items: QueueItem[] }> {
  const role = assertTeam(ctx, "The review queue is for instructors.");
  const { state } = parse(queueInput, input ?? {}, "queue filter");
  const states: MarkingState[] = state === "awaiting" ? ["not_marked", "in_review"] : [state];
  const columns = `s.id, s.marking_state, s.attempt, s.open, s.submitted_at, e.name AS learner_name, a.title AS assignment_title,
    h.name AS cohort_name, c.title AS course_title, h.start_date, a.due_offset_days`;
  const joins = `JOIN bootcamp_assignments a ON a.tenant_id = s.tenant_id AND a.id = s.assignment_id
    JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
    JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id`;
  const inStates = states.map((_, i) => `?${i + 2}`).join(", ");
  const statement =
    role === "instructor"
      ? ctx.db
          .prepare(
            `SELECT ${columns}
             FROM bootcamp_cohort_instructors i
               CROSS JOIN bootcamp_enrolments e ON e.tenant_id = i.tenant_id AND e.cohort_id = i.cohort_id
               CROSS JOIN bootcamp_submissions s ON s.tenant_id = e.tenant_id AND s.enrolment_id = e.id
               ${joins}
             WHERE i.tenant_id = ?1 AND i.user_id = ?${states.length + 2}
               AND s.marking_state IN (${inStates}) AND s.open = 0
             ORDER BY s.submitted_at, s.rowid LIMIT ${QUEUE_PAGE}`,
          )
          .bind(ctx.tenant.id, ...states, actingUserId(ctx))
      : ctx.db
          .prepare(
            `WITH page AS (
               ${states
                 .map(
                   (_, i) => `SELECT * FROM (SELECT rowid AS r, submitted_at FROM bootcamp_submissions
                   WHERE tenant_id = ?1 AND marking_state = ?${i + 2} AND open = 0
                   ORDER BY submitted_at, rowid LIMIT ${QUEUE_PAGE})`,
                 )
                 .join(" UNION ALL ")}
               ORDER BY submitted_at, r LIMIT ${QUEUE_PAGE})
             SELECT ${columns}
             FROM page CROSS JOIN bootcamp_submissions s ON s.rowid = page.r
               JOIN bootcamp_enrolments e ON e.tenant_id = s.tenant_id AND e.id = s.enrolment_id
               ${joins}
             ORDER BY page.submitted_at, page.r`,
          )
          .bind(ctx.tenant.id, ...states);
  const { results } = await statement.all<QueueItem & { start_date: string; due_offset_days: number }>();
  return {
    items: results.map(({ start_date, due_offset_days, ...r }) => ({
      ...r,
      due_date: addDays(start_date, due_offset_days),
    })),
  };
}

export async function getSubmissionForReview({ ctx, input }: VerbArgs) {
  const { id } = parse(idInput, input, "submission");
  const row = await submissionForTeam(ctx, id);
  const { brief_md, rubric, scores, ...rest } = row;
  return {
    ...rest,
    brief_html: await renderMarkdown(brief_md),
    rubric: JSON.parse(rubric) as Rubric,
    scores: scores ? (JSON.parse(scores) as number[]) : null,
  };
}

/**
 * Where a submitted file is (for the download route): the learner who submitted it, the cohort's instructors
 * and staff; everybody else gets "not found".
 */
export async function submissionFile({ ctx, input }: VerbArgs) {
  const { id } = parse(idInput, input, "submission");
  const row = await ctx.db
    .prepare(
      `SELECT s.file_key, s.file_name, s.file_type, e.user_id, e.cohort_id FROM bootcamp_submissions s
       JOIN bootcamp_enrolments e ON e.tenant_id = s.tenant_id AND e.id = s.enrolment_id
       WHERE s.tenant_id = ? AND s.id = ? AND s.kind = 'file'`,
    )
    .bind(ctx.tenant.id, id)
    .first<{
      file_key: string;
      file_name: string;
      file_type: string;
      user_id: number | null;
      cohort_id: string;
    }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such file.");
  const own = row.user_id !== null && row.user_id === actingUserId(ctx);
  if (!own) {
    try {
      if (bootcampRole(ctx) === "learner") throw new Error("learner");
      await assertTeaches(ctx, row.cohort_id);
    } catch {
      throw new DomainError("NOT_FOUND", "No such file.");
    }
  }
  return { key: row.file_key, name: row.file_name, type: row.file_type };
}
