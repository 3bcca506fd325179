/**
 * Creating an invitation: people join a tenant by invitation only (public self-registration is off). The
 * token is shown once to the inviter and stored as its SHA-256 hash.
 */
import { writeWithAudit } from "../kernel/audit.ts";
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability, managedRoles, type TenantRole } from "../kernel/roles.ts";
import { mailSubject, queueMail } from "../mail/index.ts";
import { createInvitationInput, INVITATION_TTL_DAYS } from "./schemas.ts";

/** The invitation email, French first then English (the agency is francophone; the invitee's locale is unknown). */
export function invitationEmail(opts: {
  tenantName: string;
  link: string;
  role: TenantRole;
  expiresAt: string;
}) {
  const day = opts.expiresAt.slice(0, 10);
  return {
    subject: mailSubject(
      `Invitation : ${opts.tenantName} sur Fataplus / You're invited to ${opts.tenantName}`,
    ),
    text: [
      "Bonjour,",
      "",
      `Vous êtes invité·e à rejoindre le projet « ${opts.tenantName} » sur Fataplus (rôle : ${opts.role}).`,
      `Ouvrez ce lien pour créer votre accès (valable jusqu'au ${day}) :`,
      opts.link,
      "",
      "---",
      "",
      "Hello,",
      "",
      `You are invited to the project "${opts.tenantName}" on Fataplus (role: ${opts.role}).`,
      `Open this link to set up your access (valid until ${day}):`,
      opts.link,
      "",
      "Si vous n'attendiez pas ce message, ignorez-le. / If you weren't expecting this, ignore it.",
    ].join("\n"),
  };
}

/**
 * Who may hand out an invitation (create one, or re-send one with a new token): the tenant's managers
 * (`members.manage`), and, since the token is handed to whoever creates it, who could accept it for someone
 * else's address, only the agency's own people (who deliver it by hand when the mail doesn't arrive).
 */
export function assertHandsInvitations(ctx: Ctx): void {
  if (!hasCapability(ctx.role, "members.manage")) {
    throw new DomainError("FORBIDDEN", "Only the project's managers may invite people.");
  }
  if (ctx.actor.type !== "system" && ctx.actor.agencyRole === "member") {
    throw new DomainError(
      "FORBIDDEN",
      "Invitations are sent by the agency for now: ask your Fataplus contact.",
    );
  }
}

/** The caller may grant, change or remove `role` in this tenant (roles.ts `managedRoles`, decision 026). */
export function assertManagesRole(ctx: Ctx, role: TenantRole): void {
  if (!managedRoles(ctx.role).includes(role)) {
    throw new DomainError(
      "FORBIDDEN",
      `Your role (${ctx.role}) may not manage the role ${role} in this project: ask a project admin.`,
      { details: [{ path: "role", message: "not a role you manage" }] },
    );
  }
}

export async function createInvitation({
  ctx,
  input,
  mail,
}: {
  ctx: Ctx;
  input: unknown;
  /** When given, the invitation is also emailed (queued in the same batch) with a link to this site. */
  mail?: { siteUrl: string };
}) {
  assertHandsInvitations(ctx);
  const { email, role } = parse(createInvitationInput, input, "invitation");
  assertManagesRole(ctx, role);
  // Accepting sets the membership's role: an invitation must not change a member the caller doesn't manage.
  const current = await ctx.db
    .prepare(
      "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ? AND u.email = ?",
    )
    .bind(ctx.tenant.id, email)
    .first<{ role: TenantRole }>();
  if (current) assertManagesRole(ctx, current.role);
  const { id, token, expiresAt, statement } = await prepareInvitation(ctx, email, role);
  const link = mail ? `${mail.siteUrl}/invitation?token=${encodeURIComponent(token)}` : null;
  const queued = link
    ? [
        queueMail(
          ctx.db,
          {
            tenantId: ctx.tenant.id,
            to: email,
            kind: "invitation",
            ...invitationEmail({ tenantName: ctx.tenant.name, link, role, expiresAt }),
          },
          ctx.now(),
        ),
      ]
    : [];
  await writeWithAudit(ctx, [statement, ...queued], {
    action: "invitation.create",
    entity: "invitations",
    entityId: id,
    data: { email, role },
  });
  return { id, token, expiresAt };
}

/**
 * A new invitation as a statement to run in the caller's batch (its token is returned once, stored hashed).
 * Callers check who may invite first (createInvitation above; the bootcamp's enrolments).
 */
export async function prepareInvitation(
  ctx: Ctx,
  email: string,
  role: TenantRole,
): Promise<{ id: string; token: string; expiresAt: string; statement: D1PreparedStatement }> {
  const token = newToken();
  const id = newId();
  const now = ctx.now();
  const expires = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const statement = ctx.db
    .prepare(
      "INSERT INTO invitations (id, tenant_id, email, role, token_hash, invited_by, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      id,
      ctx.tenant.id,
      email,
      role,
      await sha256Hex(token),
      actorUserId(ctx.actor),
      nowIso(expires),
      nowIso(now),
    );
  return { id, token, expiresAt: nowIso(expires), statement };
}
