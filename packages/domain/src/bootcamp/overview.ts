/**
 * The team's reading side: the overview of every course and cohort, and one course with everything in it.
 * Instructors read them too, limited to the cohorts they teach.
 */
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { assertTeam } from "./access.ts";
import { renderMarkdown } from "./markdown.ts";
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
 * cohorts they teach (and no drafts).
 */
export async function getBootcampOverview({ ctx }: { ctx: Ctx }): Promise<CourseOverview> {
  const role = assertTeam(ctx);
  const t = ctx.tenant.id;
  const teachFilter =
    role === "instructor"
      ? "AND EXISTS (SELECT 1 FROM bootcamp_cohort_instructors i WHERE i.tenant_id = h.tenant_id AND i.cohort_id = h.id AND i.user_id = ?)"
      : "";
  const binds: Array<string | number> = [t];
  if (role === "instructor" && ctx.actor.type !== "system") binds.push(ctx.actor.userId);
  const [courses, cohorts] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT c.id, c.slug, c.title, c.summary, c.language, c.level, c.status, c.position,
           (SELECT count(*) FROM bootcamp_modules m WHERE m.tenant_id = c.tenant_id AND m.course_id = c.id) AS modules,
           (SELECT count(*) FROM bootcamp_lessons l WHERE l.tenant_id = c.tenant_id AND l.course_id = c.id) AS lessons,
           (SELECT count(*) FROM bootcamp_assignments a WHERE a.tenant_id = c.tenant_id AND a.course_id = c.id) AS assignments,
           (SELECT count(*) FROM bootcamp_cohorts h WHERE h.tenant_id = c.tenant_id AND h.course_id = c.id) AS cohorts,
           (SELECT count(*) FROM bootcamp_enrolments e JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
              WHERE e.tenant_id = c.tenant_id AND h.course_id = c.id AND e.status IN ('active', 'completed')) AS learners
         FROM bootcamp_courses c WHERE c.tenant_id = ? ${role === "instructor" ? "AND c.status = 'published'" : ""}
         ORDER BY c.position, c.title LIMIT 100`,
      )
      .bind(t),
    ctx.db
      .prepare(
        `SELECT h.id, h.course_id, h.name, h.start_date, h.end_date, h.seats, h.status, c.title AS course_title,
           (SELECT count(*) FROM bootcamp_enrolments e WHERE e.tenant_id = h.tenant_id AND e.cohort_id = h.id AND e.status IN ('active', 'completed')) AS learners,
           coalesce((SELECT group_concat(coalesce(u.name, u.email), ', ') FROM bootcamp_cohort_instructors i JOIN users u ON u.id = i.user_id
              WHERE i.tenant_id = h.tenant_id AND i.cohort_id = h.id), '') AS instructors
         FROM bootcamp_cohorts h JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
         WHERE h.tenant_id = ? ${teachFilter}
         ORDER BY h.start_date DESC LIMIT 200`,
      )
      .bind(...binds),
  ]);
  return {
    courses: (courses?.results ?? []) as CourseOverview["courses"],
    cohorts: (cohorts?.results ?? []) as CourseOverview["cohorts"],
  };
}

export type CourseDetail = {
  course: CourseRow;
  modules: Array<ModuleRow & { lessons: Array<LessonRow & { body_md: string; html: string }> }>;
  assignments: Array<AssignmentRow & { html: string }>;
  cohorts: CohortRow[];
};

/** One course with everything in it, for the staff editor (instructors read it too). */
export async function getCourseDetail({ ctx, input }: VerbArgs): Promise<CourseDetail> {
  assertTeam(ctx);
  const { id } = parse(idInput, input, "course");
  const t = ctx.tenant.id;
  const [course, modules, lessons, assignments, cohorts] = await ctx.db.batch([
    ctx.db
      .prepare(
        "SELECT id, slug, title, summary, language, level, status, position FROM bootcamp_courses WHERE tenant_id = ? AND id = ?",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, title, position FROM bootcamp_modules WHERE tenant_id = ? AND course_id = ? ORDER BY position, created_at",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, module_id, title, body_md, position, release_offset_days FROM bootcamp_lessons WHERE tenant_id = ? AND course_id = ? ORDER BY position, created_at",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, title, brief_md, due_offset_days, rubric, position FROM bootcamp_assignments WHERE tenant_id = ? AND course_id = ? ORDER BY position, created_at",
      )
      .bind(t, id),
    ctx.db
      .prepare(
        "SELECT id, course_id, name, start_date, end_date, seats, status FROM bootcamp_cohorts WHERE tenant_id = ? AND course_id = ? ORDER BY start_date",
      )
      .bind(t, id),
  ]);
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
    })),
    assignments: assignmentRows,
    cohorts: (cohorts?.results ?? []) as CohortRow[],
  };
}
