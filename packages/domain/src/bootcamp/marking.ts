/**
 * The marking states of a submission: not_marked → in_review → released. An instructor
 * (of the submission's cohort) or staff start a review, score each rubric criterion and write feedback, then
 * release it: only then does the learner see them. Reopening lets the learner submit again (which resets the
 * marking). Every transition is one conditional UPDATE: a stale or concurrent transition gets a 409.
 */

import { auditRow } from "../kernel/audit.ts";
import { actorId, type Ctx, type VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { tenantRoles } from "../kernel/roles.ts";
import { notifyUser } from "../notifications/write.ts";
import { actingUserId } from "./access.ts";
import { certificateStatements } from "./certificates.ts";
import { submissionForTeam } from "./review-scope.ts";
import { idInput, type Rubric, reviewInput } from "./schemas.ts";
import { changedRow } from "./store.ts";

/** The audit row of a transition, written only if the UPDATE just before it changed the row. */
function auditIfChanged(ctx: Ctx, action: string, id: string): D1PreparedStatement {
  return auditRow(ctx.db, {
    tenantId: ctx.tenant.id,
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    action,
    entity: "bootcamp_submissions",
    entityId: id,
    at: nowIso(ctx.now()),
    when: { sql: "changes() = 1" },
  });
}

async function transition(
  ctx: Ctx,
  id: string,
  action: string,
  sql: string,
  binds: Array<string | number | null>,
  conflict: string,
  extra: D1PreparedStatement[] = [],
) {
  const [res] = await ctx.db.batch([
    ctx.db.prepare(sql).bind(...binds),
    auditIfChanged(ctx, action, id),
    ...extra,
  ]);
  if (!changedRow(res)) throw new DomainError("CONFLICT", conflict);
}

/** not_marked → in_review. */
export async function startReview({ ctx, input }: VerbArgs) {
  const { id } = parse(idInput, input, "submission");
  await submissionForTeam(ctx, id);
  await transition(
    ctx,
    id,
    "bootcamp.submission.start_review",
    `UPDATE bootcamp_submissions SET marking_state = 'in_review', review_started_at = ?, reviewer_id = ?
     WHERE tenant_id = ? AND id = ? AND marking_state = 'not_marked' AND open = 0`,
    [nowIso(ctx.now()), actingUserId(ctx), ctx.tenant.id, id],
    "This submission is not waiting for a review (someone may have started it).",
  );
  return { ok: true, marking_state: "in_review" as const };
}

/** Scores (one per rubric criterion, within its points) and feedback, while in review. */
export async function saveReview({ ctx, input }: VerbArgs) {
  const data = parse(reviewInput, input, "review");
  const row = await submissionForTeam(ctx, data.id);
  const rubric = JSON.parse(row.rubric) as Rubric;
  if (data.scores.length !== rubric.length)
    throw new DomainError("VALIDATION", `Give one score per rubric criterion (${rubric.length}).`, {
      details: [{ path: "scores", message: `expected ${rubric.length} scores` }],
    });
  const over = data.scores.findIndex((s, i) => s > (rubric[i]?.points ?? 0));
  if (over !== -1)
    throw new DomainError(
      "VALIDATION",
      `“${rubric[over]?.criterion}” is scored out of ${rubric[over]?.points}.`,
      {
        details: [{ path: `scores.${over}`, message: `at most ${rubric[over]?.points}` }],
      },
    );
  await transition(
    ctx,
    data.id,
    "bootcamp.submission.score",
    `UPDATE bootcamp_submissions SET scores = ?, feedback = ?, reviewer_id = ?
     WHERE tenant_id = ? AND id = ? AND marking_state = 'in_review'`,
    [JSON.stringify(data.scores), data.feedback, actingUserId(ctx), ctx.tenant.id, data.id],
    "Start the review before scoring (a released review is final until reopened).",
  );
  return { ok: true };
}

/** in_review (scored) → released: the learner sees score and feedback; finishing the course issues the certificate. */
export async function releaseReview({ ctx, input }: VerbArgs) {
  const { id } = parse(idInput, input, "submission");
  const row = await submissionForTeam(ctx, id);
  const at = nowIso(ctx.now());
  const learner = await ctx.db
    .prepare("SELECT user_id FROM bootcamp_enrolments WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, row.enrolment_id)
    .first<{ user_id: number | null }>();
  // the learner hears that the review is out (only if this release is the one that happened)
  const told =
    learner?.user_id == null
      ? []
      : [
          notifyUser(ctx, learner.user_id, tenantRoles, {
            kind: "review_published",
            object: { type: "submission", id },
            title: row.assignment_title,
            when: "EXISTS (SELECT 1 FROM bootcamp_submissions WHERE tenant_id = ? AND id = ? AND released_at = ?)",
            whenBinds: [ctx.tenant.id, id, at],
          }),
        ];
  await transition(
    ctx,
    id,
    "bootcamp.submission.release",
    `UPDATE bootcamp_submissions SET marking_state = 'released', released_at = ?
     WHERE tenant_id = ? AND id = ? AND marking_state = 'in_review' AND scores IS NOT NULL`,
    [at, ctx.tenant.id, id],
    "Only a scored review can be released.",
    [...certificateStatements(ctx, row.enrolment_id), ...told],
  );
  return { ok: true, marking_state: "released" as const };
}

/** Lets the learner submit again (after a review, or to fix a wrong link). */
export async function reopenSubmission({ ctx, input }: VerbArgs) {
  const { id } = parse(idInput, input, "submission");
  await submissionForTeam(ctx, id);
  await transition(
    ctx,
    id,
    "bootcamp.submission.reopen",
    "UPDATE bootcamp_submissions SET open = 1 WHERE tenant_id = ? AND id = ? AND open = 0",
    [ctx.tenant.id, id],
    "This submission is already open for a new attempt.",
  );
  return { ok: true };
}
