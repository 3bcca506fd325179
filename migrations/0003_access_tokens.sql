-- Personal access tokens for AI agents over MCP (docs/decisions/006-mcp.md).
--
-- Global (owned by a user, not by a tenant): a token is scoped to some or all of its user's tenants, and the
-- scope is re-checked against the user's live memberships on every call, so it can only narrow what the user
-- has. The tenant scope is a JSON array of tenant ids (NULL when all_tenants = 1): a stale id in it grants
-- nothing, because tenant ids are random and never reused and access is resolved from `memberships`.
--
-- The secret is shown once; only its SHA-256 is stored. token_prefix (the first characters) lets the owner
-- recognise a token in a list. rate_window_start / rate_count are the per-token request counter (one atomic
-- UPDATE per request, fixed one-minute window).
CREATE TABLE "access_tokens" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 100),
  "token_hash" TEXT NOT NULL CHECK (length("token_hash") = 64),
  "token_prefix" TEXT NOT NULL CHECK (length("token_prefix") BETWEEN 8 AND 16),
  "scope" TEXT NOT NULL DEFAULT 'read' CHECK ("scope" IN ('read', 'write')),
  "all_tenants" INTEGER NOT NULL DEFAULT 0 CHECK ("all_tenants" IN (0, 1)),
  "tenant_ids" TEXT,
  "expires_at" TEXT NOT NULL,
  "revoked_at" TEXT,
  "last_used_at" TEXT,
  "rate_window_start" INTEGER NOT NULL DEFAULT 0,
  "rate_count" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (("all_tenants" = 1 AND "tenant_ids" IS NULL)
         OR ("all_tenants" = 0 AND json_valid("tenant_ids") AND json_type("tenant_ids") = 'array'
             AND json_array_length("tenant_ids") BETWEEN 1 AND 100))
);
CREATE UNIQUE INDEX "idx_unique_access_tokens_token_hash" ON "access_tokens" ("token_hash");
CREATE INDEX "idx_access_tokens_user_id_created_at" ON "access_tokens" ("user_id", "created_at");
