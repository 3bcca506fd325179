/**
 * Invitations: people join a tenant by invitation only (public self-registration is off).
 * The token is shown once to the inviter and stored as its SHA-256 hash.
 */
import { z } from "zod";
import { hashPassword } from "../auth/password.ts";
import { auditStatement } from "../kernel/audit.ts";
import type { Ctx, SystemCtx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { hasCapability, type TenantRole, tenantRoles } from "../kernel/roles.ts";
import { mailSubject, queueMail } from "../mail/index.ts";

export const INVITATION_TTL_DAYS = 7;

export const passwordSchema = z
  .string()
  .min(12, "must be at least 12 characters long")
  .max(512, "must be at most 512 characters long");

export const createInvitationInput = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "must be an email address" }).max(254)),
  role: z.enum(tenantRoles),
});

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
  if (!hasCapability(ctx.role, "members.manage")) {
    throw new DomainError("FORBIDDEN", "Only project admins may invite members.");
  }
  // Until invitations go out by email, the token is handed to whoever creates it, who could accept it for
  // someone else's address: only the agency's own people (who deliver it by hand) may create one.
  if (ctx.actor.type !== "system" && ctx.actor.agencyRole === "member") {
    throw new DomainError(
      "FORBIDDEN",
      "Invitations are sent by the agency for now: ask your Fataplus contact.",
    );
  }
  const parsed = createInvitationInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid invitation");
  const { id, token, expiresAt, statement } = await prepareInvitation(
    ctx,
    parsed.data.email,
    parsed.data.role,
  );
  await ctx.db.batch([
    statement,
    auditStatement(ctx, "invitation.create", "invitations", id, {
      email: parsed.data.email,
      role: parsed.data.role,
    }),
    ...(mail
      ? [
          queueMail(
            ctx.db,
            {
              tenantId: ctx.tenant.id,
              to: parsed.data.email,
              kind: "invitation",
              ...invitationEmail({
                tenantName: ctx.tenant.name,
                link: `${mail.siteUrl}/invitation?token=${encodeURIComponent(token)}`,
                role: parsed.data.role,
                expiresAt,
              }),
            },
            ctx.now(),
          ),
        ]
      : []),
  ]);
  return { id, token, expiresAt };
}

/**
 * A new invitation as a statement to run in the caller's batch (its token is returned once, stored hashed).
 * Callers check who may invite first (createInvitation above; the bootcamp's enrolments).
 */
