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

type UserRow = Identity & { status: string; sessions_valid_after?: number };

/** The columns of an identity, for every query that reads one. */
export const IDENTITY_COLUMNS = "id, email, name, role, locale, status, sessions_valid_after";

/**
 * An identity from a users row, or null when there is no row or the account is not active. With
 * `sessionIssuedAt` (when the session token was issued, epoch milliseconds), also null when the user signed
 * out at or after that moment (migrations/0004_session_revocation.sql).
 */
export function activeIdentity(row: UserRow | null | undefined, sessionIssuedAt?: number): Identity | null {
  if (row?.status !== "active") return null;
  if (sessionIssuedAt !== undefined && sessionIssuedAt <= (row.sessions_valid_after ?? 0)) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale };
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
  sessionIssuedAt,
}: {
  db: D1Database;
  userId: number;
  /** The `iat` of the session token that names this user, when a session token does. */
  sessionIssuedAt?: number | undefined;
}): Promise<Identity | null> {
  const row = await db
    .prepare(`SELECT ${IDENTITY_COLUMNS} FROM users WHERE id = ?`)
    .bind(userId)
    .first<UserRow>();
  return activeIdentity(row, sessionIssuedAt);
}

/** Signing out: every session token of the user issued until now stops working, and so do pending hand-offs. */
export async function endSessions({ db, userId, now }: { db: D1Database; userId: number; now: Date }) {
  await db.batch(endSessionsStatements(db, userId, now));
}

/** What `endSessions` writes, for a verb that ends every session in its own batch (a password reset or change). */
export function endSessionsStatements(db: D1Database, userId: number, now: Date): D1PreparedStatement[] {
  return [
    db.prepare("UPDATE users SET sessions_valid_after = ? WHERE id = ?").bind(now.getTime(), userId),
    db.prepare("DELETE FROM auth_handoffs WHERE user_id = ?").bind(userId),
  ];
}

export type Access = { identity: Identity; tenant: TenantRef | null; role: TenantRole | null };

/** The row of `accessStatement`: the user, and the tenant and membership (nulls when there is none). */
export type AccessRow = UserRow & {
  tenant_id: string | null;
  tenant_name: string | null;
  tenant_subdomain: string | null;
  tenant_kind: TenantRef["kind"] | null;
  member_role: TenantRole | null;
};

const USER_COLUMNS = "u.id, u.email, u.name, u.role, u.locale, u.status, u.sessions_valid_after";

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
 * The one statement that re-reads a user and its membership in one tenant (by id or subdomain, or none): one
 * row whenever the user exists, read with `accessOfRow`. A single statement, not a batch: it runs on every
 * request, and the worker folds it into the batch of the read it guards (decision 017).
 */
export function accessStatement(
  db: D1Database,
  userId: number,
  tenantRef: string | null,
): D1PreparedStatement {
  const { columns, joins } = accessSql(tenantRef, "?2");
  const stmt = db.prepare(`SELECT ${columns} FROM users u ${joins} WHERE u.id = ?1`);
  return tenantRef === null ? stmt.bind(userId) : stmt.bind(userId, tenantKey(tenantRef).value);
}

/**
 * What a row of `accessStatement` grants: null when the user is gone, not active, or signed out since
 * `sessionIssuedAt`; `tenant` null when it doesn't exist or is archived; `role` null without access to it.
 */
export function accessOfRow(row: AccessRow | null | undefined, sessionIssuedAt?: number): Access | null {
  const identity = activeIdentity(row, sessionIssuedAt);
  if (!identity || !row) return null;
  if (!row.tenant_id || row.tenant_name === null || row.tenant_subdomain === null || !row.tenant_kind)
    return { identity, tenant: null, role: null };
  return {
    identity,
    tenant: {
      id: row.tenant_id,
      name: row.tenant_name,
      subdomain: row.tenant_subdomain,
      kind: row.tenant_kind,
    },
    role: effectiveTenantRole(identity.role, row.member_role),
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
  sessionIssuedAt,
}: {
  db: D1Database;
  userId: number;
  tenantRef: string | null;
  /** The `iat` of the session token that names this user, when a session token does. */
  sessionIssuedAt?: number | undefined;
}): Promise<Access | null> {
  const row = await accessStatement(db, userId, tenantRef || null).first<AccessRow>();
  return accessOfRow(row, sessionIssuedAt);
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
