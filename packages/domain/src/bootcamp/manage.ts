/**
 * Staff verbs: courses, modules, lessons, assignments, cohorts, instructors. Every query names the tenant;
 * references (a module's course, a lesson's module…) are looked up in the same tenant first, and composite
 * foreign keys refuse the rest in SQL.
 */
import type { z } from "zod";
import { auditStatement } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { conflictOnUnique, parse } from "../kernel/parse.ts";
import { assertStaff, assertTeaches, bootcampRole } from "./access.ts";
import { renderMarkdown } from "./markdown.ts";
import {
  assignInstructorInput,
  createAssignmentInput,
  createCohortInput,
  createCourseInput,
  createLessonInput,
  createModuleInput,
  idInput,
  type Rubric,
  updateCourseInput,
  updateLessonInput,
} from "./schemas.ts";

/** A verb's arguments: `input` is unknown, parsed by the verb with its schema `S`. */
type In<_S extends z.ZodType> = { ctx: Ctx; input: unknown };

export type CourseRow = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  language: "fr" | "en";
  level: string;
  status: "draft" | "published";
  position: number;
};
export type ModuleRow = { id: string; course_id: string; title: string; position: number };
export type LessonRow = {
  id: string;
  course_id: string;
  module_id: string;
  title: string;
  position: number;
  release_offset_days: number;
};
export type AssignmentRow = {
  id: string;
  course_id: string;
  title: string;
  brief_md: string;
  due_offset_days: number;
  rubric: Rubric;
  position: number;
};
export type CohortRow = {
  id: string;
  course_id: string;
  name: string;
  start_date: string;
  end_date: string | null;
  seats: number;
  status: "draft" | "open" | "closed";
};

async function courseExists(ctx: Ctx, id: string): Promise<void> {
  const row = await ctx.db
    .prepare("SELECT id FROM bootcamp_courses WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, id)
    .first();
  if (!row) throw new DomainError("NOT_FOUND", "No such course.");
}

export async function createCourse({ ctx, input }: In<typeof createCourseInput>) {
  assertStaff(ctx);
  const data = parse(createCourseInput, input, "course");
  const id = newId();
  const ts = nowIso(ctx.now());
  try {
    await ctx.db.batch([
      ctx.db
        .prepare(
          "INSERT INTO bootcamp_courses (id, tenant_id, slug, title, summary, language, level, status, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(
          id,
          ctx.tenant.id,
          data.slug,
          data.title,
          data.summary,
          data.language,
          data.level,
          data.status,
          data.position,
          ts,
          ts,
        ),
      auditStatement(ctx, "bootcamp.course.create", "bootcamp_courses", id, { slug: data.slug }),
    ]);
  } catch (e) {
    conflictOnUnique(e, `A course already uses the address “${data.slug}”.`);
  }
  return { id, ...data };
}

export async function updateCourse({ ctx, input }: In<typeof updateCourseInput>) {
  assertStaff(ctx);
  const { id, ...changes } = parse(updateCourseInput, input, "course");
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new DomainError("VALIDATION", "Nothing to change.");
  const sets = entries.map(([k]) => `"${k}" = ?`).join(", ");
  const result = await ctx.db.batch([
    ctx.db
      .prepare(`UPDATE bootcamp_courses SET ${sets}, updated_at = ? WHERE tenant_id = ? AND id = ?`)
      .bind(...entries.map(([, v]) => v as string | number), nowIso(ctx.now()), ctx.tenant.id, id),
    auditStatement(ctx, "bootcamp.course.update", "bootcamp_courses", id, Object.fromEntries(entries)),
  ]);
  if (result[0]?.meta.changes !== 1) throw new DomainError("NOT_FOUND", "No such course.");
  return { ok: true };
}

export async function createModule({ ctx, input }: In<typeof createModuleInput>) {
  assertStaff(ctx);
  const data = parse(createModuleInput, input, "module");
  await courseExists(ctx, data.course_id);
  const id = newId();
  await ctx.db.batch([
    ctx.db
      .prepare(
        "INSERT INTO bootcamp_modules (id, tenant_id, course_id, title, position, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind(id, ctx.tenant.id, data.course_id, data.title, data.position, nowIso(ctx.now())),
    auditStatement(ctx, "bootcamp.module.create", "bootcamp_modules", id, { course_id: data.course_id }),
  ]);
  return { id, ...data };
}

export async function createLesson({ ctx, input }: In<typeof createLessonInput>) {
  assertStaff(ctx);
  const data = parse(createLessonInput, input, "lesson");
  const mod = await ctx.db
    .prepare("SELECT course_id FROM bootcamp_modules WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, data.module_id)
    .first<{ course_id: string }>();
  if (!mod) throw new DomainError("NOT_FOUND", "No such module.");
  const id = newId();
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        "INSERT INTO bootcamp_lessons (id, tenant_id, course_id, module_id, title, body_md, position, release_offset_days, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        id,
        ctx.tenant.id,
        mod.course_id,
        data.module_id,
        data.title,
        data.body_md,
        data.position,
        data.release_offset_days,
        ts,
        ts,
      ),
    auditStatement(ctx, "bootcamp.lesson.create", "bootcamp_lessons", id, { module_id: data.module_id }),
  ]);
  return { id, course_id: mod.course_id, ...data };
}

