/**
 * The public catalogue of the bootcamp tenant: published courses with their modules and lesson titles (never
 * lesson bodies), instructors' names and upcoming open cohorts with the seats left. Nothing about learners.
 */
import type { SystemCtx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { BOOTCAMP_SUBDOMAIN } from "../vocabulary/subdomains.ts";
import { isoDay } from "./access.ts";

/** The tenant whose catalogue fata.plus/bootcamp shows (a reserved subdomain: no project can take it). */
export { BOOTCAMP_SUBDOMAIN };

export type CatalogueCohort = {
  id: string;
  name: string;
  start_date: string;
  end_date: string | null;
  seats: number;
  seats_left: number;
  instructors: string[];
};

export type CatalogueCourse = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  language: "fr" | "en";
  level: string;
  modules: Array<{ title: string; lessons: string[] }>;
  assignments: number;
  instructors: string[];
  cohorts: CatalogueCohort[];
};

export async function getCatalogue({
  ctx,
  tenant,
  slug,
}: {
  ctx: SystemCtx;
  tenant: TenantRef;
  slug?: string;
}): Promise<{ courses: CatalogueCourse[] }> {
  const t = tenant.id;
  const today = isoDay(ctx.now());
  const only = slug === undefined ? "" : "AND c.slug = ?";
  const courseBinds = slug === undefined ? [t] : [t, slug];
  const published = "SELECT id FROM bootcamp_courses c WHERE c.tenant_id = ? AND c.status = 'published'";
  const [courses, modules, lessons, cohorts, instructors, assignments] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT c.id, c.slug, c.title, c.summary, c.language, c.level FROM bootcamp_courses c
         WHERE c.tenant_id = ? AND c.status = 'published' ${only} ORDER BY c.position, c.title LIMIT 50`,
      )
      .bind(...courseBinds),
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
        `SELECT h.id, h.course_id, h.name, h.start_date, h.end_date, h.seats,
           h.seats - (SELECT count(*) FROM bootcamp_enrolments e WHERE e.tenant_id = h.tenant_id AND e.cohort_id = h.id
             AND e.status IN ('invited', 'active', 'completed')) AS seats_left
         FROM bootcamp_cohorts h WHERE h.tenant_id = ? AND h.status = 'open' AND h.start_date >= ?
           AND h.course_id IN (${published}) ORDER BY h.start_date LIMIT 100`,
      )
      .bind(t, today, t),
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
  type M = { id: string; course_id: string; title: string };
  type L = { module_id: string; title: string };
  type H = Omit<CatalogueCohort, "instructors"> & { course_id: string };
  type I = { cohort_id: string; course_id: string; name: string };
  const mods = (modules?.results ?? []) as M[];
  const less = (lessons?.results ?? []) as L[];
  const cohs = (cohorts?.results ?? []) as H[];
  const inst = (instructors?.results ?? []) as I[];
  const counts = (assignments?.results ?? []) as Array<{ course_id: string; n: number }>;
  const list = (
    (courses?.results ?? []) as Array<
      Omit<CatalogueCourse, "modules" | "instructors" | "cohorts" | "assignments">
    >
  ).map((c) => ({
    ...c,
    modules: mods
      .filter((m) => m.course_id === c.id)
      .map((m) => ({
        title: m.title,
        lessons: less.filter((l) => l.module_id === m.id).map((l) => l.title),
      })),
    assignments: counts.find((n) => n.course_id === c.id)?.n ?? 0,
    instructors: [...new Set(inst.filter((i) => i.course_id === c.id).map((i) => i.name))],
    cohorts: cohs
      .filter((h) => h.course_id === c.id)
      .map(({ course_id: _course, ...h }) => ({
        ...h,
        seats_left: Math.max(0, h.seats_left),
        instructors: [...new Set(inst.filter((i) => i.cohort_id === h.id).map((i) => i.name))],
      })),
  }));
  if (slug !== undefined && list.length === 0) throw new DomainError("NOT_FOUND", "No such course.");
  return { courses: list };
}
