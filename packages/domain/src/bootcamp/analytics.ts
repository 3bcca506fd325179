/**
 * The bootcamp's figures for the CRM dashboard (staff only), from the counters the triggers keep
 * (bootcamp_counts, migrations/0012_bootcamp_reads.sql): a dozen rows read whatever the bootcamp holds.
 */
import { bootcampCountOf } from "../counters/index.ts";
import type { Ctx } from "../kernel/context.ts";
import { assertStaff } from "./access.ts";
import { enrolmentStatuses } from "./schemas.ts";

export type BootcampStats = {
  enrolments: { applied: number; invited: number; active: number; completed: number; withdrawn: number };
  /** completed / (active + completed), 0..1; null without learners. */
  completionRate: number | null;
  /** Mean hours from submission to released review; null before the first release. */
  averageReviewHours: number | null;
  awaitingReview: number;
  certificates: number;
};

type StatsRow = {
  applied: number;
  invited: number;
  active: number;
  completed: number;
  withdrawn: number;
  reviews: number;
  review_ms: number;
  awaiting: number;
  certificates: number;
};

const MS_PER_HOUR = 3_600_000;

export async function getBootcampStats({ ctx }: { ctx: Ctx }): Promise<BootcampStats> {
  assertStaff(ctx);
  const status = (s: string) => `${bootcampCountOf("?1", "enrolment_status", `'${s}'`)} AS ${s}`;
  const row = await ctx.db
    .prepare(
      `SELECT ${enrolmentStatuses.map(status).join(", ")},
         ${bootcampCountOf("?1", "review_ms", "''")} AS reviews,
         coalesce((SELECT sum_a FROM bootcamp_counts WHERE tenant_id = ?1 AND field = 'review_ms' AND value = ''), 0) AS review_ms,
         ${bootcampCountOf("?1", "submissions_awaiting", "''")} AS awaiting,
         ${bootcampCountOf("?1", "certificates_valid", "''")} AS certificates`,
    )
    .bind(ctx.tenant.id)
    .first<StatsRow>();
  const enrolments = {
    applied: row?.applied ?? 0,
    invited: row?.invited ?? 0,
    active: row?.active ?? 0,
    completed: row?.completed ?? 0,
    withdrawn: row?.withdrawn ?? 0,
  };
  const learners = enrolments.active + enrolments.completed;
  const reviews = row?.reviews ?? 0;
  const hours = reviews === 0 ? null : (row?.review_ms ?? 0) / reviews / MS_PER_HOUR;
  return {
    enrolments,
    completionRate: learners === 0 ? null : enrolments.completed / learners,
    averageReviewHours: hours === null ? null : Math.round(hours * 10) / 10,
    awaitingReview: row?.awaiting ?? 0,
    certificates: row?.certificates ?? 0,
  };
}
