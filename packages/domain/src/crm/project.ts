/**
 * One project (tenant) seen from the CRM: its project rows with metrics, its members and pending
 * invitations, and its recent activity. Each part checks the caller's capability in the tenant.
 */
import { type ActivityRow, activityColumns } from "../activity/sql.ts";
import { BOOTCAMP_SUBDOMAIN, bootcampRole } from "../bootcamp/access.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { hasCapability, type TenantRole } from "../kernel/roles.ts";
import { type CrmProject, PROJECT_COLUMNS, PROJECT_METRICS } from "./lists.ts";

export type Member = {
  user_id: number;
  email: string;
  name: string | null;
  role: TenantRole;
  status: string;
  created_at: string;
};
export type PendingInvitation = { id: string; email: string; role: TenantRole; expires_at: string };
/** An audit row of the project with the names it needs to read as a sentence (activity/sql.ts). */
export type Activity = ActivityRow;
/** Audit rows the project page shows (an agent's calls of a day fold into one line, decision 030). */
export const PROJECT_ACTIVITY_ROWS = 30;
export type Assignee = { id: number; name: string | null; email: string };

export async function getProjectOverview({ ctx }: { ctx: Ctx }) {
  if (!hasCapability(ctx.role, "members.read")) {
    throw new DomainError("FORBIDDEN", "Only project managers and admins see the project overview.");
  }
  // In the bootcamp, a project manager is an instructor: they see the cohorts they teach (decision 010), not
  // every learner's address, the invitations of other cohorts or the tenant's audit log.
  if (ctx.tenant.subdomain === BOOTCAMP_SUBDOMAIN && bootcampRole(ctx) !== "staff") {
    throw new DomainError(
      "FORBIDDEN",
      "The bootcamp's overview is for its staff; instructors see the cohorts they teach in the bootcamp's pages.",
    );
  }
  const today = ctx.now().toISOString().slice(0, 10);
  const t = ctx.tenant.id;
  const [projects, members, invitations, activity] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT ${PROJECT_COLUMNS}, p.description, ? AS tenant_name, ? AS tenant_subdomain, ${PROJECT_METRICS}
         FROM projects p LEFT JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
         WHERE p.tenant_id = ? ORDER BY p.created_at LIMIT 20`,
      )
      .bind(ctx.tenant.name, ctx.tenant.subdomain, today, t),
    ctx.db
      .prepare(
        `SELECT m.user_id, u.email, u.name, m.role, u.status, m.created_at FROM memberships m
         JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ? ORDER BY m.role, u.email LIMIT 200`,
      )
      .bind(t),
    ctx.db
      .prepare(
        // expired ones too: re-sending one is how it gets a new link (team/invitations.ts)
        `SELECT id, email, role, expires_at FROM invitations
         WHERE tenant_id = ? AND accepted_at IS NULL ORDER BY created_at DESC LIMIT 50`,
      )
      .bind(t),
    ctx.db
      .prepare(
        // the project's people read it (members.read): a person without a name shows as their address
        `SELECT ${activityColumns({ emails: true })}
         FROM audit_log a WHERE a.tenant_id = ? ORDER BY a.created_at DESC LIMIT ?`,
      )
      .bind(t, PROJECT_ACTIVITY_ROWS),
  ]);
  return {
    tenant: ctx.tenant,
    role: ctx.role,
    projects: (projects?.results ?? []) as Array<CrmProject & { description: string | null }>,
    members: (members?.results ?? []) as Member[],
    invitations: (invitations?.results ?? []) as PendingInvitation[],
    activity: (activity?.results ?? []) as Activity[],
  };
}

/** Who can be assigned a task in this tenant: its members except clients, and agency staff and admins. */
export async function listAssignees({ ctx }: { ctx: Ctx }): Promise<Assignee[]> {
  if (!hasCapability(ctx.role, "members.read")) {
    throw new DomainError("FORBIDDEN", "Only project managers and admins see the project's people.");
  }
  const { results } = await ctx.db
    .prepare(
      `SELECT u.id, u.name, u.email FROM users u
       WHERE u.status = 'active' AND (u.role IN ('admin', 'staff')
         OR u.id IN (SELECT user_id FROM memberships WHERE tenant_id = ? AND role IN ('project_manager', 'admin')))
       ORDER BY coalesce(u.name, u.email) LIMIT 200`,
    )
    .bind(ctx.tenant.id)
    .all<Assignee>();
  return results;
}
