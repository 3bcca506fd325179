/**
 * Who a provider's sign-in is (decision 025). No self-registration: the person must already be known.
 *  1. A link (provider, subject) in user_identities: that account, whatever the address says today.
 *  2. Else the provider's VERIFIED address (claims.ts) is an active account's: the provider is linked to it.
 *  3. Else a pending invitation for that address (the one the sign-in started from, or the newest): it is
 *     accepted as invitations/accept.ts does (one atomic claim), the account is created without a password,
 *     and the link is written in the same batch.
 *  4. Else nobody: refused ("no_account"), and nothing is written.
 * An invitation the sign-in started from is accepted by an existing account too (the provider proved the
 * mailbox, and the address or link proves the account), but only for its own address.
 */
import { z } from "zod";
import { acceptInvitationForVerifiedEmail } from "../../invitations/accept.ts";
import type { SystemCtx } from "../../kernel/context.ts";
import { DomainError } from "../../kernel/errors.ts";
import { nowIso } from "../../kernel/ids.ts";
import { parse } from "../../kernel/parse.ts";
import { activeIdentity, IDENTITY_COLUMNS, type Identity } from "../identity.ts";
import { SSO_PROVIDERS } from "./claims.ts";
import { ssoError } from "./provider.ts";

export const ssoSignInInput = z.strictObject({
  provider: z.enum(SSO_PROVIDERS),
  subject: z.string().min(1).max(255),
  verifiedEmail: z.string().min(3).max(254).nullable(),
  name: z.string().max(200).nullable(),
  invitation: z.string().min(20).max(200).nullable().default(null),
  /** The sign-in page's language: a new account's (from an invitation) users.locale. */
  locale: z.enum(["fr", "en"]).default("fr"),
});

type UserRow = Identity & { status: string };

export type SsoSignInResult = {
  identity: Identity;
  /** How the account was found: its link, its address (a link was just made), or an invitation just accepted. */
  matched: "link" | "email" | "invitation";
  /** The project of the invitation accepted on the way, if any. */
  joinedTenantId: string | null;
};

const linkStatement = (
  db: D1Database,
  link: { provider: string; subject: string; email: string },
  ts: string,
  userId: number | null,
) =>
  userId === null
    ? db
        .prepare(
          `INSERT INTO user_identities (provider, subject, user_id, email, created_at, last_used_at)
           SELECT ?, ?, id, ?, ?, ? FROM users WHERE email = ?`,
        )
        .bind(link.provider, link.subject, link.email, ts, ts, link.email)
    : db
        .prepare(
          `INSERT INTO user_identities (provider, subject, user_id, email, created_at, last_used_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .bind(link.provider, link.subject, userId, link.email, ts, ts);

export async function ssoSignIn({
  ctx,
  input,
}: {
  ctx: SystemCtx;
  input: unknown;
}): Promise<SsoSignInResult> {
  const data = parse(ssoSignInInput, input, "single sign-on");
  const ts = nowIso(ctx.now());
  const disabled = () => ssoError("FORBIDDEN", "disabled", "This account is disabled.");

  const linked = await ctx.db
    .prepare(
      `SELECT ${IDENTITY_COLUMNS.split(", ")
        .map((c) => `u.${c}`)
        .join(", ")} FROM user_identities i JOIN users u ON u.id = i.user_id
       WHERE i.provider = ? AND i.subject = ?`,
    )
    .bind(data.provider, data.subject)
    .first<UserRow>();

  let user: UserRow | null = linked;
  let matched: SsoSignInResult["matched"] = "link";
  if (!user) {
    if (data.verifiedEmail === null) {
      throw ssoError(
        "FORBIDDEN",
        "unverified",
        "The provider did not confirm this e-mail address: sign in with your password, or verify it there.",
      );
    }
    user = await ctx.db
      .prepare(`SELECT ${IDENTITY_COLUMNS} FROM users WHERE email = ?`)
      .bind(data.verifiedEmail)
      .first<UserRow>();
    matched = "email";
  }
  // An unclaimed account (made by a public intake, status 'invited') is nobody's yet: only an invitation claims it.
  const existing = user && user.status !== "invited" ? user : null;
  if (existing && !activeIdentity(existing)) throw disabled();

  const email = data.verifiedEmail ?? existing?.email ?? null;
  const link = (userId: number | null) => (at: string) =>
    email === null
      ? []
      : [linkStatement(ctx.db, { provider: data.provider, subject: data.subject, email }, at, userId)];

  // An invitation the sign-in started from, or (for a new account) one waiting for this address.
  let joinedTenantId: string | null = null;
  if (email !== null && (data.invitation !== null || !existing)) {
    const joined = await acceptInvitationForVerifiedEmail({
      ctx,
      email,
      token: data.invitation,
      actingUserId: existing?.id ?? null,
      name: data.name,
      locale: data.locale,
      // the link goes with the acceptance when it is new
      also: matched === "link" ? () => [] : link(existing?.id ?? null),
    }).catch((e: unknown) => {
      if (e instanceof DomainError && !e.details?.some((d) => d.path === "sso"))
        throw ssoError(e.code === "CONFLICT" ? "CONFLICT" : "FORBIDDEN", "invitation", e.message, e);
      throw e;
    });
    if (joined) {
      joinedTenantId = joined.tenantId;
      if (!existing) {
        const created = await ctx.db
          .prepare(`SELECT ${IDENTITY_COLUMNS} FROM users WHERE email = ?`)
          .bind(email)
          .first<UserRow>();
        const identity = activeIdentity(created);
        if (!identity) throw disabled();
        return { identity, matched: "invitation", joinedTenantId };
      }
    }
  }
  if (!existing) {
    throw ssoError(
      "FORBIDDEN",
      "no_account",
      "No Fataplus account uses this address. Ask your agency for an invitation, or sign in with your password.",
    );
  }
  const identity = activeIdentity(existing);
  if (!identity) throw disabled();

  if (matched === "link") {
    await ctx.db
      .prepare("UPDATE user_identities SET last_used_at = ? WHERE provider = ? AND subject = ?")
      .bind(ts, data.provider, data.subject)
      .run();
  } else if (joinedTenantId === null) {
    // the address matched an account: link the provider to it (later sign-ins match on the subject)
    await ctx.db.batch(link(existing.id)(ts));
  }
  return { identity, matched, joinedTenantId };
}

/** The providers linked to an account (its account page), newest first. */
export async function listSsoLinks({ db, userId }: { db: D1Database; userId: number }) {
  const { results } = await db
    .prepare(
      "SELECT provider, email, created_at, last_used_at FROM user_identities WHERE user_id = ? ORDER BY created_at DESC, provider",
    )
    .bind(userId)
    .all<{ provider: string; email: string; created_at: string; last_used_at: string }>();
  return results;
}

export const unlinkSsoInput = z.strictObject({ provider: z.enum(SSO_PROVIDERS) });

/**
 * Removes a provider's links from the person's own account: it no longer signs them in by its subject. A later
 * sign-in through it links again only through a verified address of an active account (a convenience, never a
 * grant), so unlinking is "forget this provider account", not a ban.
 */
export async function unlinkSsoProvider({
  db,
  userId,
  input,
}: {
  db: D1Database;
  userId: number;
  input: unknown;
}): Promise<{ removed: number }> {
  const { provider } = parse(unlinkSsoInput, input, "unlinking a provider");
  const res = await db
    .prepare("DELETE FROM user_identities WHERE user_id = ? AND provider = ?")
    .bind(userId, provider)
    .run();
  return { removed: res.meta.changes };
}
