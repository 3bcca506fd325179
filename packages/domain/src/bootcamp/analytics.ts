/** The bootcamp's figures for the CRM dashboard (staff only). */
import type { Ctx } from "../kernel/context.ts";
import { assertStaff } from "./access.ts";

export type BootcampStats = {
  enrolments: { applied: number; invited: number; active: number; completed: number; withdrawn: number };
  /** completed / (active + completed), 0..1; null without learners. */
  completionRate: number | null;
  /** Mean hours from submission to released review; null before the first release. */
  averageReviewHours: number | null;
  awaitingReview: number;
  certificates: number;
};

export async function getBootcampStats({ ctx }: { ctx: Ctx }): Promise<BootcampStats> {
  assertStaff(ctx);
  const t = ctx.tenant.id;
  const [byStatus, review, awaiting, certs] = await ctx.db.batch([
    ctx.db
      .prepare("SELECT status, count(*) AS n FROM bootcamp_enrolments WHERE tenant_id = ? GROUP BY status")
      .bind(t),
    ctx.db
      .prepare(
        `SELECT avg((julianday(released_at) - julianday(submitted_at)) * 24.0) AS hours FROM bootcamp_submissions
         WHERE tenant_id = ? AND marking_state = 'released'`,
      )
      .bind(t),
    ctx.db
      .prepare(
        "SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ? AND marking_state IN ('not_marked', 'in_review') AND open = 0",
      )
      .bind(t),
    ctx.db
      .prepare("SELECT count(*) AS n FROM bootcamp_certificates WHERE tenant_id = ? AND revoked_at IS NULL")
      .bind(t),
  ]);
  const enrolments = { applied: 0, invited: 0, active: 0, completed: 0, withdrawn: 0 };
  for (const r of (byStatus?.results ?? []) as Array<{ status: keyof typeof enrolments; n: number }>)
    enrolments[r.status] = r.n;
  const learners = enrolments.active + enrolments.completed;
  const hours = (review?.results[0] as { hours: number | null } | undefined)?.hours ?? null;
  return {
    enrolments,
    completionRate: learners === 0 ? null : enrolments.completed / learners,
    averageReviewHours: hours === null ? null : Math.round(hours * 10) / 10,
    awaitingReview: (awaiting?.results[0] as { n: number } | undefined)?.n ?? 0,
    certificates: (certs?.results[0] as { n: number } | undefined)?.n ?? 0,
  };
}
