/**
 * The course outline as one learner sees it (internal): modules in order with their lessons and quizzes, what
 * is released, what is locked behind a gating quiz, the progress of each module and where to resume. Read in
 * one batch of four statements, each bounded by the course's size and bound to the learner's enrolment.
 */
import type { Ctx } from "../kernel/context.ts";
import { addDays } from "./calendar.ts";
import type { OwnEnrolment } from "./learner-scope.ts";

type ModuleRow = { id: string; title: string };
type LessonRow = {
  id: string;
  module_id: string;
  title: string;
  release_offset_days: number;
  completed: number;
};
type QuizRow = {
  id: string;
  module_id: string;
  title: string;
  gates_next: number;
  max_attempts: number;
  pass_percent: number;
  attempts_used: number;
  passed: number;
};

export type OutlineLesson = {
  id: string;
  title: string;
  release_date: string;
  released: boolean;
  /** Behind a gating quiz of an earlier module that the learner has not passed yet. */
  locked: boolean;
  completed: boolean;
};
export type OutlineQuiz = {
  id: string;
  title: string;
  gates_next: boolean;
  max_attempts: number;
  pass_percent: number;
  attempts_used: number;
  passed: boolean;
  locked: boolean;
};
export type OutlineModule = {
  id: string;
  title: string;
  locked: boolean;
  lessons_total: number;
  lessons_done: number;
  lessons: OutlineLesson[];
  quizzes: OutlineQuiz[];
};
export type Outline = {
  modules: OutlineModule[];
  /** Every lesson in reading order (module by module). */
  sequence: OutlineLesson[];
  /** The lesson to open next: the last one opened if it is still open, else the first open one not done. */
  resume: { lesson_id: string; title: string } | null;
};

/** The four statements of the outline, for the caller's batch (their results go to `outlineOf`). */
export function outlineStatements(ctx: Ctx, e: OwnEnrolment): D1PreparedStatement[] {
  const t = ctx.tenant.id;
  return [
    ctx.db
      .prepare(
        "SELECT id, title FROM bootcamp_modules WHERE tenant_id = ? AND course_id = ? AND archived_at IS NULL ORDER BY position, created_at",
      )
      .bind(t, e.course_id),
    ctx.db
      .prepare(
        `SELECT l.id, l.module_id, l.title, l.release_offset_days,
           EXISTS (SELECT 1 FROM bootcamp_progress p WHERE p.tenant_id = l.tenant_id AND p.enrolment_id = ? AND p.lesson_id = l.id) AS completed
         FROM bootcamp_lessons l WHERE l.tenant_id = ? AND l.course_id = ? AND l.archived_at IS NULL ORDER BY l.position, l.created_at`,
      )
      .bind(e.id, t, e.course_id),
    ctx.db
      .prepare(
        `SELECT q.id, q.module_id, q.title, q.gates_next, q.max_attempts, q.pass_percent,
           (SELECT count(*) FROM bootcamp_quiz_attempts a WHERE a.tenant_id = q.tenant_id AND a.enrolment_id = ? AND a.quiz_id = q.id) AS attempts_used,
           EXISTS (SELECT 1 FROM bootcamp_quiz_attempts a WHERE a.tenant_id = q.tenant_id AND a.enrolment_id = ? AND a.quiz_id = q.id AND a.passed = 1) AS passed
         FROM bootcamp_quizzes q WHERE q.tenant_id = ? AND q.course_id = ? AND q.archived_at IS NULL
         ORDER BY q.position, q.created_at`,
      )
      .bind(e.id, e.id, t, e.course_id),
    ctx.db
      .prepare(
        "SELECT lesson_id FROM bootcamp_lesson_views WHERE tenant_id = ? AND enrolment_id = ? ORDER BY viewed_at DESC LIMIT 1",
      )
      .bind(t, e.id),
  ];
}

/** The outline from the results of `outlineStatements` (in the same order), as of `today`. */
export function outlineOf(results: D1Result[], e: OwnEnrolment, today: string): Outline {
  const modules = (results[0]?.results ?? []) as ModuleRow[];
  const lessons = (results[1]?.results ?? []) as LessonRow[];
  const quizzes = (results[2]?.results ?? []) as QuizRow[];
  const lastViewed = (results[3]?.results[0] as { lesson_id: string } | undefined)?.lesson_id ?? null;
  let gateClosed = false;
  const out: OutlineModule[] = modules.map((m) => {
    const locked = gateClosed;
    const ls = lessons
      .filter((l) => l.module_id === m.id)
      .map((l): OutlineLesson => {
        const release_date = addDays(e.start_date, l.release_offset_days);
        return {
          id: l.id,
          title: l.title,
          release_date,
          released: release_date <= today,
          locked,
          completed: l.completed === 1,
        };
      });
    const qs = quizzes
      .filter((q) => q.module_id === m.id)
      .map(
        (q): OutlineQuiz => ({
          id: q.id,
          title: q.title,
          gates_next: q.gates_next === 1,
          max_attempts: q.max_attempts,
          pass_percent: q.pass_percent,
          attempts_used: q.attempts_used,
          passed: q.passed === 1,
          locked,
        }),
      );
    // A gating quiz not passed closes every later module.
    if (qs.some((q) => q.gates_next && !q.passed)) gateClosed = true;
    return {
      id: m.id,
      title: m.title,
      locked,
      lessons_total: ls.length,
      lessons_done: ls.filter((l) => l.completed).length,
      lessons: ls,
      quizzes: qs,
    };
  });
  const sequence = out.flatMap((m) => m.lessons);
  const open = (l: OutlineLesson) => l.released && !l.locked;
  const last = sequence.find((l) => l.id === lastViewed && open(l));
  const next = last ?? sequence.find((l) => open(l) && !l.completed) ?? sequence.find(open);
  return { modules: out, sequence, resume: next ? { lesson_id: next.id, title: next.title } : null };
}

/** The open lessons just before and after `lessonId` in reading order. */
export function neighbours(outline: Outline, lessonId: string) {
  const open = outline.sequence.filter((l) => l.released && !l.locked);
  const i = open.findIndex((l) => l.id === lessonId);
  const pick = (l: OutlineLesson | undefined) => (l ? { id: l.id, title: l.title } : null);
  return { previous: i > 0 ? pick(open[i - 1]) : null, next: i >= 0 ? pick(open[i + 1]) : null };
}
