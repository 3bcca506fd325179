-- Fataplus schema, part 2: what the web app needs beyond the CRM core.

-- Saved views of the CRM's table and kanban screens: a name and a query string (filters and sort), per user.
-- Global (not tenant-owned): a view belongs to one person and may span projects; it stores no tenant data.
CREATE TABLE "saved_views" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "screen" TEXT NOT NULL CHECK ("screen" IN ('clients', 'leads', 'projects', 'tasks')),
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 80),
  "query" TEXT NOT NULL CHECK (length("query") <= 500),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX "idx_saved_views_user_id_screen" ON "saved_views" ("user_id", "screen");

-- One-time sign-in hand-offs from the main site to a project's subdomain (the session cookie is per host).
-- The code is shown once, stored hashed, valid 60 seconds, for one user and one tenant, and used once.
-- Global auth data like users (not tenant data), so the tenant it opens is `target_tenant_id`.
CREATE TABLE "auth_handoffs" (
  "code_hash" TEXT NOT NULL PRIMARY KEY,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "target_tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "expires_at" TEXT NOT NULL,
  "used_at" TEXT
);
CREATE INDEX "idx_auth_handoffs_expires_at" ON "auth_handoffs" ("expires_at");
