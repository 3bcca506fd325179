/**
 * Accepting an invitation. A new email gets its account with the chosen password. An email that already has an
 * account joins only through that account's own session (`actingUserId`): the token proves the mailbox, not
 * the account, so a token alone never adds a membership to somebody's existing account.
 * The invitation is claimed by one conditional update, then the account, membership and audit row are written
 * in one D1 batch (the claim is released if that batch fails).
 */
import { hashPassword } from "../auth/password.ts";
import { auditRow } from "../kernel/audit.ts";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { nowIso, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { notifyAgency } from "../notifications/write.ts";
import { assertStrongPassword } from "../passwords/strength.ts";
import { ACCOUNT_EXISTS, acceptInvitationInput } from "./schemas.ts";

type InvitationRow = {
  id: string;
  tenant_id: string;
  email: string;
  role: string;
  expires_at: string;
  accepted_at: string | null;
};

const INVALID = "This invitation is invalid or has expired.";

const accountExists = (email: string) =>
  new DomainError(
    "CONFLICT",
    `An account already exists for ${email}: sign in with it, then open this invitation link again.`,
    { details: [{ path: "account", message: ACCOUNT_EXISTS }] },
  );

/**
 * The account the invitation lands in: none yet (a new one), an unclaimed one (made by the public intake for
 * a new address: no password, it cannot sign in; whoever proves the mailbox claims it), or an existing one,
 * which only its own signed-in owner may use.
 */
async function accountFor(ctx: SystemCtx, email: string, actingUserId: number | null) {
  const found = await ctx.db
    .prepare("SELECT id, status FROM users WHERE email = ?")
    .bind(email)
    .first<{ id: number; status: string }>();
  const unclaimed = found?.status === "invited" ? found : null;
  const existing = unclaimed ? null : found;
  if (existing && existing.id !== actingUserId) throw accountExists(email);
  return { unclaimed, existing };
}

/**
 * How a new (or unclaimed) account will sign in: with a password (its PBKDF2 hash), or only through the
 * provider it is linked to (single sign-on, packages/domain/src/auth/sso: no password is stored). Null for an
 * existing account, whose sign-in does not change.
 */
export type NewAccount = { passwordHash: string | null } | null;

/** The new account, or the unclaimed one given its way of signing in (nothing for an existing account). */
function accountStatements(
  ctx: SystemCtx,
  inv: InvitationRow,
  account: {
    unclaimed: { id: number } | null;
    create: NewAccount;
    name: string | null;
    ts: string;
    /** A new account's language: the invitation page's (an unclaimed one keeps the intake's). */
    locale: "fr" | "en";
  },
): D1PreparedStatement[] {
  if (account.create === null) return [];
  const hash = account.create.passwordHash;
  if (account.unclaimed)
    return [
      ctx.db
        .prepare(
          "UPDATE users SET strategy = 'password', strategy_value = ?, status = 'active', name = coalesce(?, name) WHERE id = ? AND status = 'invited'",
        )
        .bind(hash, account.name, account.unclaimed.id),
    ];
  return [
    ctx.db
      .prepare(
        "INSERT INTO users (email, strategy, strategy_value, role, name, locale, status, created_at) VALUES (?, 'password', ?, 'member', ?, ?, 'active', ?)",
      )
      .bind(inv.email, hash, account.name, account.locale, account.ts),
  ];
}

/**
 * An unclaimed account's memberships come from public intakes, whose address nobody had proved (anyone can type
 * anyone's address). Claimed through this invitation, the account keeps only this invitation's tenant: the
 * others go (with an audit row in each), and their own invitation links, sent to the mailbox, still let the
 * owner join them from their session (security review, decision 019).
 */
function dropUnprovenMemberships(
  ctx: SystemCtx,
  userId: number,
  inv: InvitationRow,
  ts: string,
): D1PreparedStatement[] {
  return [
    ctx.db
      .prepare(
        `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
         SELECT lower(hex(randomblob(16))), m.tenant_id, 'system', NULL, 'membership.unclaimed_drop', 'memberships',
           CAST(m.user_id AS TEXT), json_object('email', ?3, 'role', m.role, 'claimed_in', ?4), ?5
         FROM memberships m WHERE m.user_id = ?1 AND m.tenant_id <> ?2`,
      )
      .bind(userId, inv.tenant_id, inv.email, inv.tenant_id, ts),
    ctx.db
      .prepare("DELETE FROM memberships WHERE user_id = ? AND tenant_id <> ?")
      .bind(userId, inv.tenant_id),
  ];
}

/** A pending invitation by its token: unknown, used and expired ones get the same answer. */
async function invitationByToken(ctx: SystemCtx, token: string): Promise<InvitationRow> {
  const inv = await ctx.db
    .prepare(
      "SELECT id, tenant_id, email, role, expires_at, accepted_at FROM invitations WHERE token_hash = ?",
    )
    .bind(await sha256Hex(token))
    .first<InvitationRow>();
  if (!inv || inv.accepted_at || new Date(inv.expires_at) <= ctx.now())
    throw new DomainError("NOT_FOUND", INVALID);
  return inv;
}

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
  const data = parse(acceptInvitationInput, input, "invitation acceptance");
  const inv = await invitationByToken(ctx, data.token);
  const { unclaimed, existing } = await accountFor(ctx, inv.email, actingUserId);
  if (!existing && data.password === undefined) {
    throw validationError(
      [{ path: ["password"], message: "choose a password" }],
      "Invalid invitation acceptance",
    );
  }
  if (!existing && data.password !== undefined)
    await assertStrongPassword(
      data.password,
      { email: inv.email, name: data.name ?? null },
      data.locale ?? "fr",
    );
  const create = existing ? null : { passwordHash: await hashPassword(data.password ?? "") };
  return claimInvitation(ctx, inv, {
    unclaimed,
    create,
    name: data.name ?? null,
    locale: data.locale ?? "fr",
  });
}

