/**
 * Personal access tokens: how an AI agent acts for its user over MCP (docs/decisions/006-mcp.md).
 *
 *  - a token has a name, an expiry (at most a year), a scope (`read` by default, `write` by explicit choice)
 *    and covers some or all of its user's tenants;
 *  - the secret (`fpat_` + 43 random characters) is shown once; the database keeps its SHA-256;
 *  - it is revocable, and its last use is recorded;
 *  - it never grants more than its user has: the user and its membership are re-read on every call, so a
 *    disabled account or a lost membership takes effect at once;
 *  - calls are counted per token (one atomic UPDATE per request) and refused past the limit.
 */
import { z } from "zod";
import {
  activeIdentity,
  IDENTITY_COLUMNS,
  type Identity,
  listAccessibleTenants,
  resolveAccess,
} from "../auth/identity.ts";
import type { Actor, Ctx, TenantRef } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import type { TenantRole } from "../kernel/roles.ts";

export const TOKEN_PREFIX = "fpat_";
/** `fpat_` + 32 random bytes in base64url (43 characters). */
export const TOKEN_PATTERN = /^fpat_[A-Za-z0-9_-]{43}$/;
export const MAX_TOKEN_DAYS = 365;
export const MAX_ACTIVE_TOKENS_PER_USER = 50;
/** Requests per token per window (every MCP request counts: initialize, list, call). */
export const TOKEN_RATE_LIMIT = { windowSeconds: 60, maxRequests: 120 } as const;

export const tokenScopes = ["read", "write"] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Who manages their own tokens: a signed-in user, before any tenant is chosen. */
export type TokenOwnerCtx = { db: D1Database; identity: Identity; now: () => Date };

/** Looks like a personal access token (cheap check before any database work). */
export const isPersonalAccessToken = (value: string): boolean => value.startsWith(TOKEN_PREFIX);

const tenantRefSchema = z.string().trim().min(2).max(63);

