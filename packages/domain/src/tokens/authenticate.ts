/**
 * Acting with a token (MCP): authenticate it and count the request, then resolve a tenant-scoped context for
 * each call. A token never grants more than its user has: the user and its membership are re-read every time.
 */
import {
  activeIdentity,
  IDENTITY_COLUMNS,
  type Identity,
  listAccessibleTenants,
  resolveAccess,
} from "../auth/identity.ts";
import type { Actor, Ctx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso, sha256Hex } from "../kernel/ids.ts";
import type { TenantRole } from "../kernel/roles.ts";
import { parseTenantIds, type TokenRow, type TokenTenant } from "./rows.ts";
import { TOKEN_PATTERN, TOKEN_PREFIX, TOKEN_RATE_LIMIT, type TokenScope } from "./schemas.ts";

/** Looks like a personal access token (cheap check before any database work). */
export const isPersonalAccessToken = (value: string): boolean => value.startsWith(TOKEN_PREFIX);

/** A token that authenticated: who it acts for and what it covers. Access is still resolved per tenant. */
export type TokenPrincipal = {
  tokenId: string;
  name: string;
  identity: Identity;
  scope: TokenScope;
  allTenants: boolean;
  tenantIds: readonly string[];
};

const INVALID_TOKEN = "This access token is invalid, expired or revoked.";

/**
 * Authenticates a bearer token and counts the request, in one round trip: the counter and last_used_at move
 * only for a live token (not revoked, not expired), and the user is re-read. Unknown, expired and revoked
 * tokens get the same answer. Past the per-token limit: RATE_LIMITED with the seconds left in the window.
 */
export async function authenticateToken({
  db,
  now,
  token,
  limit = TOKEN_RATE_LIMIT,
  weight = 1,
}: {
  db: D1Database;
  now: () => Date;
  token: string;
  limit?: { windowSeconds: number; maxRequests: number };
  /** How many calls this request carries (a JSON-RPC batch counts each message). */
  weight?: number;
}): Promise<TokenPrincipal> {
  if (!TOKEN_PATTERN.test(token)) throw new DomainError("UNAUTHENTICATED", INVALID_TOKEN);
  const hash = await sha256Hex(token);
  const at = now();
  const nowS = Math.floor(at.getTime() / 1000);
  type Counted = TokenRow & { rate_count: number; rate_window_start: number };
  type UserRow = Identity & { status: string };
  const [counted, users] = await db.batch<Counted | UserRow>([
    db
      .prepare(
        `UPDATE access_tokens SET
           last_used_at = ?1,
           rate_count = CASE WHEN rate_window_start <= ?2 - ?3 THEN ?5 ELSE rate_count + ?5 END,
           rate_window_start = CASE WHEN rate_window_start <= ?2 - ?3 THEN ?2 ELSE rate_window_start END
         WHERE token_hash = ?4 AND revoked_at IS NULL AND expires_at > ?1
         RETURNING id, user_id, name, scope, all_tenants, tenant_ids, rate_count, rate_window_start`,
      )
      .bind(nowIso(at), nowS, limit.windowSeconds, hash, Math.max(1, Math.floor(weight))),
    db
      .prepare(
        `SELECT ${IDENTITY_COLUMNS} FROM users
         WHERE id = (SELECT user_id FROM access_tokens WHERE token_hash = ?)`,
      )
      .bind(hash),
  ]);
  const row = counted?.results[0] as Counted | undefined;
  const identity = activeIdentity(users?.results[0] as UserRow | undefined);
  if (!row || !identity || identity.id !== row.user_id) {
    throw new DomainError("UNAUTHENTICATED", INVALID_TOKEN);
  }
  if (row.rate_count > limit.maxRequests) {
    throw new DomainError(
      "RATE_LIMITED",
      `Too many requests with this token: at most ${limit.maxRequests} per ${limit.windowSeconds} seconds.`,
      { retryAfterSeconds: Math.max(1, row.rate_window_start + limit.windowSeconds - nowS) },
    );
  }
  return {
    tokenId: row.id,
    name: row.name,
    identity,
    scope: row.scope,
    allTenants: row.all_tenants === 1,
    tenantIds: parseTenantIds(row.tenant_ids),
  };
}

export function tokenActor(p: TokenPrincipal): Actor {
  return {
    type: "token",
    tokenId: p.tokenId,
    userId: p.identity.id,
    agencyRole: p.identity.role,
    write: p.scope === "write",
  };
}

export type TokenTenantAccess = TokenTenant & { kind: "agency" | "project"; role: TenantRole };

/** The tenants a token reaches right now: its user's accessible tenants, narrowed by the token's scope. */
export async function listTokenTenants({
  db,
  principal,
}: {
  db: D1Database;
  principal: TokenPrincipal;
}): Promise<TokenTenantAccess[]> {
  const accessible = await listAccessibleTenants({ db, identity: principal.identity });
  return accessible
    .filter((t) => t.role !== null && (principal.allTenants || principal.tenantIds.includes(t.id)))
    .map((t) => ({
      id: t.id,
      subdomain: t.subdomain,
      name: t.name,
      kind: t.kind,
      role: t.role as TenantRole,
    }));
}

const NO_ACCESS = "This token has no access to this project.";

/**
 * A tenant-scoped context for a token, re-resolved from the database on every call: the user must still be
 * active, still have a role in the tenant, and the tenant must be in the token's scope. Unknown tenants,
 * tenants without access and tenants outside the scope get the same answer.
 */
export async function tokenCtx({
  db,
  principal,
  tenantRef,
  now,
}: {
  db: D1Database;
  principal: TokenPrincipal;
  tenantRef: string;
  now: () => Date;
}): Promise<Ctx> {
  const access = await resolveAccess({ db, userId: principal.identity.id, tenantRef });
  if (!access) throw new DomainError("UNAUTHENTICATED", INVALID_TOKEN);
  const tenant: TenantRef | null = access.tenant;
  if (!tenant || !access.role) throw new DomainError("FORBIDDEN", NO_ACCESS);
  if (!principal.allTenants && !principal.tenantIds.includes(tenant.id)) {
    throw new DomainError("FORBIDDEN", NO_ACCESS);
  }
  return {
    db,
    tenant,
    role: access.role,
    actor: tokenActor({ ...principal, identity: access.identity }),
    now,
  };
}

/** Writes need a token with write scope; read-only tokens are refused here whatever the tool layer did. */
export function assertActorMayWrite(actor: Actor): void {
  if (actor.type === "token" && !actor.write) {
    throw new DomainError("FORBIDDEN", "This access token is read-only: create a token with write access.");
  }
}
