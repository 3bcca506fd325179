/**
 * A pending invitation's life after it is created (docs/decisions/026-team-management.md): re-sending it (a new
 * token, so the old link stops working, a new expiry, and the mail through the outbox) and revoking it (the row
 * goes; its audit rows keep who was invited, with which role, and who revoked it). An accepted invitation is
 * history: neither applies to it ("not found", like an unknown id or another tenant's).
 */

import { assertHandsInvitations, assertManagesRole, invitationEmail } from "../invitations/create.ts";
import { INVITATION_TTL_DAYS } from "../invitations/schemas.ts";
import { auditRow } from "../kernel/audit.ts";
import { actorId, actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability, type TenantRole } from "../kernel/roles.ts";
import { queueMail } from "../mail/index.ts";
import { invitationIdInput } from "./schemas.ts";

type Pending = { id: string; email: string; role: TenantRole; token_hash: string };

const NOT_PENDING = "No pending invitation with this id in this project.";

async function pendingInvitation(ctx: Ctx, id: string): Promise<Pending> {
  const row = await ctx.db
    .prepare(
      "SELECT id, email, role, token_hash FROM invitations WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL",
    )
    .bind(ctx.tenant.id, id)
    .first<Pending>();
  if (!row) throw new DomainError("NOT_FOUND", NOT_PENDING);
  return row;
}

function auditIfChanged(ctx: Ctx, action: string, inv: Pending, data: unknown): D1PreparedStatement {
  return auditRow(ctx.db, {
    tenantId: ctx.tenant.id,
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    action,
    entity: "invitations",
    entityId: inv.id,
    data,
    at: nowIso(ctx.now()),
    when: { sql: "changes() = 1" },
  });
}

/**
 * Re-sends a pending invitation (expired or not) with a new token and a new expiry: the old link stops working
 * in the same write. The mail is queued in that write when `mail` is given; the new token is returned once.
 */
export async function resendInvitation({
  ctx,
  input,
  mail,
}: {
  ctx: Ctx;
  input: unknown;
  mail?: { siteUrl: string };
}): Promise<{ id: string; token: string; expiresAt: string }> {
  assertHandsInvitations(ctx);
  const { id } = parse(invitationIdInput, input, "invitation");
  const inv = await pendingInvitation(ctx, id);
  assertManagesRole(ctx, inv.role);
  const token = newToken();
  const now = ctx.now();
  const expiresAt = nowIso(new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000));
  const link = mail ? `${mail.siteUrl}/invitation?token=${encodeURIComponent(token)}` : null;
  const [update] = await ctx.db.batch([
    // Conditional on the token it had: of two concurrent re-sends, one wins and the other is "changed meanwhile".
    ctx.db
      .prepare(
        `UPDATE invitations SET token_hash = ?, expires_at = ?, invited_by = ?
         WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL AND token_hash = ?`,
      )
      .bind(await sha256Hex(token), expiresAt, actorUserId(ctx.actor), ctx.tenant.id, id, inv.token_hash),
    auditIfChanged(ctx, "invitation.resend", inv, {
      email: inv.email,
      role: inv.role,
      expires_at: expiresAt,
    }),
    ...(link
      ? [
          queueMail(
            ctx.db,
            {
              tenantId: ctx.tenant.id,
              to: inv.email,
              kind: "invitation",
              ...invitationEmail({ tenantName: ctx.tenant.name, link, role: inv.role, expiresAt }),
            },
            now,
            // only if the audit row just before went in, i.e. the invitation changed
            { sql: "changes() = 1" },
          ),
        ]
      : []),
  ]);
  if (update?.meta.changes !== 1) {
    throw new DomainError("CONFLICT", "This invitation changed meanwhile: reload the page.");
  }
  return { id, token, expiresAt };
}

/** Revokes a pending invitation: its link stops working at once. */
export async function revokeInvitation({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: unknown;
}): Promise<{ id: string; revoked: true }> {
  if (!hasCapability(ctx.role, "members.manage"))
    throw new DomainError("FORBIDDEN", "Only the project's managers may revoke invitations.");
  const { id } = parse(invitationIdInput, input, "invitation");
  const inv = await pendingInvitation(ctx, id);
  assertManagesRole(ctx, inv.role);
  const [del] = await ctx.db.batch([
    ctx.db
      .prepare("DELETE FROM invitations WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL")
      .bind(ctx.tenant.id, id),
    auditIfChanged(ctx, "invitation.revoke", inv, { email: inv.email, role: inv.role }),
  ]);
  if (del?.meta.changes !== 1) throw new DomainError("NOT_FOUND", NOT_PENDING);
  return { id, revoked: true };
}
