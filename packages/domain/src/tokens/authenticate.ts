/**
 * Acting with a token (MCP): authenticate it, count the request, then resolve a tenant-scoped context for each
 * call. A token never grants more than its user has: the token, the user and its membership are re-read on
 * every request, in one statement (`tokenAccessStatement`) that the worker folds into the first read of the
 * call it guards (decision 017).
 */
import {
  type Access,
  type AccessRow,
  accessOfRow,
  accessSql,
  listAccessibleTenants,
  resolveAccess,
  tenantKey,
} from "../auth/identity.ts";
import type { Actor, Ctx } from "../kernel/context.ts";
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
  identity: Access["identity"];
  scope: TokenScope;
  allTenants: boolean;
  tenantIds: readonly string[];
};

const INVALID_TOKEN = "This access token is invalid, expired or revoked.";

/** The SHA-256 the database keeps of a token (malformed tokens are refused before any database work). */
export async function tokenHash(token: string): Promise<string> {
  if (!TOKEN_PATTERN.test(token)) throw new DomainError("UNAUTHENTICATED", INVALID_TOKEN);
  return sha256Hex(token);
}

/**
 * What counts a token's requests: Workers' rate-limiting binding (`[[ratelimits]]` in the worker's
 * wrangler.toml, with TOKEN_RATE_LIMIT's numbers), or anything with the same contract: a call passes while
 * the key's count in the current window is under the limit, and counts one.
 */
export type RequestLimiter = { limit(options: { key: string }): Promise<{ success: boolean }> };

/**
 * Counts a request of the token whose hash is `hash`, without a database write: a JSON-RPC batch counts as
 * many calls as it carries messages (one call of the limiter each: the miniflare of the tests has no `delta`),
 * and is refused if any of them is. Past the limit: RATE_LIMITED, with the seconds left in the window.
 */
export async function countTokenRequest({
  limiter,
  hash,
  now,
  weight = 1,
}: {
  limiter: RequestLimiter;
  hash: string;
  now: () => Date;
  weight?: number;
}): Promise<void> {
  const key = `token:${hash}`;
  const calls = Array.from({ length: Math.max(1, Math.floor(weight)) }, () => limiter.limit({ key }));
  const outcomes = await Promise.all(calls);
  if (outcomes.every((o) => o.success)) return;
  const { windowSeconds, maxRequests } = TOKEN_RATE_LIMIT;
  const nowS = Math.floor(now().getTime() / 1000);
  throw new DomainError(
    "RATE_LIMITED",
    `Too many requests with this token: at most ${maxRequests} per ${windowSeconds} seconds.`,
    // the binding's windows are fixed: what is left of this one
    { retryAfterSeconds: Math.max(1, windowSeconds - (nowS % windowSeconds)) },
  );
}

/** The row of `tokenAccessStatement`: the live token, its user, and the user's access in one tenant. */
export type TokenAccessRow = AccessRow &
  Pick<TokenRow, "scope" | "all_tenants" | "tenant_ids" | "last_used_at"> & {
    token_id: string;
    token_name: string;
  };

/**
 * The one statement that re-reads a token (live: not revoked, not expired at `now`), its user, and the user's
 * membership in `tenantRef` (an id or a subdomain; none with null). No row: the token is unknown, revoked or
 * expired. Read with `tokenAccessOfRow`.
 */
export function tokenAccessStatement(
  db: D1Database,
  { hash, tenantRef, now }: { hash: string; tenantRef: string | null; now: Date },
): D1PreparedStatement {
  const { columns, joins } = accessSql(tenantRef, "?3");
  const stmt = db.prepare(
    `SELECT tok.id AS token_id, tok.name AS token_name, tok.scope, tok.all_tenants, tok.tenant_ids,
            tok.last_used_at, ${columns}
     FROM access_tokens tok JOIN users u ON u.id = tok.user_id ${joins}
     WHERE tok.token_hash = ?1 AND tok.revoked_at IS NULL AND tok.expires_at > ?2`,
  );
  return tenantRef === null
    ? stmt.bind(hash, nowIso(now))
    : stmt.bind(hash, nowIso(now), tenantKey(tenantRef).value);
}

/** A token's check: who it acts for, when it was last used, and the user's access in the tenant it named. */
export type TokenCheck = { principal: TokenPrincipal; lastUsedAt: string | null; access: Access };

/** What a row of `tokenAccessStatement` grants: null for no row, or a user who is gone or not active. */
export function tokenAccessOfRow(row: TokenAccessRow | null | undefined): TokenCheck | null {
  const access = accessOfRow(row);
  if (!row || !access) return null;
  return {
    principal: {
      tokenId: row.token_id,
      name: row.token_name,
      identity: access.identity,
      scope: row.scope,
      allTenants: row.all_tenants === 1,
      tenantIds: parseTenantIds(row.tenant_ids),
    },
    lastUsedAt: row.last_used_at,
    access,
  };
}

/** Authenticates a token on its own (no tenant): unknown, expired, revoked tokens and disabled users alike. */
export async function authenticateToken({
  db,
  now,
  token,
}: {
  db: D1Database;
  now: () => Date;
  token: string;
}): Promise<TokenPrincipal> {
  const hash = await tokenHash(token);
  const row = await tokenAccessStatement(db, { hash, tenantRef: null, now: now() }).first<TokenAccessRow>();
  const check = tokenAccessOfRow(row);
  if (!check) throw new DomainError("UNAUTHENTICATED", INVALID_TOKEN);
  return check.principal;
}

/** How stale `last_used_at` may get: the owner sees a token's last use to the minute. */
export const TOKEN_LAST_USE_PRECISION_MS = 60_000;

/**
 * The write that records a token's use, or null when the recorded last use is recent enough: most requests
 * write nothing (the worker runs the statement after the answer).
 */
export function touchTokenStatement(
  db: D1Database,
  { tokenId, lastUsedAt, now }: { tokenId: string; lastUsedAt: string | null; now: Date },
): D1PreparedStatement | null {
  const before = nowIso(new Date(now.getTime() - TOKEN_LAST_USE_PRECISION_MS));
  if (lastUsedAt !== null && lastUsedAt > before) return null;
  return db
    .prepare(
      "UPDATE access_tokens SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)",
    )
    .bind(nowIso(now), tokenId);
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
 * A tenant-scoped context for a token from a fresh access (its user's, read in this request): the tenant must
 * exist, the user must have a role in it, and it must be in the token's scope. Unknown tenants, tenants
 * without access and tenants outside the scope get the same answer.
 */
export function tokenCtxOf({
  db,
  principal,
  access,
  now,
}: {
  db: D1Database;
  principal: TokenPrincipal;
  access: Access;
  now: () => Date;
}): Ctx {
  const tenant = access.tenant;
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

/**
 * A tenant-scoped context for a token, re-resolved from the database: the user must still be active and
 * still have a role in the tenant, and the tenant must be in the token's scope (`tokenCtxOf`).
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
  return tokenCtxOf({ db, principal, access, now });
}

/** Writes need a token with write scope; read-only tokens are refused here whatever the tool layer did. */
export function assertActorMayWrite(actor: Actor): void {
  if (actor.type === "token" && !actor.write) {
    throw new DomainError("FORBIDDEN", "This access token is read-only: create a token with write access.");
  }
}
