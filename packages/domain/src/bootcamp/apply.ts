/**
 * A public application to a cohort of the bootcamp tenant (applied). The answer is the same whether or not the
 * address already applied (nothing to learn about who applies); a full, closed or past cohort is refused.
 */
import { countClientAttempt } from "../auth/throttle.ts";
import { auditRow } from "../kernel/audit.ts";
import type { SystemCtx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { notifyAgency } from "../notifications/write.ts";
import { isoDay } from "./calendar.ts";
import { applyInput } from "./schemas.ts";
import { cohortWithSeats } from "./store.ts";

/** Public applications per client (IP, or IPv6 /64) in the login throttle's 15-minute window. */
export const APPLY_LIMIT = 5;

export async function applyToCohort({
  ctx,
  tenant,
  input,
  clientIp,
}: {
  ctx: SystemCtx;
  tenant: TenantRef;
  input: unknown;
  /** The applicant's address (cf-connecting-ip): at most APPLY_LIMIT applications per window from one client. */
  clientIp: string;
}) {
  const data = parse(applyInput, input, "application");
  await countClientAttempt(ctx.db, {
    scope: "bootcamp-apply",
    ip: clientIp,
    limit: APPLY_LIMIT,
    nowS: Math.floor(ctx.now().getTime() / 1000),
    message: "Too many applications from your network: try again later.",
  });
  const cohort = await cohortWithSeats(ctx.db, tenant.id, data.cohort_id);
  if (cohort?.course_status !== "published" || cohort.status === "draft")
    throw new DomainError("NOT_FOUND", "No such cohort.");
  if (cohort.status === "closed" || cohort.start_date < isoDay(ctx.now()))
    throw new DomainError("CONFLICT", "Applications for this cohort are closed.");
  if (cohort.taken >= cohort.seats) throw new DomainError("CONFLICT", "This cohort is full.");
  const id = newId();
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, status, motivation, created_at)
         VALUES (?, ?, ?, ?, ?, 'applied', ?, ?) ON CONFLICT (tenant_id, cohort_id, email) DO NOTHING`,
      )
      .bind(id, tenant.id, data.cohort_id, data.email, data.name, data.motivation ?? null, ts),
    // the audit row only for a new application (a repeated one changed nothing)
    auditRow(ctx.db, {
      tenantId: tenant.id,
      actorType: "system",
      actorId: null,
      action: "bootcamp.enrolment.apply",
      entity: "bootcamp_enrolments",
      entityId: id,
      data: { cohort_id: data.cohort_id },
      at: ts,
      when: { sql: "changes() = 1" },
    }),
    // the bootcamp's managers hear of a new application (the audit row just before exists only then)
    notifyAgency(
      { db: ctx.db, tenantId: tenant.id, actorId: null, at: ts },
      {
        kind: "bootcamp_application",
        object: { type: "enrolment", id },
        title: `${cohort.course_title} · ${cohort.name}`,
        actorName: data.name,
        when: "changes() = 1",
      },
    ),
  ]);
  return { ok: true };
}
