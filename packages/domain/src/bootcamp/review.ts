/**
 * The review queue and the marking states of a submission: not_marked → in_review → released. An instructor
 * (of the submission's cohort) or staff start a review, score each rubric criterion and write feedback, then
 * release it: only then does the learner see them. Reopening lets the learner submit again (which resets the
 * marking). Every transition is one conditional UPDATE: a stale or concurrent transition gets a 409.
 */
import type { z } from "zod";
import { actorId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { actingUserId, addDays, assertTeaches, bootcampRole } from "./access.ts";
import { certificateStatements } from "./certificates.ts";
import { renderMarkdown } from "./markdown.ts";
import { idInput, type MarkingState, queueInput, type Rubric, reviewInput } from "./schemas.ts";

/** A verb's arguments: `input` is unknown, parsed by the verb with its schema `S`. */
type In<_S extends z.ZodType> = { ctx: Ctx; input: unknown };

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

/** The team's view of submissions: instructors see their cohorts' only. Oldest first. */
export async function getReviewQueue({ ctx, input }: In<typeof queueInput>): Promise<{ items: QueueItem[] }> {
  const role = bootcampRole(ctx);
  if (role === "learner") throw new DomainError("FORBIDDEN", "The review queue is for instructors.");
  const { state } = parse(queueInput, input ?? {}, "queue filter");
  const states = state === "awaiting" ? ["not_marked", "in_review"] : [state];
  const teach =
    role === "instructor"
      ? "AND EXISTS (SELECT 1 FROM bootcamp_cohort_instructors i WHERE i.tenant_id = e.tenant_id AND i.cohort_id = e.cohort_id AND i.user_id = ?)"
      : "";
  const binds: Array<string | number | null> = [ctx.tenant.id, ...states];
  if (role === "instructor") binds.push(actingUserId(ctx));
  const { results } = await ctx.db
    .prepare(
      `SELECT s.id, s.marking_state, s.attempt, s.open, s.submitted_at, e.name AS learner_name, a.title AS assignment_title,
              h.name AS cohort_name, c.title AS course_title, h.start_date, a.due_offset_days
       FROM bootcamp_submissions s
         JOIN bootcamp_enrolments e ON e.tenant_id = s.tenant_id AND e.id = s.enrolment_id
         JOIN bootcamp_assignments a ON a.tenant_id = s.tenant_id AND a.id = s.assignment_id
         JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
         JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE s.tenant_id = ? AND s.marking_state IN (${states.map(() => "?").join(", ")}) AND s.open = 0 ${teach}
       ORDER BY s.submitted_at LIMIT 200`,
    )
    .bind(...binds)
    .all<QueueItem & { start_date: string; due_offset_days: number }>();
  return {
    items: results.map(({ start_date, due_offset_days, ...r }) => ({
      ...r,
      due_date: addDays(start_date, due_offset_days),
    })),
  };
}

type ReviewRow = {
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

async function submissionForTeam(ctx: Ctx, id: string): Promise<ReviewRow> {
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

export async function getSubmissionForReview({ ctx, input }: In<typeof idInput>) {
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

/** The audit row of a transition, written only if the UPDATE just before it changed the row. */
function auditIfChanged(ctx: Ctx, action: string, id: string): D1PreparedStatement {
  return ctx.db
    .prepare(
      `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
       SELECT ?, ?, ?, ?, ?, 'bootcamp_submissions', ?, NULL, ? WHERE changes() = 1`,
    )
    .bind(newId(), ctx.tenant.id, ctx.actor.type, actorId(ctx.actor), action, id, nowIso(ctx.now()));
}

async function transition(
  ctx: Ctx,
  id: string,
  action: string,
  sql: string,
  binds: Array<string | number | null>,
  conflict: string,
  extra: D1PreparedStatement[] = [],
) {
  const [res] = await ctx.db.batch([
    ctx.db.prepare(sql).bind(...binds),
    auditIfChanged(ctx, action, id),
    ...extra,
  ]);
  if (res?.meta.changes !== 1) throw new DomainError("CONFLICT", conflict);
}

/** not_marked → in_review. */
export async function startReview({ ctx, input }: In<typeof idInput>) {
  const { id } = parse(idInput, input, "submission");
  await submissionForTeam(ctx, id);
  await transition(
    ctx,
    id,
    "bootcamp.submission.start_review",
    `UPDATE bootcamp_submissions SET marking_state = 'in_review', review_started_at = ?, reviewer_id = ?
     WHERE tenant_id = ? AND id = ? AND marking_state = 'not_marked' AND open = 0`,
    [nowIso(ctx.now()), actingUserId(ctx), ctx.tenant.id, id],
    "This submission is not waiting for a review (someone may have started it).",
  );
  return { ok: true, marking_state: "in_review" as const };
}

/** Scores (one per rubric criterion, within its points) and feedback, while in review. */
export async function saveReview({ ctx, input }: In<typeof reviewInput>) {
  const data = parse(reviewInput, input, "review");
  const row = await submissionForTeam(ctx, data.id);
  const rubric = JSON.parse(row.rubric) as Rubric;
  if (data.scores.length !== rubric.length)
    throw new DomainError("VALIDATION", `Give one score per rubric criterion (${rubric.length}).`, {
      details: [{ path: "scores", message: `expected ${rubric.length} scores` }],
    });
  const over = data.scores.findIndex((s, i) => s > (rubric[i]?.points ?? 0));
  if (over !== -1)
    throw new DomainError(
      "VALIDATION",
      `“${rubric[over]?.criterion}” is scored out of ${rubric[over]?.points}.`,
      {
        details: [{ path: `scores.${over}`, message: `at most ${rubric[over]?.points}` }],
      },
    );
  await transition(
    ctx,
    data.id,
    "bootcamp.submission.score",
    `UPDATE bootcamp_submissions SET scores = ?, feedback = ?, reviewer_id = ?
     WHERE tenant_id = ? AND id = ? AND marking_state = 'in_review'`,
    [JSON.stringify(data.scores), data.feedback, actingUserId(ctx), ctx.tenant.id, data.id],
    "Start the review before scoring (a released review is final until reopened).",
  );
  return { ok: true };
}

/** in_review (scored) → released: the learner sees score and feedback; finishing the course issues the certificate. */
export async function releaseReview({ ctx, input }: In<typeof idInput>) {
  const { id } = parse(idInput, input, "submission");
  const row = await submissionForTeam(ctx, id);
  await transition(
    ctx,
    id,
    "bootcamp.submission.release",
    `UPDATE bootcamp_submissions SET marking_state = 'released', released_at = ?
     WHERE tenant_id = ? AND id = ? AND marking_state = 'in_review' AND scores IS NOT NULL`,
    [nowIso(ctx.now()), ctx.tenant.id, id],
    "Only a scored review can be released.",
    certificateStatements(ctx, row.enrolment_id),
  );
  return { ok: true, marking_state: "released" as const };
}

/** Lets the learner submit again (after a review, or to fix a wrong link). */
export async function reopenSubmission({ ctx, input }: In<typeof idInput>) {
  const { id } = parse(idInput, input, "submission");
  await submissionForTeam(ctx, id);
  await transition(
    ctx,
    id,
    "bootcamp.submission.reopen",
    "UPDATE bootcamp_submissions SET open = 1 WHERE tenant_id = ? AND id = ? AND open = 0",
    [ctx.tenant.id, id],
    "This submission is already open for a new attempt.",
  );
  return { ok: true };
}

/**
 * Where a submitted file is (for the download route): the learner who submitted it, the cohort's instructors
 * and staff; everybody else gets "not found".
 */
export async function submissionFile({ ctx, input }: In<typeof idInput>) {
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
