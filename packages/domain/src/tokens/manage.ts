/**
 * The signed-in user manages their own tokens: create one (the secret is shown once; the database keeps its
 * SHA-256), list them, revoke one.
 */
import { type Identity, listAccessibleTenants } from "../auth/identity.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { type TokenRow, type TokenTenant, type TokenView, tokenView } from "./rows.ts";
import { createTokenInput, MAX_ACTIVE_TOKENS_PER_USER, revokeTokenInput, TOKEN_PREFIX } from "./schemas.ts";

/** Who manages their own tokens: a signed-in user, before any tenant is chosen. */
export type TokenOwnerCtx = { db: D1Database; identity: Identity; now: () => Date };

type Accessible = Awaited<ReturnType<typeof listAccessibleTenants>>;

const tenantsById = (accessible: Accessible): Map<string, TokenTenant> =>
  new Map(accessible.map((t) => [t.id, { id: t.id, subdomain: t.subdomain, name: t.name }]));

/** The ids of the tenants a new token names (none for "all"); each must be one the user can open. */
function tenantIdsFor(accessible: Accessible, tenants: "all" | string[]): string[] {
  if (tenants === "all") {
    if (accessible.length === 0)
      throw new DomainError("UNPROCESSABLE", "You have no project to give a token access to.");
    return [];
  }
  const ids: string[] = [];
  for (const ref of tenants) {
    const key = ref.toLowerCase();
    const t = accessible.find((a) => a.id === ref || a.subdomain === key);
    if (!t?.role) {
      // unknown and inaccessible tenants get the same answer
      throw new DomainError("UNPROCESSABLE", `You have no access to the project "${ref}".`, {
        details: [{ path: "tenants", message: `no access to "${ref}"` }],
      });
    }
    if (!ids.includes(t.id)) ids.push(t.id);
  }
  return ids;
}

async function assertUnderTokenCap(ctx: TokenOwnerCtx, now: Date): Promise<void> {
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
}

/** Creates a token for the signed-in user. The secret is in the result and nowhere else, ever. */
export async function createToken({
  ctx,
  input,
}: {
  ctx: TokenOwnerCtx;
  /** Parsed here with createTokenInput: route handlers pass the request body as it came. */
  input: unknown;
}): Promise<TokenView & { token: string }> {
  const { name, expires_in_days, scope, tenants } = parse(createTokenInput, input, "access token");

  const accessible = await listAccessibleTenants({ db: ctx.db, identity: ctx.identity });
  const tenantIds = tenantIdsFor(accessible, tenants);
  const now = ctx.now();
  await assertUnderTokenCap(ctx, now);

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
  return { ...tokenView(row, now, tenantsById(accessible)), token };
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
  const byId = tenantsById(await listAccessibleTenants({ db: ctx.db, identity: ctx.identity }));
  const now = ctx.now();
  return results.map((r) => tokenView(r, now, byId));
}

/** Revokes one of the signed-in user's tokens. Someone else's token is "not found", like an unknown one. */
export async function revokeToken({
  ctx,
  input,
}: {
  ctx: TokenOwnerCtx;
  input: unknown;
}): Promise<{ id: string; revoked_at: string }> {
  const { id } = parse(revokeTokenInput, input, "token id");
  const at = nowIso(ctx.now());
  const row = await ctx.db
    .prepare(
      `UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?)
       WHERE id = ? AND user_id = ? RETURNING id, revoked_at`,
    )
    .bind(at, id, ctx.identity.id)
    .first<{ id: string; revoked_at: string }>();
  if (!row) throw new DomainError("NOT_FOUND", "No access token with this id.");
  return row;
}
