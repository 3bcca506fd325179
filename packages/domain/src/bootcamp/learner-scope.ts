/**
 * The learner's own enrolment (internal): every learner query is bound to it (`e.user_id = caller`), so another
 * learner's enrolment id answers "not found", like an unknown one.
 */
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { actingEmail, actingUserId } from "./access.ts";

export type OwnEnrolment = {
  id: string;
  status: string;
  cohort_id: string;
  cohort_name: string;
  start_date: string;
  end_date: string | null;
  course_id: string;
  course_title: string;
  course_slug: string;
  course_language: string;
};

/** Links the caller's invited enrolments (same e-mail, a member of this tenant) to their account. */
export async function claimInvited(ctx: Ctx): Promise<void> {
  const userId = actingUserId(ctx);
  const email = actingEmail(ctx);
  if (userId === null || email === null) return;
  await ctx.db
    .prepare(
      `UPDATE bootcamp_enrolments SET user_id = ?, status = 'active', joined_at = ?
       WHERE tenant_id = ? AND email = ? AND status = 'invited' AND user_id IS NULL`,
    )
    .bind(userId, nowIso(ctx.now()), ctx.tenant.id, email)
    .run();
}

export async function ownEnrolment(ctx: Ctx, enrolmentId: string): Promise<OwnEnrolment> {
  const userId = actingUserId(ctx);
  const row = await ctx.db
    .prepare(
      `SELECT e.id, e.status, e.cohort_id, h.name AS cohort_name, h.start_date, h.end_date, c.id AS course_id,
              c.title AS course_title, c.slug AS course_slug, c.language AS course_language
       FROM bootcamp_enrolments e
         JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
         JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE e.tenant_id = ? AND e.id = ? AND e.user_id = ? AND e.status IN ('active', 'completed')`,
    )
    .bind(ctx.tenant.id, enrolmentId, userId)
    .first<OwnEnrolment>();
  if (!row) throw new DomainError("NOT_FOUND", "No such enrolment.");
  return row;
}
