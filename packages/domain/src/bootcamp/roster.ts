/**
 * A cohort's roster: its enrolments with each learner's progress, for staff and the cohort's instructors. The
 * figures are counters (bootcamp_counts): one row each per learner.
 */
import { bootcampCountOf } from "../counters/index.ts";
import type { VerbArgs } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { cohortForTeam } from "./cohorts.ts";
import { type EnrolmentStatus, idInput } from "./schemas.ts";

export type EnrolmentRow = {
  id: string;
  cohort_id: string;
  email: string;
  name: string;
  user_id: number | null;
  status: EnrolmentStatus;
  motivation: string | null;
  invited_at: string | null;
  joined_at: string | null;
  completed_at: string | null;
  created_at: string;
};

export type CohortRoster = {
  cohort: Awaited<ReturnType<typeof cohortForTeam>>;
  lessons: number;
  assignments: number;
  enrolments: Array<EnrolmentRow & { lessons_done: number; released: number; certificate_id: string | null }>;
};

export async function getCohortRoster({ ctx, input }: VerbArgs): Promise<CohortRoster> {
  const { id } = parse(idInput, input, "cohort");
  const cohort = await cohortForTeam(ctx, id);
  const t = ctx.tenant.id;
  const [counts, rows] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT ${bootcampCountOf("?1", "course_lessons", "?2")} AS lessons,
                ${bootcampCountOf("?1", "course_assignments", "?2")} AS assignments`,
      )
      .bind(t, cohort.course_id),
    ctx.db
      .prepare(
        `SELECT e.id, e.cohort_id, e.email, e.name, e.user_id, e.status, e.motivation, e.invited_at, e.joined_at,
                e.completed_at, e.created_at,
           ${bootcampCountOf("e.tenant_id", "enrolment_lessons_done", "e.id")} AS lessons_done,
           ${bootcampCountOf("e.tenant_id", "enrolment_released", "e.id")} AS released,
           (SELECT id FROM bootcamp_certificates c WHERE c.tenant_id = e.tenant_id AND c.enrolment_id = e.id AND c.revoked_at IS NULL) AS certificate_id
         FROM bootcamp_enrolments e WHERE e.tenant_id = ? AND e.cohort_id = ? ORDER BY e.created_at LIMIT 1000`,
      )
      .bind(t, id),
  ]);
  const c = counts?.results[0] as { lessons: number; assignments: number } | undefined;
  return {
    cohort,
    lessons: c?.lessons ?? 0,
    assignments: c?.assignments ?? 0,
    enrolments: (rows?.results ?? []) as CohortRoster["enrolments"],
  };
}