export async function updateLesson({ ctx, input }: In<typeof updateLessonInput>) {
  assertStaff(ctx);
  const { id, ...changes } = parse(updateLessonInput, input, "lesson");
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new DomainError("VALIDATION", "Nothing to change.");
  const sets = entries.map(([k]) => `"${k}" = ?`).join(", ");
  const result = await ctx.db.batch([
    ctx.db
      .prepare(`UPDATE bootcamp_lessons SET ${sets}, updated_at = ? WHERE tenant_id = ? AND id = ?`)
      .bind(...entries.map(([, v]) => v as string | number), nowIso(ctx.now()), ctx.tenant.id, id),
    auditStatement(ctx, "bootcamp.lesson.update", "bootcamp_lessons", id, {
      fields: entries.map(([k]) => k),
    }),
  ]);
  if (result[0]?.meta.changes !== 1) throw new DomainError("NOT_FOUND", "No such lesson.");
  return { ok: true };
}

export async function createAssignment({ ctx, input }: In<typeof createAssignmentInput>) {
  assertStaff(ctx);
  const data = parse(createAssignmentInput, input, "assignment");
  await courseExists(ctx, data.course_id);
  const id = newId();
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        "INSERT INTO bootcamp_assignments (id, tenant_id, course_id, title, brief_md, due_offset_days, rubric, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        id,
        ctx.tenant.id,
        data.course_id,
        data.title,
        data.brief_md,
        data.due_offset_days,
        JSON.stringify(data.rubric),
        data.position,
        ts,
        ts,
      ),
    auditStatement(ctx, "bootcamp.assignment.create", "bootcamp_assignments", id, {
      course_id: data.course_id,
    }),
  ]);
  return { id, ...data };
}

export async function createCohort({ ctx, input }: In<typeof createCohortInput>) {
  assertStaff(ctx);
  const data = parse(createCohortInput, input, "cohort");
  await courseExists(ctx, data.course_id);
  const id = newId();
  await ctx.db.batch([
    ctx.db
      .prepare(
        "INSERT INTO bootcamp_cohorts (id, tenant_id, course_id, name, start_date, end_date, seats, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        id,
        ctx.tenant.id,
        data.course_id,
        data.name,
        data.start_date,
        data.end_date ?? null,
        data.seats,
        data.status,
        nowIso(ctx.now()),
      ),
    auditStatement(ctx, "bootcamp.cohort.create", "bootcamp_cohorts", id, { course_id: data.course_id }),
  ]);
  return { id, ...data };
}

/**
 * Puts a member of the tenant in charge of a cohort. The person must already work in this tenant (a
 * project_manager or admin member, or agency staff): teaching gives no access by itself.
 */
export async function assignInstructor({ ctx, input }: In<typeof assignInstructorInput>) {
  assertStaff(ctx);
  const data = parse(assignInstructorInput, input, "instructor");
  const cohort = await ctx.db
    .prepare("SELECT id FROM bootcamp_cohorts WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, data.cohort_id)
    .first();
  if (!cohort) throw new DomainError("NOT_FOUND", "No such cohort.");
  const user = await ctx.db
    .prepare(
      `SELECT u.id FROM users u LEFT JOIN memberships m ON m.user_id = u.id AND m.tenant_id = ?
       WHERE u.email = ? AND u.status = 'active'
         AND (u.role IN ('staff', 'admin') OR m.role IN ('project_manager', 'admin'))`,
    )
    .bind(ctx.tenant.id, data.email)
    .first<{ id: number }>();
  if (!user)
    throw new DomainError(
      "UNPROCESSABLE",
      "This person does not teach here yet: invite them to the bootcamp as a project manager first.",
    );
  const id = newId();
  await ctx.db.batch([
    ctx.db
      .prepare(
        "INSERT INTO bootcamp_cohort_instructors (id, tenant_id, cohort_id, user_id) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, cohort_id, user_id) DO NOTHING",
      )
      .bind(id, ctx.tenant.id, data.cohort_id, user.id),
    auditStatement(ctx, "bootcamp.instructor.assign", "bootcamp_cohorts", data.cohort_id, {
      user_id: user.id,
    }),
  ]);
  return { ok: true, user_id: user.id };
}

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
  const role = bootcampRole(ctx);
  if (role === "learner") throw new DomainError("FORBIDDEN", "This page is for the bootcamp's team.");
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
export async function getCourseDetail({ ctx, input }: In<typeof idInput>): Promise<CourseDetail> {
  if (bootcampRole(ctx) === "learner")
    throw new DomainError("FORBIDDEN", "This page is for the bootcamp's team.");
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
    ((assignments?.results ?? []) as Array<AssignmentRow & { rubric: string }>).map(async (a) => ({
      ...a,
      rubric: JSON.parse(a.rubric as unknown as string) as Rubric,
      html: await renderMarkdown(a.brief_md),
    })),
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

/** Checks the cohort exists in this tenant and that the caller may see it (staff, or one of its instructors). */
export async function cohortForTeam(
  ctx: Ctx,
  cohortId: string,
): Promise<CohortRow & { course_title: string }> {
  await assertTeaches(ctx, cohortId);
  const row = await ctx.db
    .prepare(
      `SELECT h.id, h.course_id, h.name, h.start_date, h.end_date, h.seats, h.status, c.title AS course_title
       FROM bootcamp_cohorts h JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE h.tenant_id = ? AND h.id = ?`,
    )
    .bind(ctx.tenant.id, cohortId)
    .first<CohortRow & { course_title: string }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such cohort.");
  return row;
}
