/**
 * The learner's side: their enrolments, a course as their cohort sees it (release schedule applied), lessons,
 * progress, submissions and released feedback. Every query is bound to the caller's own enrolment
 * (`e.user_id = caller`): another learner's enrolment id answers "not found", like an unknown one.
 */
import type { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { actingEmail, actingUserId, addDays, isoDay } from "./access.ts";
import { certificateStatements } from "./certificates.ts";
import { renderMarkdown } from "./markdown.ts";
import {
  idInput,
  lessonRefInput,
  type MarkingState,
  type Rubric,
  submissionRefInput,
  submitInput,
} from "./schemas.ts";

/** A verb's arguments: `input` is unknown, parsed by the verb with its schema `S`. */
type In<_S extends z.ZodType> = { ctx: Ctx; input: unknown };

type OwnEnrolment = {
  id: string;
  status: string;
  cohort_id: string;
  cohort_name: string;
  start_date: string;
  end_date: string | null;
  course_id: string;
  course_title: string;
  course_slug: string;
  course_language: string;
};

/** Links the caller's invited enrolments (same e-mail, a member of this tenant) to their account. */
async function claimInvited(ctx: Ctx): Promise<void> {
  const userId = actingUserId(ctx);
  const email = actingEmail(ctx);
  if (userId === null || email === null) return;
  await ctx.db
    .prepare(
      `UPDATE bootcamp_enrolments SET user_id = ?, status = 'active', joined_at = ?
       WHERE tenant_id = ? AND email = ? AND status = 'invited' AND user_id IS NULL`,
    )
    .bind(userId, nowIso(ctx.now()), ctx.tenant.id, email)
    .run();
}

async function ownEnrolment(ctx: Ctx, enrolmentId: string): Promise<OwnEnrolment> {
  const userId = actingUserId(ctx);
  const row = await ctx.db
    .prepare(
      `SELECT e.id, e.status, e.cohort_id, h.name AS cohort_name, h.start_date, h.end_date, c.id AS course_id,
              c.title AS course_title, c.slug AS course_slug, c.language AS course_language
       FROM bootcamp_enrolments e
         JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
         JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE e.tenant_id = ? AND e.id = ? AND e.user_id = ? AND e.status IN ('active', 'completed')`,
    )
    .bind(ctx.tenant.id, enrolmentId, userId)
    .first<OwnEnrolment>();
  if (!row) throw new DomainError("NOT_FOUND", "No such enrolment.");
  return row;
}

export type MyEnrolment = OwnEnrolment & {
  lessons_total: number;
  lessons_done: number;
  assignments_total: number;
  assignments_released: number;
  certificate_id: string | null;
};

/** The caller's enrolments in this bootcamp with their progress (and the certificate once earned). */
export async function getMyBootcamp({ ctx }: { ctx: Ctx }): Promise<{ enrolments: MyEnrolment[] }> {
  await claimInvited(ctx);
  const { results } = await ctx.db
    .prepare(
      `SELECT e.id, e.status, e.cohort_id, h.name AS cohort_name, h.start_date, h.end_date, c.id AS course_id,
              c.title AS course_title, c.slug AS course_slug, c.language AS course_language,
         (SELECT count(*) FROM bootcamp_lessons l WHERE l.tenant_id = e.tenant_id AND l.course_id = c.id) AS lessons_total,
         (SELECT count(*) FROM bootcamp_progress p WHERE p.tenant_id = e.tenant_id AND p.enrolment_id = e.id) AS lessons_done,
         (SELECT count(*) FROM bootcamp_assignments a WHERE a.tenant_id = e.tenant_id AND a.course_id = c.id) AS assignments_total,
         (SELECT count(*) FROM bootcamp_submissions s WHERE s.tenant_id = e.tenant_id AND s.enrolment_id = e.id AND s.marking_state = 'released') AS assignments_released,
         (SELECT id FROM bootcamp_certificates k WHERE k.tenant_id = e.tenant_id AND k.enrolment_id = e.id AND k.revoked_at IS NULL) AS certificate_id
       FROM bootcamp_enrolments e
         JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
         JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE e.tenant_id = ? AND e.user_id = ? AND e.status IN ('active', 'completed')
       ORDER BY h.start_date DESC LIMIT 50`,
    )
    .bind(ctx.tenant.id, actingUserId(ctx))
    .all<MyEnrolment>();
  return { enrolments: results };
}

export type LearnerSubmission = {
  id: string;
  kind: "link" | "file";
  url: string | null;
  file_name: string | null;
  note: string | null;
  attempt: number;
  open: number;
  marking_state: MarkingState;
  submitted_at: string;
  /** Only once released. */
  scores: number[] | null;
  feedback: string | null;
  released_at: string | null;
};

export type LearnerCourse = {
  enrolment: OwnEnrolment & { certificate_id: string | null };
  today: string;
  modules: Array<{
    id: string;
    title: string;
    lessons: Array<{
      id: string;
      title: string;
      release_date: string;
      released: boolean;
      completed: boolean;
    }>;
  }>;
  assignments: Array<{
    id: string;
    title: string;
    html: string;
    due_date: string;
    rubric: Rubric;
    submission: LearnerSubmission | null;
  }>;
};

type SubmissionRow = Omit<LearnerSubmission, "scores"> & { assignment_id: string; scores: string | null };

/** What a learner may see of their own submission: the marking stays hidden until released. */
function learnerView(s: SubmissionRow): LearnerSubmission {
  const released = s.marking_state === "released";
  return {
    id: s.id,
    kind: s.kind,
    url: s.url,
    file_name: s.file_name,
    note: s.note,
    attempt: s.attempt,
    open: s.open,
    marking_state: s.marking_state,
    submitted_at: s.submitted_at,
    scores: released && s.scores ? (JSON.parse(s.scores) as number[]) : null,
    feedback: released ? s.feedback : null,
    released_at: released ? s.released_at : null,
  };
}

/** The course as the learner's cohort sees it: lessons with their release date, assignments, own submissions. */
export async function getLearnerCourse({ ctx, input }: In<typeof idInput>): Promise<LearnerCourse> {
  const { id } = parse(idInput, input, "enrolment");
  const e = await ownEnrolment(ctx, id);
  const t = ctx.tenant.id;
  const today = isoDay(ctx.now());
  const [modules, lessons, assignments, subs, cert] = await ctx.db.batch([
    ctx.db
      .prepare(
        "SELECT id, title FROM bootcamp_modules WHERE tenant_id = ? AND course_id = ? ORDER BY position, created_at",
      )
      .bind(t, e.course_id),
    ctx.db
      .prepare(
        `SELECT l.id, l.module_id, l.title, l.release_offset_days,
           EXISTS (SELECT 1 FROM bootcamp_progress p WHERE p.tenant_id = l.tenant_id AND p.enrolment_id = ? AND p.lesson_id = l.id) AS completed
         FROM bootcamp_lessons l WHERE l.tenant_id = ? AND l.course_id = ? ORDER BY l.position, l.created_at`,
      )
      .bind(e.id, t, e.course_id),
    ctx.db
      .prepare(
        "SELECT id, title, brief_md, due_offset_days, rubric FROM bootcamp_assignments WHERE tenant_id = ? AND course_id = ? ORDER BY position, created_at",
      )
      .bind(t, e.course_id),
    ctx.db
      .prepare(
        `SELECT id, assignment_id, kind, url, file_name, note, attempt, open, marking_state, submitted_at, scores, feedback, released_at
         FROM bootcamp_submissions WHERE tenant_id = ? AND enrolment_id = ?`,
      )
      .bind(t, e.id),
    ctx.db
      .prepare(
        "SELECT id FROM bootcamp_certificates WHERE tenant_id = ? AND enrolment_id = ? AND revoked_at IS NULL",
      )
      .bind(t, e.id),
  ]);
  const lessonRows = (lessons?.results ?? []) as Array<{
    id: string;
    module_id: string;
    title: string;
    release_offset_days: number;
    completed: number;
  }>;
  const subRows = (subs?.results ?? []) as SubmissionRow[];
  return {
    enrolment: { ...e, certificate_id: (cert?.results[0] as { id: string } | undefined)?.id ?? null },
    today,
    modules: ((modules?.results ?? []) as Array<{ id: string; title: string }>).map((m) => ({
      id: m.id,
      title: m.title,
      lessons: lessonRows
        .filter((l) => l.module_id === m.id)
        .map((l) => {
          const release_date = addDays(e.start_date, l.release_offset_days);
          return {
            id: l.id,
            title: l.title,
            release_date,
            released: release_date <= today,
            completed: l.completed === 1,
          };
        }),
    })),
    assignments: await Promise.all(
      (
        (assignments?.results ?? []) as Array<{
          id: string;
          title: string;
          brief_md: string;
          due_offset_days: number;
          rubric: string;
        }>
      ).map(async (a) => {
        const sub = subRows.find((s) => s.assignment_id === a.id);
        return {
          id: a.id,
          title: a.title,
          html: await renderMarkdown(a.brief_md),
          due_date: addDays(e.start_date, a.due_offset_days),
          rubric: JSON.parse(a.rubric) as Rubric,
          submission: sub ? learnerView(sub) : null,
        };
      }),
    ),
  };
}

type LessonForLearner = {
  id: string;
  title: string;
  body_md: string;
  release_offset_days: number;
  module_title: string;
};

async function releasedLesson(ctx: Ctx, e: OwnEnrolment, lessonId: string) {
  const lesson = await ctx.db
    .prepare(
      `SELECT l.id, l.title, l.body_md, l.release_offset_days, m.title AS module_title FROM bootcamp_lessons l
       JOIN bootcamp_modules m ON m.tenant_id = l.tenant_id AND m.id = l.module_id
       WHERE l.tenant_id = ? AND l.id = ? AND l.course_id = ?`,
    )
    .bind(ctx.tenant.id, lessonId, e.course_id)
    .first<LessonForLearner>();
  if (!lesson) throw new DomainError("NOT_FOUND", "No such lesson.");
  const releaseDate = addDays(e.start_date, lesson.release_offset_days);
  if (releaseDate > isoDay(ctx.now()))
    throw new DomainError("FORBIDDEN", `This lesson opens on ${releaseDate}.`, {
      details: [{ path: "release_date", message: releaseDate }],
    });
  return { lesson, releaseDate };
}

/** One released lesson, its Markdown rendered safely, with the learner's completion. */
export async function getLearnerLesson({ ctx, input }: In<typeof lessonRefInput>) {
  const ref = parse(lessonRefInput, input, "lesson");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const { lesson, releaseDate } = await releasedLesson(ctx, e, ref.lesson_id);
  const done = await ctx.db
    .prepare(
      "SELECT completed_at FROM bootcamp_progress WHERE tenant_id = ? AND enrolment_id = ? AND lesson_id = ?",
    )
    .bind(ctx.tenant.id, e.id, lesson.id)
    .first<{ completed_at: string }>();
  return {
    enrolment_id: e.id,
    course_title: e.course_title,
    module_title: lesson.module_title,
    id: lesson.id,
    title: lesson.title,
    html: await renderMarkdown(lesson.body_md),
    release_date: releaseDate,
    completed_at: done?.completed_at ?? null,
  };
}

/** Marks a released lesson complete (idempotent); finishing the course issues the certificate. */
export async function completeLesson({ ctx, input }: In<typeof lessonRefInput>) {
  const ref = parse(lessonRefInput, input, "lesson");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  await releasedLesson(ctx, e, ref.lesson_id);
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_progress (id, tenant_id, enrolment_id, lesson_id, completed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, enrolment_id, lesson_id) DO NOTHING`,
      )
      .bind(newId(), ctx.tenant.id, e.id, ref.lesson_id, nowIso(ctx.now())),
    ...certificateStatements(ctx, e.id),
  ]);
  return { ok: true };
}

/**
 * Submits (or, once reopened, resubmits) an assignment. A submission that is not open is final: a second
 * submit is refused until an instructor reopens it. Resubmitting resets the marking to "not marked".
 */
export async function submitAssignment({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const data = parse(submitInput, input, "submission");
  const e = await ownEnrolment(ctx, data.enrolment_id);
  // A file record may only name an object the file route stored for this enrolment (never another tenant's key).
  if (data.kind === "file" && !data.file_key.startsWith(`bootcamp/${ctx.tenant.id}/${e.id}/`))
    throw new DomainError("VALIDATION", "Upload the file itself.", {
      details: [{ path: "file_key", message: "not a file stored for this enrolment" }],
    });
  const assignment = await ctx.db
    .prepare("SELECT id FROM bootcamp_assignments WHERE tenant_id = ? AND id = ? AND course_id = ?")
    .bind(ctx.tenant.id, data.assignment_id, e.course_id)
    .first();
  if (!assignment) throw new DomainError("NOT_FOUND", "No such assignment.");
  const ts = nowIso(ctx.now());
  const file =
    data.kind === "file"
      ? [data.file_key, data.file_name, data.file_type, data.file_size]
      : [null, null, null, null];
  const url = data.kind === "link" ? data.url : null;
  const id = newId();
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
  ]);
  if (upsert?.meta.changes !== 1)
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
export async function assertCanSubmit({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { enrolment_id: string; assignment_id: string };
}) {
  const ref = parse(submissionRefInput, input, "submission");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const row = await ctx.db
    .prepare(
      `SELECT a.id, s.open, s.id AS submission_id FROM bootcamp_assignments a
       LEFT JOIN bootcamp_submissions s ON s.tenant_id = a.tenant_id AND s.assignment_id = a.id AND s.enrolment_id = ?
       WHERE a.tenant_id = ? AND a.id = ? AND a.course_id = ?`,
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
