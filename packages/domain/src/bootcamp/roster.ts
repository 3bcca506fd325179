/** A cohort's roster: its enrolments with each learner's progress, for staff and the cohort's instructors. */
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
        `SELECT (SELECT count(*) FROM bootcamp_lessons WHERE tenant_id = ? AND course_id = ?) AS lessons,
                (SELECT count(*) FROM bootcamp_assignments WHERE tenant_id = ? AND course_id = ?) AS assignments`,
      )
      .bind(t, cohort.course_id, t, cohort.course_id),
    ctx.db
      .prepare(
        `SELECT e.id, e.cohort_id, e.email, e.name, e.user_id, e.status, e.motivation, e.invited_at, e.joined_at,
                e.completed_at, e.created_at,
           (SELECT count(*) FROM bootcamp_progress p WHERE p.tenant_id = e.tenant_id AND p.enrolment_id = e.id) AS lessons_done,
           (SELECT count(*) FROM bootcamp_submissions s WHERE s.tenant_id = e.tenant_id AND s.enrolment_id = e.id AND s.marking_state = 'released') AS released,
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
