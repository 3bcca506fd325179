/**
 * The team's reading side: the overview of every course and cohort, and one course with everything in it.
 * Instructors read them too, limited to the cohorts they teach.
 */
import { type BootcampCountField, bootcampCountOf } from "../counters/index.ts";
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { actingUserId, assertTeam } from "./access.ts";
import { renderMarkdown } from "./markdown.ts";
import type { QuizQuestion } from "./quiz-grading.ts";
import type { AssignmentRow, CohortRow, CourseRow, LessonRow, ModuleRow } from "./rows.ts";
import { idInput, type Rubric } from "./schemas.ts";

export type CourseOverview = {
  courses: Array<
    CourseRow & { modules: number; lessons: number; assignments: number; cohorts: number; learners: number }
  >;
  cohorts: Array<CohortRow & { course_title: string; learners: number; instructors: string }>;
};

/**
 * The staff side's overview: every course (drafts included) and every cohort. Instructors get only the
 * cohorts they teach (and no drafts). Each row's figures are counters (bootcamp_counts, one row each), the
 * courses come in the order of an index, the staff's cohorts too; an instructor's cohorts are read from the
 * ones they teach (a few), then sorted.
 */
export async function getBootcampOverview({ ctx }: { ctx: Ctx }): Promise<CourseOverview> {
  const role = assertTeam(ctx);
  const t = ctx.tenant.id;
  const course = (field: BootcampCountField) => bootcampCountOf("c.tenant_id", field, "c.id");
  const cohortColumns = `h.id, h.course_id, h.name, h.start_date, h.end_date, h.seats, h.status, c.title AS course_title,
    ${bootcampCountOf("h.tenant_id", "cohort_learners", "h.id")} AS learners,
    coalesce((SELECT group_concat(coalesce(u.name, u.email), ', ') FROM bootcamp_cohort_instructors i2 JOIN users u ON u.id = i2.user_id
      WHERE i2.tenant_id = h.tenant_id AND i2.cohort_id = h.id), '') AS instructors`;
  const cohorts =
    role === "instructor"
      ? ctx.db
          .prepare(
            `SELECT ${cohortColumns}
             FROM bootcamp_cohort_instructors i
               CROSS JOIN bootcamp_cohorts h ON h.tenant_id = i.tenant_id AND h.id = i.cohort_id
               JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
             WHERE i.tenant_id = ?1 AND i.user_id = ?2
             ORDER BY h.start_date DESC, h.rowid DESC LIMIT 200`,
          )
          .bind(t, actingUserId(ctx))
      : ctx.db
          .prepare(
            `SELECT ${cohortColumns}
             FROM bootcamp_cohorts h JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
             WHERE h.tenant_id = ?1
             ORDER BY h.start_date DESC, h.rowid DESC LIMIT 200`,
          )
          .bind(t);
  const [courses, cohortRows] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT c.id, c.slug, c.title, c.summary, c.language, c.level, c.status, c.position,
           ${course("course_modules")} AS modules,
           ${course("course_lessons")} AS lessons,
           ${course("course_assignments")} AS assignments,
           ${course("course_cohorts")} AS cohorts,
           ${course("course_learners")} AS learners
         FROM bootcamp_courses c WHERE c.tenant_id = ?1 ${role === "instructor" ? "AND c.status = 'published'" : ""}
         ORDER BY c.position, c.title, c.rowid LIMIT 100`,
      )
      .bind(t),
    cohorts,
  ]);
  return {
    courses: (courses?.results ?? []) as CourseOverview["courses"],
    cohorts: (cohortRows?.results ?? []) as CourseOverview["cohorts"],
  };
}

/** A quiz as staff edit it: every answer and feedback. */
export type StaffQuiz = {
  id: string;
  module_id: string;
  title: string;
  questions: QuizQuestion[];
  pass_percent: number;
  max_attempts: number;
  gates_next: number;
  position: number;
};

export type CourseDetail = {
  course: CourseRow;
  modules: Array<
    ModuleRow & {
      lessons: Array<LessonRow & { body_md: string; html: string }>;
      quizzes: StaffQuiz[];
    }
  >;
  assignments: Array<AssignmentRow & { html: string }>;
  cohorts: CohortRow[];
};

/** One course with everything in it, for the staff editor (instructors read it too). */
export async function getCourseDetail({ ctx, input }: VerbArgs): Promise<CourseDetail> {
  assertTeam(ctx);
  const { id } = parse(idInput, input, "course");
  const t = ctx.tenant.id;
  const [course, modules, lessons, assignments, cohorts, quizzes] = await ctx.db.batch([
    ctx.db
      .prepare(
        "SELECT id, slug, title, summary, language, level, status, position FROM bootcamp_courses WHERE tenant_id = ? AND id = ?",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, title, position FROM bootcamp_modules WHERE tenant_id = ? AND course_id = ? AND archived_at IS NULL ORDER BY position, created_at",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, module_id, title, body_md, position, release_offset_days FROM bootcamp_lessons WHERE tenant_id = ? AND course_id = ? AND archived_at IS NULL ORDER BY position, created_at",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, title, brief_md, due_offset_days, rubric, position FROM bootcamp_assignments WHERE tenant_id = ? AND course_id = ? AND archived_at IS NULL ORDER BY position, created_at",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, name, start_date, end_date, seats, status FROM bootcamp_cohorts WHERE tenant_id = ? AND course_id = ? ORDER BY start_date",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        `SELECT id, module_id, title, questions, pass_percent, max_attempts, gates_next, position FROM bootcamp_quizzes
         WHERE tenant_id = ? AND course_id = ? AND archived_at IS NULL ORDER BY position, created_at`,
      )
      .bind(t, id),
  ]);
  const quizRows = (
    (quizzes?.results ?? []) as Array<Omit<StaffQuiz, "questions"> & { questions: string }>
  ).map((q): StaffQuiz => ({ ...q, questions: JSON.parse(q.questions) as QuizQuestion[] }));
  const c = course?.results[0] as CourseRow | undefined;
  if (!c) throw new DomainError("NOT_FOUND", "No such course.");
  const lessonRows = await Promise.all(
    ((lessons?.results ?? []) as Array<LessonRow & { body_md: string }>).map(async (l) => ({
      ...l,
      html: await renderMarkdown(l.body_md),
    })),
  );
  const assignmentRows = await Promise.all(
    ((assignments?.results ?? []) as Array<Omit<AssignmentRow, "rubric"> & { rubric: string }>).map(
      async (a) => ({
        ...a,
        rubric: JSON.parse(a.rubric) as Rubric,
        html: await renderMarkdown(a.brief_md),
      }),
    ),
  );
  return {
    course: c,
    modules: ((modules?.results ?? []) as ModuleRow[]).map((m) => ({
      ...m,
      lessons: lessonRows.filter((l) => l.module_id === m.id),
      quizzes: quizRows.filter((q) => q.module_id === m.id),
    })),
    assignments: assignmentRows,
    cohorts: (cohorts?.results ?? []) as CohortRow[],
  };
}