/**
 * Accepting an invitation for a person whose mailbox a sign-in provider vouched for (auth/sso): the invitation
 * named by its token, or else the newest pending one sent to `email`. A new account gets no password (it signs
 * in through the provider); an existing one only joins as `actingUserId`, as above. `also(ts)` adds statements
 * to the acceptance's batch (the provider link), so they are written with it or not at all.
 * Returns null when no pending invitation was sent to `email`.
 */
export async function acceptInvitationForVerifiedEmail({
  ctx,
  email,
  token,
  actingUserId,
  name,
  locale = "fr",
  also,
}: {
  ctx: SystemCtx;
  email: string;
  token: string | null;
  actingUserId: number | null;
  name: string | null;
  /** A new account's language: the sign-in page's. */
  locale?: "fr" | "en";
  also: (ts: string) => D1PreparedStatement[];
}): Promise<{ tenantId: string; email: string } | null> {
  let inv: InvitationRow | null;
  if (token !== null) {
    inv = await invitationByToken(ctx, token);
    if (inv.email !== email) {
      throw new DomainError("FORBIDDEN", `This invitation was sent to another address than ${email}.`, {
        details: [{ path: "invitation", message: "OTHER_ADDRESS" }],
      });
    }
  } else {
    inv = await ctx.db
      .prepare(
        `SELECT id, tenant_id, email, role, expires_at, accepted_at FROM invitations
         WHERE email = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id LIMIT 1`,
      )
      .bind(email, nowIso(ctx.now()))
      .first<InvitationRow>();
    if (!inv) return null;
  }
  const { unclaimed, existing } = await accountFor(ctx, inv.email, actingUserId);
  return claimInvitation(ctx, inv, {
    unclaimed,
    create: existing ? null : { passwordHash: null },
    name,
    locale,
    also,
  });
}

/**
 * The acceptance itself. The invitation is claimed first by one conditional update (of two concurrent
 * acceptances, exactly one changes the row), then the account, membership and audit row are written in one
 * batch; the claim is released if that batch fails.
 */
async function claimInvitation(
  ctx: SystemCtx,
  inv: InvitationRow,
  opts: {
    unclaimed: { id: number } | null;
    create: NewAccount;
    name: string | null;
    /** A new account's language: the invitation page's (an unclaimed one keeps the intake's). */
    locale: "fr" | "en";
    also?: (ts: string) => D1PreparedStatement[];
  },
): Promise<{ tenantId: string; email: string }> {
  const { unclaimed } = opts;
  const ts = nowIso(ctx.now());
  const claim = await ctx.db
    .prepare("UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND expires_at > ?")
    .bind(ts, inv.id, ts)
    .run();
  if (claim.meta.changes !== 1) throw new DomainError("NOT_FOUND", INVALID);
  const project = await ctx.db
    .prepare("SELECT name FROM tenants WHERE id = ?")
    .bind(inv.tenant_id)
    .first<{ name: string }>();
  try {
    await ctx.db.batch([
      // the project's managers hear that someone joined (before the membership: the newcomer is not told)
      notifyAgency(
        { db: ctx.db, tenantId: inv.tenant_id, actorId: null, at: ts },
        {
          kind: "invitation_accepted",
          object: { type: "membership", id: inv.id },
          title: project?.name ?? inv.email,
          actorName: opts.name ?? inv.email,
        },
      ),
      ...accountStatements(ctx, inv, {
        unclaimed,
        create: opts.create,
        name: opts.name,
        ts,
        locale: opts.locale,
      }),
      ...(unclaimed ? dropUnprovenMemberships(ctx, unclaimed.id, inv, ts) : []),
      ctx.db
        .prepare(
          "INSERT INTO memberships (tenant_id, user_id, role, created_at) SELECT ?, id, ?, ? FROM users WHERE email = ? ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(inv.tenant_id, inv.role, ts, inv.email),
      ...(opts.also?.(ts) ?? []),
      auditRow(ctx.db, {
        tenantId: inv.tenant_id,
        actorType: "system",
        actorId: null,
        action: "invitation.accept",
        entity: "invitations",
        entityId: inv.id,
        data: { email: inv.email, role: inv.role },
        at: ts,
      }),
    ]);
  } catch (e) {
    // Give the invitation back: nothing of the acceptance was written (the batch is one transaction).
    await ctx.db
      .prepare("UPDATE invitations SET accepted_at = NULL WHERE id = ? AND accepted_at = ?")
      .bind(inv.id, ts)
      .run();
    // The account was created meanwhile (another tab, another invitation): same answer as above.
    if (/UNIQUE/i.test(String(e))) throw accountExists(inv.email);
    throw e;
  }
  return { tenantId: inv.tenant_id, email: inv.email };
}