export async function prepareInvitation(
  ctx: Ctx,
  email: string,
  role: (typeof tenantRoles)[number],
): Promise<{ id: string; token: string; expiresAt: string; statement: D1PreparedStatement }> {
  const token = newToken();
  const id = newId();
  const now = ctx.now();
  const expires = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const invitedBy = ctx.actor.type === "system" ? null : ctx.actor.userId;
  const statement = ctx.db
    .prepare(
      "INSERT INTO invitations (id, tenant_id, email, role, token_hash, invited_by, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id, ctx.tenant.id, email, role, await sha256Hex(token), invitedBy, nowIso(expires), nowIso(now));
  return { id, token, expiresAt: nowIso(expires), statement };
}

export const acceptInvitationInput = z.strictObject({
  token: z.string().min(20).max(200),
  /** Required for a new account; an existing account joins through its own session instead. */
  password: passwordSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
});

export const ACCOUNT_EXISTS = "ACCOUNT_EXISTS";

type InvitationRow = {
  id: string;
  tenant_id: string;
  email: string;
  role: string;
  expires_at: string;
  accepted_at: string | null;
};

/**
 * Accepts an invitation. A new email gets its account with the chosen password. An email that already has an
 * account joins only through that account's own session (`actingUserId`): the token proves the mailbox, not
 * the account, so a token alone never adds a membership to somebody's existing account.
 * The invitation is claimed by one conditional update, then the account, membership and audit row are written
 * in one D1 batch (the claim is released if that batch fails).
 */
export async function acceptInvitation({
  ctx,
  input,
  actingUserId = null,
}: {
  ctx: SystemCtx;
  input: unknown;
  /** The signed-in user accepting, if any (from a session checked by the caller). */
  actingUserId?: number | null;
}) {
  const parsed = acceptInvitationInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid invitation acceptance");
  const inv = await ctx.db
    .prepare(
      "SELECT id, tenant_id, email, role, expires_at, accepted_at FROM invitations WHERE token_hash = ?",
    )
    .bind(await sha256Hex(parsed.data.token))
    .first<InvitationRow>();
  const now = ctx.now();
  if (!inv || inv.accepted_at || new Date(inv.expires_at) <= now) {
    throw new DomainError("NOT_FOUND", "This invitation is invalid or has expired.");
  }
  const found = await ctx.db
    .prepare("SELECT id, status FROM users WHERE email = ?")
    .bind(inv.email)
    .first<{ id: number; status: string }>();
  // An `invited` account (made by the public intake for a new address) has never been claimed: no password,
  // it cannot sign in. Whoever proves the mailbox with the token claims it, exactly like a new account.
  const unclaimed = found?.status === "invited" ? found : null;
  const existing = unclaimed ? null : found;
  if (existing && existing.id !== actingUserId) {
    throw new DomainError(
      "CONFLICT",
      `An account already exists for ${inv.email}: sign in with it, then open this invitation link again.`,
      { details: [{ path: "account", message: ACCOUNT_EXISTS }] },
    );
  }
  if (!existing && parsed.data.password === undefined) {
    throw validationError(
      [{ path: ["password"], message: "choose a password" }],
      "Invalid invitation acceptance",
    );
  }
  const hash = existing ? null : await hashPassword(parsed.data.password ?? "");
  const ts = nowIso(now);
  // Claim the invitation first: of two concurrent acceptances, exactly one changes the row.
  const claim = await ctx.db
    .prepare("UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND expires_at > ?")
    .bind(ts, inv.id, ts)
    .run();
  if (claim.meta.changes !== 1)
    throw new DomainError("NOT_FOUND", "This invitation is invalid or has expired.");
  try {
    await ctx.db.batch([
      ...(hash === null
        ? []
        : unclaimed
          ? [
              ctx.db
                .prepare(
                  "UPDATE users SET strategy = 'password', strategy_value = ?, status = 'active', name = coalesce(?, name) WHERE id = ? AND status = 'invited'",
                )
                .bind(hash, parsed.data.name ?? null, unclaimed.id),
            ]
          : [
              ctx.db
                .prepare(
                  "INSERT INTO users (email, strategy, strategy_value, role, name, status, created_at) VALUES (?, 'password', ?, 'member', ?, 'active', ?)",
                )
                .bind(inv.email, hash, parsed.data.name ?? null, ts),
            ]),
      ctx.db
        .prepare(
          "INSERT INTO memberships (tenant_id, user_id, role, created_at) SELECT ?, id, ?, ? FROM users WHERE email = ? ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(inv.tenant_id, inv.role, ts, inv.email),
      ctx.db
        .prepare(
          "INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at) VALUES (?, ?, 'system', NULL, 'invitation.accept', 'invitations', ?, ?, ?)",
        )
        .bind(newId(), inv.tenant_id, inv.id, JSON.stringify({ email: inv.email, role: inv.role }), ts),
    ]);
  } catch (e) {
    // Give the invitation back: nothing of the acceptance was written (the batch is one transaction).
    await ctx.db
      .prepare("UPDATE invitations SET accepted_at = NULL WHERE id = ? AND accepted_at = ?")
      .bind(inv.id, ts)
      .run();
    if (/UNIQUE/i.test(String(e))) {
      // The account was created meanwhile (another tab, another invitation): same answer as above.
      throw new DomainError(
        "CONFLICT",
        `An account already exists for ${inv.email}: sign in with it, then open this invitation link again.`,
        {
          details: [{ path: "account", message: ACCOUNT_EXISTS }],
        },
      );
    }
    throw e;
  }
  return { tenantId: inv.tenant_id, email: inv.email };
}