export const createTokenInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  expires_in_days: z
    .number({ message: "must be a number of days" })
    .int()
    .min(1)
    .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS} days`),
  scope: z.enum(tokenScopes).default("read"),
  /** "all" (every tenant the user can open, now and later) or a list of subdomains / FP- ids. */
  tenants: z.union([z.literal("all"), z.array(tenantRefSchema).min(1).max(100)]),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

type TokenRow = {
  id: string;
  user_id: number;
  name: string;
  token_prefix: string;
  scope: TokenScope;
  all_tenants: number;
  tenant_ids: string | null;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
};

export type TokenTenant = { id: string; subdomain: string; name: string };

export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  tenants: "all" | TokenTenant[];
  status: "active" | "expired" | "revoked";
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
};

function parseTenantIds(raw: string | null): string[] {
  if (raw === null) return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
}

function view(row: TokenRow, now: Date, tenantsById: Map<string, TokenTenant>): TokenView {
  const status = row.revoked_at ? "revoked" : row.expires_at <= nowIso(now) ? "expired" : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    scope: row.scope,
    tenants:
      row.all_tenants === 1
        ? "all"
        : parseTenantIds(row.tenant_ids).map(
            // a tenant archived (or left) since keeps its id, so the owner still sees what the token named
            (id) => tenantsById.get(id) ?? { id, subdomain: "", name: "(no longer accessible)" },
          ),
    status,
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
    created_at: row.created_at,
  };
}

/** Creates a token for the signed-in user. The secret is in the result and nowhere else, ever. */
export async function createToken({
  ctx,
  input,
}: {
  ctx: TokenOwnerCtx;
  /** Parsed here with createTokenInput: route handlers pass the request body as it came. */
  input: CreateTokenInput | unknown;
}): Promise<TokenView & { token: string }> {
  const parsed = createTokenInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid access token");
  const { name, expires_in_days, scope, tenants } = parsed.data;

  const accessible = await listAccessibleTenants({ db: ctx.db, identity: ctx.identity });
  const tenantIds: string[] = [];
  if (tenants === "all") {
    if (accessible.length === 0) {
      throw new DomainError("UNPROCESSABLE", "You have no project to give a token access to.");
    }
  } else {
    for (const ref of tenants) {
      const key = ref.toLowerCase();
      const t = accessible.find((a) => a.id === ref || a.subdomain === key);
      if (!t?.role) {
        // unknown and inaccessible tenants get the same answer
        throw new DomainError("UNPROCESSABLE", `You have no access to the project "${ref}".`, {
          details: [{ path: "tenants", message: `no access to "${ref}"` }],
        });
      }
      if (!tenantIds.includes(t.id)) tenantIds.push(t.id);
    }
  }

  const now = ctx.now();
  const active = await ctx.db
    .prepare(
      "SELECT count(*) AS n FROM access_tokens WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?",
    )
    .bind(ctx.identity.id, nowIso(now))
    .first<{ n: number }>();
  if ((active?.n ?? 0) >= MAX_ACTIVE_TOKENS_PER_USER) {
    throw new DomainError(
      "CONFLICT",
      `You already have ${MAX_ACTIVE_TOKENS_PER_USER} active tokens: revoke one before creating another.`,
    );
  }

  const token = `${TOKEN_PREFIX}${newToken(32)}`;
  const row: TokenRow = {
    id: newId(),
    user_id: ctx.identity.id,
    name,
    token_prefix: token.slice(0, 12),
    scope,
    all_tenants: tenants === "all" ? 1 : 0,
    tenant_ids: tenants === "all" ? null : JSON.stringify(tenantIds),
    expires_at: nowIso(new Date(now.getTime() + expires_in_days * 86_400_000)),
    revoked_at: null,
    last_used_at: null,
    created_at: nowIso(now),
  };
  await ctx.db
    .prepare(
      `INSERT INTO access_tokens (id, user_id, name, token_hash, token_prefix, scope, all_tenants, tenant_ids,
         expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.id,
      row.user_id,
      row.name,
      await sha256Hex(token),
      row.token_prefix,
      row.scope,
      row.all_tenants,
      row.tenant_ids,
      row.expires_at,
      row.created_at,
    )
    .run();
  const byId = new Map(accessible.map((t) => [t.id, { id: t.id, subdomain: t.subdomain, name: t.name }]));
  return { ...view(row, now, byId), token };
}

/** The signed-in user's own tokens (never the secret or its hash), newest first. */
export async function listTokens({ ctx }: { ctx: TokenOwnerCtx }): Promise<TokenView[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT id, user_id, name, token_prefix, scope, all_tenants, tenant_ids, expires_at, revoked_at,
              last_used_at, created_at
       FROM access_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 200`,
    )
    .bind(ctx.identity.id)
    .all<TokenRow>();
  const accessible = await listAccessibleTenants({ db: ctx.db, identity: ctx.identity });
  const byId = new Map(accessible.map((t) => [t.id, { id: t.id, subdomain: t.subdomain, name: t.name }]));
  const now = ctx.now();
  return results.map((r) => view(r, now, byId));
}

export const revokeTokenInput = z.strictObject({ id: z.uuid({ message: "must be a token id" }) });

/** Revokes one of the signed-in user's tokens. Someone else's token is "not found", like an unknown one. */
export async function revokeToken({
  ctx,
  input,
}: {
  ctx: TokenOwnerCtx;
  input: z.input<typeof revokeTokenInput>;
}): Promise<{ id: string; revoked_at: string }> {
  const parsed = revokeTokenInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid token id");
  const at = nowIso(ctx.now());
  const row = await ctx.db
    .prepare(
      `UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?)
       WHERE id = ? AND user_id = ? RETURNING id, revoked_at`,
    )
    .bind(at, parsed.data.id, ctx.identity.id)
    .first<{ id: string; revoked_at: string }>();
  if (!row) throw new DomainError("NOT_FOUND", "No access token with this id.");
  return row;
}

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
