/**
 * Who is who in a bootcamp tenant (docs/decisions/010-bootcamp.md):
 *  - staff: the bootcamp tenant's admins and the agency's staff and admins: they manage everything (a project
 *    tenant's admins are not staff of a bootcamp there);
 *  - instructor: a project_manager member of the tenant: sees and reviews only the cohorts they teach;
 *  - learner: a client member: sees only their own enrolments, progress, submissions and certificates.
 */
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { BOOTCAMP_SUBDOMAIN } from "../vocabulary/subdomains.ts";

/** The tenant whose catalogue fata.plus/bootcamp shows (a reserved subdomain: no project can take it). */
export { BOOTCAMP_SUBDOMAIN };

export type BootcampRole = "staff" | "instructor" | "learner";

export function bootcampRole(ctx: Ctx): BootcampRole {
  if (ctx.actor.type === "system") return ctx.role === "client" ? "learner" : "staff";
  // A tenant's own admins run the bootcamp only in the bootcamp's tenant. Elsewhere (a client's project) they
  // are not its staff: otherwise a project's admin could enrol any address into their project and have
  // Fataplus mail it an invitation with their text, which createInvitation reserves to the agency's people.
  if (ctx.role === "admin" && ctx.tenant.subdomain === BOOTCAMP_SUBDOMAIN) return "staff";
  if (ctx.actor.agencyRole === "staff" || ctx.actor.agencyRole === "admin") return "staff";
  return ctx.role === "project_manager" ? "instructor" : "learner";
}

export function assertStaff(ctx: Ctx): void {
  if (bootcampRole(ctx) !== "staff")
    throw new DomainError(
      "FORBIDDEN",
      "Only the bootcamp's staff may manage courses, cohorts and enrolments.",
    );
}

/** The bootcamp's team (staff and instructors); learners get FORBIDDEN with `message`. */
export function assertTeam(ctx: Ctx, message = "This page is for the bootcamp's team."): BootcampRole {
  const role = bootcampRole(ctx);
  if (role === "learner") throw new DomainError("FORBIDDEN", message);
  return role;
}

/** The acting person's user id (null for the system). */
export function actingUserId(ctx: Ctx): number | null {
  return actorUserId(ctx.actor);
}

export function actingEmail(ctx: Ctx): string | null {
  return ctx.actor.type === "user" ? ctx.actor.email : null;
}

/** Staff see every cohort; an instructor only those they teach; learners none through this check. */
export async function assertTeaches(ctx: Ctx, cohortId: string): Promise<void> {
  const role = bootcampRole(ctx);
  if (role === "staff") return;
  const userId = actingUserId(ctx);
  if (role === "instructor" && userId !== null) {
    const row = await ctx.db
      .prepare(
        "SELECT 1 AS ok FROM bootcamp_cohort_instructors WHERE tenant_id = ? AND cohort_id = ? AND user_id = ?",
      )
      .bind(ctx.tenant.id, cohortId, userId)
      .first();
    if (row) return;
  }
  throw new DomainError("NOT_FOUND", "No such cohort.");
}
