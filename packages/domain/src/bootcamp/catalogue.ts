/**
 * The public catalogue of the bootcamp tenant: published courses with their modules and lesson titles (never
 * lesson bodies), instructors' names and upcoming open cohorts with the seats left. Nothing about learners.
 */
import { bootcampCountOf } from "../counters/index.ts";
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

/** How many courses the catalogue shows. */
const CATALOGUE_COURSES = 50;

/**
 * Published courses (one, with `slug`) and what the catalogue shows of them, in one batch: every statement reads
 * the courses shown only (the same ordered, limited list), and the counts are counters (bootcamp_counts). The
 * upcoming cohorts are read course by course from today on (INDEXED BY: the tenant's whole (start_date) index
 * would walk every course's cohorts, shown or not).
 */
async function readCatalogue(ctx: SystemCtx, tenantId: string, slug: string | undefined) {
  const only = slug === undefined ? "" : "AND c.slug = ?2";
  const binds = slug === undefined ? [tenantId] : [tenantId, slug];
  const shown = `SELECT c.id FROM bootcamp_courses c WHERE c.tenant_id = ?1 AND c.status = 'published' ${only}
    ORDER BY c.position, c.title, c.rowid LIMIT ${CATALOGUE_COURSES}`;
  const [courses, modules, lessons, cohorts, instructors] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT c.id, c.slug, c.title, c.summary, c.language, c.level,
           ${bootcampCountOf("c.tenant_id", "course_assignments", "c.id")} AS assignments
         FROM bootcamp_courses c
         WHERE c.tenant_id = ?1 AND c.status = 'published' ${only} ORDER BY c.position, c.title, c.rowid
         LIMIT ${CATALOGUE_COURSES}`,
      )
      .bind(...binds),
    ctx.db
      .prepare(
        `SELECT m.id, m.course_id, m.title FROM bootcamp_modules m WHERE m.tenant_id = ?1 AND m.course_id IN (${shown}) AND m.archived_at IS NULL
         ORDER BY m.position, m.created_at`,
      )
      .bind(...binds),
    ctx.db
      .prepare(
        `SELECT l.module_id, l.title FROM bootcamp_lessons l WHERE l.tenant_id = ?1 AND l.course_id IN (${shown}) AND l.archived_at IS NULL
         ORDER BY l.position, l.created_at`,
      )
      .bind(...binds),
    ctx.db
      .prepare(
        `SELECT h.id, h.course_id, h.name, h.start_date, h.end_date, h.seats, h.seats - ${SEATS_TAKEN} AS seats_left
         FROM bootcamp_cohorts h INDEXED BY "idx_bootcamp_cohorts_tenant_id_course_id_start_date"
         WHERE h.tenant_id = ?1 AND h.status = 'open' AND h.start_date >= ?${binds.length + 1}
           AND h.course_id IN (${shown}) ORDER BY h.start_date LIMIT 100`,
      )
      .bind(...binds, isoDay(ctx.now())),
    ctx.db
      .prepare(
        `SELECT i.cohort_id, h.course_id, coalesce(u.name, 'Fataplus') AS name FROM bootcamp_cohort_instructors i
         JOIN bootcamp_cohorts h ON h.tenant_id = i.tenant_id AND h.id = i.cohort_id
         JOIN users u ON u.id = i.user_id
         WHERE i.tenant_id = ?1 AND h.course_id IN (${shown}) ORDER BY u.name`,
      )
      .bind(...binds),
  ]);
  type Course = Omit<CatalogueCourse, "modules" | "instructors" | "cohorts">;
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
