/** Staff verbs on cohorts: create one, put an instructor in charge; and the team's view of one cohort. */
import { writeWithAudit } from "../kernel/audit.ts";
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { assertStaff, assertTeaches } from "./access.ts";
import type { CohortRow } from "./rows.ts";
import { assignInstructorInput, createCohortInput } from "./schemas.ts";
import { courseExists, insertRow } from "./store.ts";

export async function createCohort({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const data = parse(createCohortInput, input, "cohort");
  await courseExists(ctx, data.course_id);
  const id = newId();
  await writeWithAudit(
    ctx,
    [
      insertRow(ctx, "bootcamp_cohorts", {
        id,
        tenant_id: ctx.tenant.id,
        ...data,
        created_at: nowIso(ctx.now()),
      }),
    ],
    {
      action: "bootcamp.cohort.create",
      entity: "bootcamp_cohorts",
      entityId: id,
      data: { course_id: data.course_id },
    },
  );
  return { id, ...data };
}

/**
 * Puts a member of the tenant in charge of a cohort. The person must already work in this tenant (a
 * project_manager or admin member, or agency staff): teaching gives no access by itself.
 */
export async function assignInstructor({ ctx, input }: VerbArgs) {
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
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "INSERT INTO bootcamp_cohort_instructors (id, tenant_id, cohort_id, user_id) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, cohort_id, user_id) DO NOTHING",
        )
        .bind(newId(), ctx.tenant.id, data.cohort_id, user.id),
    ],
    {
      action: "bootcamp.instructor.assign",
      entity: "bootcamp_cohorts",
      entityId: data.cohort_id,
      data: { user_id: user.id },
    },
  );
  return { ok: true, user_id: user.id };
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
