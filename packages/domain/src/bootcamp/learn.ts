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

type LessonListRow = {
  id: string;
  module_id: string;
  title: string;
  release_offset_days: number;
  completed: number;
};
type AssignmentListRow = {
  id: string;
  title: string;
  brief_md: string;
  due_offset_days: number;
  rubric: string;
};

/** What the course page reads, in one batch: modules, lessons (with completion), assignments, submissions. */
async function readCourse(ctx: Ctx, e: OwnEnrolment) {
  const t = ctx.tenant.id;
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
  return {
    modules: (modules?.results ?? []) as Array<{ id: string; title: string }>,
    lessons: (lessons?.results ?? []) as LessonListRow[],
    assignments: (assignments?.results ?? []) as AssignmentListRow[],
    submissions: (subs?.results ?? []) as SubmissionRow[],
    certificateId: (cert?.results[0] as { id: string } | undefined)?.id ?? null,
  };
}

/** The course as the learner's cohort sees it: lessons with their release date, assignments, own submissions. */
export async function getLearnerCourse({ ctx, input }: VerbArgs): Promise<LearnerCourse> {
  const { id } = parse(idInput, input, "enrolment");
  const e = await ownEnrolment(ctx, id);
  const today = isoDay(ctx.now());
  const course = await readCourse(ctx, e);
  const lesson = (l: LessonListRow) => {
    const release_date = addDays(e.start_date, l.release_offset_days);
    return {
      id: l.id,
      title: l.title,
      release_date,
      released: release_date <= today,
      completed: l.completed === 1,
    };
  };
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
    modules: course.modules.map((m) => ({
      id: m.id,
      title: m.title,
      lessons: course.lessons.filter((l) => l.module_id === m.id).map(lesson),
    })),
    assignments: await Promise.all(course.assignments.map(assignment)),
  };
}
