/**
 * A project's members: changing a member's role and removing a member (docs/decisions/026-team-management.md).
 *
 * Who: the tenant's managers (`members.manage`), each within `managedRoles` (a project manager changes and
 * removes clients and partners only, and only into those roles; a project admin anyone). Nobody changes or
 * removes their own membership here (a slip would lock them out; another manager does it).
 * The last admin: a project whose members include an active admin keeps one. Demoting or removing the last
 * active member with the admin role is refused (CONFLICT): make someone else admin first. The check is part of
 * the write's own statement, so two managers demoting the last two admins at once can't both succeed.
 * A project without an admin member (most projects: the agency's staff run them through their agency role) is
 * managed by the agency's admins and staff, whose access comes from `users.role`, which nothing here touches.
 */

import { assertManagesRole } from "../invitations/create.ts";
import { auditRow } from "../kernel/audit.ts";
import { actorId, actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability, type TenantRole } from "../kernel/roles.ts";
import { changeMemberRoleInput, removeMemberInput } from "./schemas.ts";

type MemberRow = { role: TenantRole; email: string };

export const LAST_ADMIN = "LAST_ADMIN";

function assertManages(ctx: Ctx): void {
  if (!hasCapability(ctx.role, "members.manage"))
    throw new DomainError("FORBIDDEN", "Only the project's managers may change its team.");
}

async function memberOf(ctx: Ctx, userId: number): Promise<MemberRow> {
  if (userId === actorUserId(ctx.actor))
    throw new DomainError(
      "FORBIDDEN",
      "You can't change your own role or remove yourself: ask another manager of the project.",
    );
  const row = await ctx.db
    .prepare(
      "SELECT m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ? AND m.user_id = ?",
    )
    .bind(ctx.tenant.id, userId)
    .first<MemberRow>();
  if (!row) throw new DomainError("NOT_FOUND", "This person is not a member of the project.");
  return row;
}

/**
 * The SQL condition (on the membership row being written, `memberships.role` its current role) that keeps the
 * project's last active admin: the row is not an admin, or another active admin member remains.
 */
const KEEPS_AN_ADMIN = `(memberships.role <> 'admin' OR EXISTS (
    SELECT 1 FROM memberships o JOIN users u ON u.id = o.user_id
    WHERE o.tenant_id = memberships.tenant_id AND o.user_id <> memberships.user_id
      AND o.role = 'admin' AND u.status = 'active'))`;

const lastAdmin = () =>
  new DomainError("CONFLICT", "This is the project's last admin: make someone else admin first.", {
    details: [{ path: "user_id", message: LAST_ADMIN }],
  });

/** The audit row of a team change, written only if the statement before it changed a row. */
function auditIfChanged(ctx: Ctx, action: string, userId: number, data: unknown): D1PreparedStatement {
  return auditRow(ctx.db, {
    tenantId: ctx.tenant.id,
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    action,
    entity: "memberships",
    entityId: String(userId),
    data,
    at: nowIso(ctx.now()),
    when: { sql: "changes() = 1" },
  });
}

/** Changes a member's role in the project. Returns the membership as it now is. */
export async function changeMemberRole({ ctx, input }: { ctx: Ctx; input: unknown }) {
  assertManages(ctx);
  const { user_id, role } = parse(changeMemberRoleInput, input, "role change");
  const member = await memberOf(ctx, user_id);
  assertManagesRole(ctx, member.role);
  assertManagesRole(ctx, role);
  if (member.role === role) return { user_id, role, changed: false };
  const [update] = await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE memberships SET role = ?1 WHERE tenant_id = ?2 AND user_id = ?3 AND role = ?4
           AND (?1 = 'admin' OR ${KEEPS_AN_ADMIN})`,
      )
      .bind(role, ctx.tenant.id, user_id, member.role),
    auditIfChanged(ctx, "membership.role_change", user_id, {
      email: member.email,
      from: member.role,
      to: role,
    }),
  ]);
  if (update?.meta.changes !== 1) await explainRefusal(ctx, user_id, member.role);
  return { user_id, role, changed: true };
}

/** Removes a member from the project (their account, and what they wrote, stay). */
export async function removeMember({ ctx, input }: { ctx: Ctx; input: unknown }) {
  assertManages(ctx);
  const { user_id } = parse(removeMemberInput, input, "member removal");
  const member = await memberOf(ctx, user_id);
  assertManagesRole(ctx, member.role);
  const [del] = await ctx.db.batch([
    ctx.db
      .prepare(
        `DELETE FROM memberships WHERE tenant_id = ?1 AND user_id = ?2 AND role = ?3 AND ${KEEPS_AN_ADMIN}`,
      )
      .bind(ctx.tenant.id, user_id, member.role),
    auditIfChanged(ctx, "membership.remove", user_id, { email: member.email, role: member.role }),
  ]);
  if (del?.meta.changes !== 1) await explainRefusal(ctx, user_id, member.role);
  return { user_id, removed: true };
}

/** Why a guarded write changed nothing: the row moved meanwhile, or it is the last admin. */
async function explainRefusal(ctx: Ctx, userId: number, role: TenantRole): Promise<never> {
  const now = await ctx.db
    .prepare("SELECT role FROM memberships WHERE tenant_id = ? AND user_id = ?")
    .bind(ctx.tenant.id, userId)
    .first<{ role: TenantRole }>();
  if (now?.role === role && role === "admin") throw lastAdmin();
  throw new DomainError("CONFLICT", "This membership changed meanwhile: reload the page and try again.");
}
