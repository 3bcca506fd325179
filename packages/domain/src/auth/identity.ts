import type { TenantRef } from "../kernel/context.ts";
import { TENANT_ID_PATTERN } from "../kernel/ids.ts";
import { type AgencyRole, effectiveTenantRole, type TenantRole } from "../kernel/roles.ts";

export type Identity = {
  id: number;
  email: string;
  name: string | null;
  role: AgencyRole;
  locale: "fr" | "en";
};

/** The session row a session token names (its `sid` claim; migrations/0014_sessions.sql, decision 022). */
export type SessionRef = { id: string };

/** The session columns of a row read with `sessionSql`. */
type SessionColumns = {
  session_id?: string | null;
  session_expires_at?: string | null;
  session_revoked_at?: string | null;
  session_mfa?: number | null;
};

type UserRow = Identity & { status: string } & SessionColumns;

/** The columns of an identity, for every query that reads one. */
export const IDENTITY_COLUMNS = "id, email, name, role, locale, status";
const USER_COLUMNS = "u.id, u.email, u.name, u.role, u.locale, u.status";

/** Whether the session row read with the user is the one the token names, and still open at `now`. */
function sessionHolds(row: SessionColumns, session: SessionRef, now: Date): boolean {
  return (
    row.session_id === session.id &&
    row.session_revoked_at == null &&
    typeof row.session_expires_at === "string" &&
    row.session_expires_at > now.toISOString()
  );
}

/**
 * An identity from a users row, or null when there is no row or the account is not active. With `session`
 * (the session token's row), also null when that session is unknown, ended or past its absolute expiry.
 */
export function activeIdentity(
  row: UserRow | null | undefined,
  session?: SessionRef,
  now: Date = new Date(),
): Identity | null {
  if (row?.status !== "active") return null;
  if (session !== undefined && !sessionHolds(row, session, now)) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale };
}

/**
 * The columns and join (from `users u`) of the session row named by the parameter `param`, or nulls without
 * one. A primary-key lookup, bound to the user: another user's session id matches nothing.
 */
function sessionSql(param: string | null): { columns: string; joins: string } {
  if (param === null) {
    return {
      columns:
        "NULL AS session_id, NULL AS session_expires_at, NULL AS session_revoked_at, NULL AS session_mfa",
      joins: "",
    };
  }
  return {
    columns:
      "s.id AS session_id, s.expires_at AS session_expires_at, s.revoked_at AS session_revoked_at, s.mfa AS session_mfa",
    joins: `LEFT JOIN sessions s ON s.id = ${param} AND s.user_id = u.id`,
  };
}

/** How a tenant reference (an FP-… id or a subdomain) is looked up: which column, which value. */
export function tenantKey(ref: string): { column: "id" | "subdomain"; value: string } {
  const key = ref.trim();
  return TENANT_ID_PATTERN.test(key)
    ? { column: "id", value: key }
    : { column: "subdomain", value: key.toLowerCase() };
}
type TenantAccessRow = {
  id: string;
  name: string;
  subdomain: string;
  kind: "agency" | "project";
  role: TenantRole | null;
};

/**
 * Re-reads the user from the database: the token only says who claims to call, the database says whether
 * that user still exists, is active, and which role it has now.
 */
export async function loadIdentity({
  db,
  userId,
  session,
}: {
  db: D1Database;
  userId: number;
  /** The session row the token names, when a session token names this user. */
  session?: SessionRef | undefined;
}): Promise<Identity | null> {
  const { columns, joins } = sessionSql(session ? "?2" : null);
  const stmt = db.prepare(`SELECT ${USER_COLUMNS}, ${columns} FROM users u ${joins} WHERE u.id = ?1`);
  const row = await (session ? stmt.bind(userId, session.id) : stmt.bind(userId)).first<UserRow>();
  return activeIdentity(row, session);
}

/** Why sessions end (kept on the row, shown to the owner). */
export type SessionEnd = "signed_out" | "ended" | "everywhere" | "account";

/**
 * The statements that end every open session of a user at once (and pending hand-offs), for the batch of the
 * change that requires it: "sign out everywhere", a password reset or change, a deactivated account.
 */
export function endSessionsStatements(
  db: D1Database,
  { userId, now, reason = "account" }: { userId: number; now: Date; reason?: SessionEnd },
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
      )
      .bind(now.toISOString(), reason, userId),
    db.prepare("DELETE FROM auth_handoffs WHERE user_id = ?").bind(userId),
  ];
}

/** Ends every session of the user now: every session token stops working, and so do pending hand-offs. */
export async function endSessions({
  db,
  userId,
  now,
  reason,
}: {
  db: D1Database;
  userId: number;
  now: Date;
  reason?: SessionEnd;
}) {
  await db.batch(endSessionsStatements(db, { userId, now, ...(reason ? { reason } : {}) }));
}

/**
 * A user's access in one tenant. `session` is the session row that was checked with it (for session tokens):
 * whether a second factor was checked when it was opened travels with it (a hand-off carries it over).
 */
export type Access = {
  identity: Identity;
  tenant: TenantRef | null;
  role: TenantRole | null;
  session?: { id: string; mfa: boolean };
};

