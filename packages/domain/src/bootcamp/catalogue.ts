/**
 * The public catalogue of the bootcamp tenant: published courses with their modules and lesson titles (never
 * lesson bodies), instructors' names and upcoming open cohorts with the seats left. Nothing about learners.
 */
import type { SystemCtx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { isoDay } from "./calendar.ts";
import type { CourseRow } from "./rows.ts";
import { SEATS_TAKEN } from "./store.ts";

export type CatalogueCohort = {
  id: string;
  name: string;
  start_date: string;
  end_date: string | null;
  seats: number;
  seats_left: number;
  instructors: string[];
};

export type CatalogueCourse = Pick<CourseRow, "id" | "slug" | "title" | "summary" | "language" | "level"> & {
  modules: Array<{ title: string; lessons: string[] }>;
  assignments: number;
  instructors: string[];
  cohorts: CatalogueCohort[];
};

/** Published courses (one, with `slug`) and what the catalogue shows of them, in one batch. */
async function readCatalogue(ctx: SystemCtx, tenantId: string, slug: string | undefined) {
  const t = tenantId;
  const only = slug === undefined ? "" : "AND c.slug = ?";
  const published = "SELECT id FROM bootcamp_courses c WHERE c.tenant_id = ? AND c.status = 'published'";
  const [courses, modules, lessons, cohorts, instructors, assignments] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT c.id, c.slug, c.title, c.summary, c.language, c.level FROM bootcamp_courses c
         WHERE c.tenant_id = ? AND c.status = 'published' ${only} ORDER BY c.position, c.title LIMIT 50`,
      )
      .bind(...(slug === undefined ? [t] : [t, slug])),
    ctx.db
      .prepare(
        `SELECT m.id, m.course_id, m.title FROM bootcamp_modules m WHERE m.tenant_id = ? AND m.course_id IN (${published})
         ORDER BY m.position, m.created_at`,
      )
      .bind(t, t),
    ctx.db
      .prepare(
        `SELECT l.module_id, l.title FROM bootcamp_lessons l WHERE l.tenant_id = ? AND l.course_id IN (${published})
         ORDER BY l.position, l.created_at`,
      )
      .bind(t, t),
    ctx.db
      .prepare(
        `SELECT h.id, h.course_id, h.name, h.start_date, h.end_date, h.seats, h.seats - ${SEATS_TAKEN} AS seats_left
         FROM bootcamp_cohorts h WHERE h.tenant_id = ? AND h.status = 'open' AND h.start_date >= ?
           AND h.course_id IN (${published}) ORDER BY h.start_date LIMIT 100`,
      )
      .bind(t, isoDay(ctx.now()), t),
    ctx.db
      .prepare(
        `SELECT i.cohort_id, h.course_id, coalesce(u.name, 'Fataplus') AS name FROM bootcamp_cohort_instructors i
         JOIN bootcamp_cohorts h ON h.tenant_id = i.tenant_id AND h.id = i.cohort_id
         JOIN users u ON u.id = i.user_id
         WHERE i.tenant_id = ? AND h.course_id IN (${published}) ORDER BY u.name`,
      )
      .bind(t, t),
    ctx.db
      .prepare(
        `SELECT a.course_id, count(*) AS n FROM bootcamp_assignments a WHERE a.tenant_id = ? AND a.course_id IN (${published})
         GROUP BY a.course_id`,
      )
      .bind(t, t),
  ]);
  type Course = Omit<CatalogueCourse, "modules" | "instructors" | "cohorts" | "assignments">;
  return {
    courses: (courses?.results ?? []) as Course[],
    modules: (modules?.results ?? []) as Array<{ id: string; course_id: string; title: string }>,
    lessons: (lessons?.results ?? []) as Array<{ module_id: string; title: string }>,
    cohorts: (cohorts?.results ?? []) as Array<Omit<CatalogueCohort, "instructors"> & { course_id: string }>,
    instructors: (instructors?.results ?? []) as Array<{
      cohort_id: string;
      course_id: string;
      name: string;
    }>,
    assignments: (assignments?.results ?? []) as Array<{ course_id: string; n: number }>,
  };
}

export async function getCatalogue({
  ctx,
  tenant,
  slug,
}: {
  ctx: SystemCtx;
  tenant: TenantRef;
  slug?: string;
}): Promise<{ courses: CatalogueCourse[] }> {
  const read = await readCatalogue(ctx, tenant.id, slug);
  const names = (rows: Array<{ name: string }>) => [...new Set(rows.map((i) => i.name))];
  const list = read.courses.map((c) => ({
    ...c,
    modules: read.modules
      .filter((m) => m.course_id === c.id)
      .map((m) => ({
        title: m.title,
        lessons: read.lessons.filter((l) => l.module_id === m.id).map((l) => l.title),
      })),
    assignments: read.assignments.find((n) => n.course_id === c.id)?.n ?? 0,
    instructors: names(read.instructors.filter((i) => i.course_id === c.id)),
    cohorts: read.cohorts
      .filter((h) => h.course_id === c.id)
      .map(({ course_id: _course, ...h }) => ({
        ...h,
        seats_left: Math.max(0, h.seats_left),
        instructors: names(read.instructors.filter((i) => i.cohort_id === h.id)),
      })),
  }));
  if (slug !== undefined && list.length === 0) throw new DomainError("NOT_FOUND", "No such course.");
  return { courses: list };
}
