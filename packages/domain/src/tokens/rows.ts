/** A token's row and the owner's view of it (never the secret or its hash). */
import { nowIso } from "../kernel/ids.ts";
import type { TokenScope } from "./schemas.ts";

/** A token a person made and pasted into an agent, or one behind an assistant connected by URL (OAuth). */
export type TokenKind = "personal" | "assistant";

export type TokenRow = {
  id: string;
  user_id: number;
  kind: TokenKind;
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
  kind: TokenKind;
  /** A personal token's name, or the connected assistant's registered name. */
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

export function parseTenantIds(raw: string | null): string[] {
  if (raw === null) return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
}

export function tokenView(row: TokenRow, now: Date, tenantsById: Map<string, TokenTenant>): TokenView {
  const status = row.revoked_at ? "revoked" : row.expires_at <= nowIso(now) ? "expired" : "active";
  return {
    id: row.id,
    kind: row.kind,
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
