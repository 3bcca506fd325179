/**
 * The learner's side: their enrolments, and a course as their cohort sees it (release schedule applied, own
 * submissions, feedback once released). Lessons are in ./lessons.ts, submitting in ./submissions.ts.
 */
import { bootcampCountOf } from "../counters/index.ts";
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { actingUserId } from "./access.ts";
import { addDays, isoDay } from "./calendar.ts";
import { claimInvited, type OwnEnrolment, ownEnrolment } from "./learner-scope.ts";
import { renderMarkdown } from "./markdown.ts";
import { type Outline, type OutlineModule, outlineOf, outlineStatements } from "./outline.ts";
import { idInput, type MarkingState, type Rubric } from "./schemas.ts";

export type MyEnrolment = OwnEnrolment & {
  lessons_total: number;
  lessons_done: number;
  assignments_total: number;
  assignments_released: number;
  certificate_id: string | null;
};

/**
 * The caller's enrolments in this bootcamp with their progress (and the certificate once earned). The figures
 * are counters (bootcamp_counts): a few rows per enrolment, whatever its course and cohort hold.
 */
export async function getMyBootcamp({ ctx }: { ctx: Ctx }): Promise<{ enrolments: MyEnrolment[] }> {
  await claimInvited(ctx);
  const { results } = await ctx.db
    .prepare(
      `SELECT e.id, e.status, e.cohort_id, h.name AS cohort_name, h.start_date, h.end_date, c.id AS course_id,
              c.title AS course_title, c.slug AS course_slug, c.language AS course_language,
         ${bootcampCountOf("e.tenant_id", "course_lessons", "c.id")} AS lessons_total,
         ${bootcampCountOf("e.tenant_id", "enrolment_lessons_done", "e.id")} AS lessons_done,
         ${bootcampCountOf("e.tenant_id", "course_assignments", "c.id")} AS assignments_total,
         ${bootcampCountOf("e.tenant_id", "enrolment_released", "e.id")} AS assignments_released,
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
  /** Modules in order, each with its lessons, quizzes, progress and whether a gating quiz still locks it. */
  modules: OutlineModule[];
  resume: Outline["resume"];
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

type AssignmentListRow = {
  id: string;
  title: string;
  brief_md: string;
  due_offset_days: number;
  rubric: string;
};

/** What the course page reads, in one batch: the outline, assignments, submissions, the certificate. */
async function readCourse(ctx: Ctx, e: OwnEnrolment, today: string) {
  const t = ctx.tenant.id;
  const outline = outlineStatements(ctx, e);
  const results = await ctx.db.batch([
    ...outline,
    ctx.db
      .prepare(
        "SELECT id, title, brief_md, due_offset_days, rubric FROM bootcamp_assignments WHERE tenant_id = ? AND course_id = ? AND archived_at IS NULL ORDER BY position, created_at",
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
  const [assignments, subs, cert] = results.slice(outline.length);
  return {
    outline: outlineOf(results.slice(0, outline.length), e, today),
    assignments: (assignments?.results ?? []) as AssignmentListRow[],
    submissions: (subs?.results ?? []) as SubmissionRow[],
    certificateId: (cert?.results[0] as { id: string } | undefined)?.id ?? null,
  };
}

/**
 * The course as the learner's cohort sees it: the outline (release dates, gates, progress, where to resume),
 * assignments and the learner's own submissions.
 */
export async function getLearnerCourse({ ctx, input }: VerbArgs): Promise<LearnerCourse> {
  const { id } = parse(idInput, input, "enrolment");
  const e = await ownEnrolment(ctx, id);
  const today = isoDay(ctx.now());
  const course = await readCourse(ctx, e, today);
  const assignment = async (a: AssignmentListRow) => {
    const sub = course.submissions.find((s) => s.assignment_id === a.id);
    return {
      id: a.id,
      title: a.title,
      html: await renderMarkdown(a.brief_md),
      due_date: addDays(e.start_date, a.due_offset_days),
      rubric: JSON.parse(a.rubric) as Rubric,
      submission: sub ? learnerView(sub) : null,
    };
  };
  return {
    enrolment: { ...e, certificate_id: course.certificateId },
    today,
    modules: course.outline.modules,
    resume: course.outline.resume,
    assignments: await Promise.all(course.assignments.map(assignment)),
  };
}
