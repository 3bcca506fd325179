/**
 * The signed-in user manages their own tokens: create one (the secret is shown once; the database keeps its
 * SHA-256), list them, revoke one.
 */
import { type Identity, listAccessibleTenants } from "../auth/identity.ts";
import { accountAuditRow } from "../kernel/audit.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { type TokenKind, type TokenRow, type TokenTenant, type TokenView, tokenView } from "./rows.ts";
import {
  connectAssistantInput,
  createTokenInput,
  MAX_ACTIVE_TOKENS_PER_USER,
  revokeTokenInput,
  TOKEN_PREFIX,
  type TokenScope,
} from "./schemas.ts";

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
  const parsed = parse(createTokenInput, input, "access token");
  return insertToken(ctx, { ...parsed, kind: "personal", clientId: null });
}

/**
 * The token behind an assistant that a person connects by URL and approves on the consent page (decision 031):
 * a row of kind `assistant`, with the projects, scope and lifetime the person chose. Its secret goes into the
 * OAuth grant (encrypted there) and is shown to nobody; the assistant only ever holds OAuth tokens.
 */
export async function connectAssistant({
  ctx,
  input,
}: {
  ctx: TokenOwnerCtx;
  input: unknown;
}): Promise<TokenView & { token: string }> {
  const { client_id, client_name, ...rest } = parse(connectAssistantInput, input, "assistant");
  return insertToken(ctx, { ...rest, name: client_name, kind: "assistant", clientId: client_id });
}

async function insertToken(
  ctx: TokenOwnerCtx,
  t: {
    name: string;
    expires_in_days: number;
    scope: TokenScope;
    tenants: "all" | string[];
    kind: TokenKind;
    clientId: string | null;
  },
): Promise<TokenView & { token: string }> {
  const accessible = await listAccessibleTenants({ db: ctx.db, identity: ctx.identity });
  const tenantIds = tenantIdsFor(accessible, t.tenants);
  const now = ctx.now();
  await assertUnderTokenCap(ctx, now);

  const token = `${TOKEN_PREFIX}${newToken(32)}`;
  const row: TokenRow = {
    id: newId(),
    user_id: ctx.identity.id,
    kind: t.kind,
    name: t.name,
    token_prefix: token.slice(0, 12),
    scope: t.scope,
    all_tenants: t.tenants === "all" ? 1 : 0,
    tenant_ids: t.tenants === "all" ? null : JSON.stringify(tenantIds),
    expires_at: nowIso(new Date(now.getTime() + t.expires_in_days * 86_400_000)),
    revoked_at: null,
    last_used_at: null,
    created_at: nowIso(now),
  };
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO access_tokens (id, user_id, kind, client_id, name, token_hash, token_prefix, scope, all_tenants,
           tenant_ids, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        row.id,
        row.user_id,
        row.kind,
        t.clientId,
        row.name,
        await sha256Hex(token),
        row.token_prefix,
        row.scope,
        row.all_tenants,
        row.tenant_ids,
        row.expires_at,
        row.created_at,
      ),
    accountAuditRow(ctx.db, {
      action: t.kind === "assistant" ? "assistant.connect" : "token.create",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "access_tokens",
      entityId: row.id,
      data: {
        name: row.name,
        scope: row.scope,
        tenants: t.tenants === "all" ? "all" : tenantIds,
        days: t.expires_in_days,
      },
      at: row.created_at,
    }),
  ]);
  return { ...tokenView(row, now, tenantsById(accessible)), token };
}

/**
 * Is the token behind an assistant's grant still good (not revoked, not expired, its owner active)? Asked when the
 * assistant refreshes its OAuth tokens: a revoked connection can't be renewed.
 */
export async function assistantTokenActive(db: D1Database, tokenId: string, now: Date): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 AS ok FROM access_tokens tok JOIN users u ON u.id = tok.user_id
       WHERE tok.id = ? AND tok.kind = 'assistant' AND tok.revoked_at IS NULL AND tok.expires_at > ? AND u.status = 'active'`,
    )
    .bind(tokenId, nowIso(now))
    .first<{ ok: number }>();
  return row !== null;
}

/** The signed-in user's own tokens (never the secret or its hash), newest first. */
export async function listTokens({ ctx }: { ctx: TokenOwnerCtx }): Promise<TokenView[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT id, user_id, kind, name, token_prefix, scope, all_tenants, tenant_ids, expires_at, revoked_at,
              last_used_at, created_at
       FROM access_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 200`,
    )
    .bind(ctx.identity.id)
    .all<TokenRow>();
  const byId = tenantsById(await listAccessibleTenants({ db: ctx.db, identity: ctx.identity }));
  const now = ctx.now();
  return results.map((r) => tokenView(r, now, byId));
}

export type RevokedToken = { id: string; revoked_at: string; kind: TokenKind; client_id: string | null };

/**
 * Revokes one of the signed-in user's tokens (a personal one, or the one behind a connected assistant), with its
 * audit row. Someone else's token is "not found", like an unknown one. `client_id` tells the caller which OAuth
 * client's grants to revoke too.
 */
export async function revokeToken({
  ctx,
  input,
}: {
  ctx: TokenOwnerCtx;
  input: unknown;
}): Promise<RevokedToken> {
  const { id } = parse(revokeTokenInput, input, "token id");
  const at = nowIso(ctx.now());
  const [, , read] = await ctx.db.batch<RevokedToken>([
    ctx.db
      .prepare("UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
      .bind(at, id, ctx.identity.id),
    accountAuditRow(ctx.db, {
      action: "token.revoke",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "access_tokens",
      entityId: id,
      at,
      onlyIfChanged: true,
    }),
    ctx.db
      .prepare("SELECT id, revoked_at, kind, client_id FROM access_tokens WHERE id = ? AND user_id = ?")
      .bind(id, ctx.identity.id),
  ]);
  const row = read?.results[0];
  if (!row) throw new DomainError("NOT_FOUND", "No access token with this id.");
  return row;
}
