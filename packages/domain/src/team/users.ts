/**
 * The agency's people: the list of accounts and deactivating (or reactivating) one, for agency admins only
 * (docs/decisions/026-team-management.md).
 *
 * Deactivating sets `users.status = 'disabled'`: from the next request on, the gate's re-read of the user
 * (auth/identity.ts `activeIdentity`) refuses every session and every personal access token of theirs; in the
 * same write their tokens are revoked and their sessions ended (their session rows, sign-in hand-offs), so
 * reactivating the account later does not bring an old session or token back. Nothing they wrote is deleted
 * or re-attributed: audit rows, messages, documents and tasks keep pointing at the same users row, which keeps
 * their name and e-mail. Memberships stay too (reactivation restores the same access); the team pages show
 * the account as deactivated.
 * Guards: an admin can't deactivate themselves, and the last active agency admin can't be deactivated (the
 * condition is in the UPDATE itself, so two admins deactivating each other at once can't both succeed).
 */
import type { Identity } from "../auth/identity.ts";
import { endSessionsStatements } from "../auth/identity.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { BOOTCAMP_SUBDOMAIN } from "../vocabulary/subdomains.ts";
import { listUsersInput, setUserStatusInput } from "./schemas.ts";

export type AgencyCtx = { db: D1Database; identity: Identity; now: () => Date };

export type AgencyUser = {
  id: number;
  email: string;
  name: string | null;
  role: string;
  status: string;
  created_at: string;
  projects: number;
};

export const LAST_AGENCY_ADMIN = "LAST_AGENCY_ADMIN";

function assertAgencyAdmin(ctx: AgencyCtx): void {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only the agency's admins manage the agency's accounts.");
}

/** The accounts, agency people first, then by e-mail; `q` matches the e-mail or the name. */
export async function listUsers({ ctx, input }: { ctx: AgencyCtx; input: unknown }) {
  assertAgencyAdmin(ctx);
  const { q, status } = parse(listUsersInput, input ?? {}, "user list");
  const like = q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  const { results } = await ctx.db
    .prepare(
      `SELECT u.id, u.email, u.name, u.role, u.status, u.created_at,
         (SELECT count(*) FROM memberships m WHERE m.user_id = u.id) AS projects
       FROM users u
       WHERE (?1 IS NULL OR u.email LIKE ?1 ESCAPE '\\' OR u.name LIKE ?1 ESCAPE '\\')
         AND (?2 IS NULL OR u.status = ?2)
       ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, u.email LIMIT 500`,
    )
    .bind(like, status ?? null)
    .all<AgencyUser>();
  return { rows: results };
}

/**
 * Deactivates (`disabled`) or reactivates (`active`) an account. Returns its new status; `changed: false` when
 * it already had it. An unclaimed account (`invited`, made by the public intake) is neither: CONFLICT.
 */
export async function setUserStatus({ ctx, input }: { ctx: AgencyCtx; input: unknown }) {
  assertAgencyAdmin(ctx);
  const { user_id, status } = parse(setUserStatusInput, input, "account status");
  if (user_id === ctx.identity.id && status === "disabled")
    throw new DomainError("FORBIDDEN", "You can't deactivate your own account: ask another agency admin.");
  const user = await ctx.db
    .prepare("SELECT id, email, role, status FROM users WHERE id = ?")
    .bind(user_id)
    .first<{ id: number; email: string; role: string; status: string }>();
  if (!user) throw new DomainError("NOT_FOUND", "No account with this id.");
  if (user.status === status) return { user_id, status, changed: false };
  if (user.status === "invited")
    throw new DomainError("CONFLICT", "This account was never claimed: there is nothing to deactivate.");
  const from = user.status;
  const now = ctx.now();
  const at = nowIso(now);
  const disabling = status === "disabled";
  const [update] = await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE users SET status = ?1
         WHERE id = ?2 AND status = ?3
           AND (?1 <> 'disabled' OR role <> 'admin'
                OR EXISTS (SELECT 1 FROM users o WHERE o.role = 'admin' AND o.status = 'active' AND o.id <> ?2))`,
      )
      .bind(status, user_id, from),
    // right after the guarded UPDATE: written only if it just changed the account (changes() = 1)
    auditEverywhere(ctx, user, { from, to: status }, at),
    // A disabled account keeps no token, hand-off or session (decision 022), whoever disabled it.
    ...(disabling
      ? [
          ctx.db
            .prepare(
              `UPDATE access_tokens SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL
                 AND EXISTS (SELECT 1 FROM users WHERE id = ?2 AND status = 'disabled')`,
            )
            .bind(at, user_id),
          ...endSessionsStatements(ctx.db, { userId: user_id, now, reason: "account" }),
        ]
      : []),
  ]);
  if (update?.meta.changes !== 1) {
    if (disabling && user.role === "admin")
      throw new DomainError("CONFLICT", "This is the agency's last active admin: it can't be deactivated.", {
        details: [{ path: "user_id", message: LAST_AGENCY_ADMIN }],
      });
    throw new DomainError("CONFLICT", "This account changed meanwhile: reload the page and try again.");
  }
  return { user_id, status, changed: true };
}

/**
 * The audit rows of a status change: one in every tenant the account is a member of (their history there
 * says why they stopped), and one in the agency's workspace (the oldest active agency tenant, the bootcamp's
 * last), written only if the account's status is now the new one (the guarded UPDATE before it changed it).
 */
function auditEverywhere(
  ctx: AgencyCtx,
  user: { id: number; email: string },
  data: { from: string; to: string },
  at: string,
): D1PreparedStatement {
  const action = data.to === "disabled" ? "user.deactivate" : "user.reactivate";
  const payload = JSON.stringify({ email: user.email, ...data });
  return ctx.db
    .prepare(
      `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
       SELECT lower(hex(randomblob(16))), t.id, 'user', ?1, ?2, 'users', ?3, ?4, ?5
       FROM tenants t
       WHERE (t.id IN (SELECT tenant_id FROM memberships WHERE user_id = ?6)
              OR t.id = (SELECT id FROM tenants WHERE kind = 'agency' AND status = 'active'
                         ORDER BY subdomain = ?7, created_at LIMIT 1))
         AND changes() = 1 AND EXISTS (SELECT 1 FROM users WHERE id = ?6 AND status = ?8)`,
    )
    .bind(
      String(ctx.identity.id),
      action,
      String(user.id),
      payload,
      at,
      user.id,
      BOOTCAMP_SUBDOMAIN,
      data.to,
    );
}