/** The row of `accessStatement`: the user, and the tenant and membership (nulls when there is none). */
export type AccessRow = UserRow & {
  tenant_id: string | null;
  tenant_name: string | null;
  tenant_subdomain: string | null;
  tenant_kind: TenantRef["kind"] | null;
  member_role: TenantRole | null;
};

/**
 * The columns and joins (from `users u`) of an access row: the tenant named by the parameter `param` (its id
 * or subdomain, as `tenantKey(tenantRef)` says) and the user's membership in it. Without a tenant, nulls.
 */
export function accessSql(tenantRef: string | null, param: string): { columns: string; joins: string } {
  if (tenantRef === null) {
    return {
      columns: `${USER_COLUMNS}, NULL AS tenant_id, NULL AS tenant_name, NULL AS tenant_subdomain,
        NULL AS tenant_kind, NULL AS member_role`,
      joins: "",
    };
  }
  return {
    columns: `${USER_COLUMNS}, t.id AS tenant_id, t.name AS tenant_name, t.subdomain AS tenant_subdomain,
      t.kind AS tenant_kind, m.role AS member_role`,
    joins: `LEFT JOIN tenants t ON t.${tenantKey(tenantRef).column} = ${param} AND t.status = 'active'
      LEFT JOIN memberships m ON m.tenant_id = t.id AND m.user_id = u.id`,
  };
}

/**
 * The one statement that re-reads a user, its membership in one tenant (by id or subdomain, or none) and, for a
 * session token, its session row: one row whenever the user exists, read with `accessOfRow`. A single
 * statement, not a batch: it runs on every request, and the worker folds it into the batch of the read it
 * guards (decision 017).
 */
export function accessStatement(
  db: D1Database,
  userId: number,
  tenantRef: string | null,
  session?: SessionRef,
): D1PreparedStatement {
  const tenant = accessSql(tenantRef, "?2");
  const own = sessionSql(session ? (tenantRef === null ? "?2" : "?3") : null);
  const stmt = db.prepare(
    `SELECT ${tenant.columns}, ${own.columns} FROM users u ${tenant.joins} ${own.joins} WHERE u.id = ?1`,
  );
  const binds: unknown[] = [userId];
  if (tenantRef !== null) binds.push(tenantKey(tenantRef).value);
  if (session) binds.push(session.id);
  return stmt.bind(...binds);
}

/**
 * What a row of `accessStatement` grants: null when the user is gone or not active, or (with `session`) when
 * that session is unknown, ended or expired; `tenant` null when it doesn't exist or is archived; `role` null
 * without access to it.
 */
export function accessOfRow(row: AccessRow | null | undefined, session?: SessionRef): Access | null {
  const identity = activeIdentity(row, session);
  if (!identity || !row) return null;
  const own = session ? { session: { id: session.id, mfa: row.session_mfa === 1 } } : {};
  if (!row.tenant_id || row.tenant_name === null || row.tenant_subdomain === null || !row.tenant_kind)
    return { identity, tenant: null, role: null, ...own };
  return {
    identity,
    tenant: {
      id: row.tenant_id,
      name: row.tenant_name,
      subdomain: row.tenant_subdomain,
      kind: row.tenant_kind,
    },
    role: effectiveTenantRole(identity.role, row.member_role),
    ...own,
  };
}

/**
 * The identity of a user and its effective role in one tenant (by id or subdomain), in one round trip.
 * `tenant` is null when it doesn't exist or is archived; `role` is null when the user has no access to it.
 */
export async function resolveAccess({
  db,
  userId,
  tenantRef,
  session,
}: {
  db: D1Database;
  userId: number;
  tenantRef: string | null;
  /** The session row the token names, when a session token names this user. */
  session?: SessionRef | undefined;
}): Promise<Access | null> {
  const row = await accessStatement(db, userId, tenantRef || null, session).first<AccessRow>();
  return accessOfRow(row, session);
}

/** The tenants a user can open, with the effective role in each (agency staff and admins see every tenant). */
export async function listAccessibleTenants({ db, identity }: { db: D1Database; identity: Identity }) {
  if (identity.role === "admin" || identity.role === "staff") {
    const { results } = await db
      .prepare(
        `SELECT t.id, t.name, t.subdomain, t.kind, m.role FROM tenants t
         LEFT JOIN memberships m ON m.tenant_id = t.id AND m.user_id = ?
         WHERE t.status = 'active' ORDER BY t.kind, t.name LIMIT 500`,
      )
      .bind(identity.id)
      .all<TenantAccessRow>();
    return results.map((t) => ({ ...t, role: effectiveTenantRole(identity.role, t.role) }));
  }
  const { results } = await db
    .prepare(
      `SELECT t.id, t.name, t.subdomain, t.kind, m.role FROM memberships m
       JOIN tenants t ON t.id = m.tenant_id
       WHERE m.user_id = ? AND t.status = 'active' ORDER BY t.kind, t.name`,
    )
    .bind(identity.id)
    .all<TenantAccessRow>();
  return results;
}
