-- Fataplus schema, part 1: tenancy, identity and the CRM core.
-- The SQL migrations own the schema (docs/decisions/002-schema-ownership.md); bknd's entity definitions in
-- backend-integration/fataplus-bknd-backend/src/schema.ts mirror them and a drift test keeps the two equal.
--
-- Tenancy rules, checked by packages/domain/src/schema-lint.test.ts against the live schema:
--   * every tenant-owned table has `tenant_id TEXT NOT NULL` referencing tenants(id);
--   * it has an index whose first column is tenant_id;
--   * every foreign key to another tenant-owned table is composite, (tenant_id, x_id) -> (tenant_id, id),
--     so that a row can never point into another tenant.

CREATE TABLE "tenants" (
  "id" TEXT NOT NULL PRIMARY KEY
    CHECK (length("id") = 17 AND substr("id", 1, 3) = 'FP-' AND substr("id", 8, 1) = '-'
           AND substr("id", 4, 4) GLOB '[0-9][0-9][0-9][0-9]'
           AND substr("id", 9) NOT GLOB '*[^ABCDEFGHJKLMNPQRSTUVWXYZ23456789]*'),
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "subdomain" TEXT NOT NULL
    CHECK ("subdomain" = lower("subdomain") AND length("subdomain") BETWEEN 2 AND 63
           AND "subdomain" NOT GLOB '*[^a-z0-9-]*' AND "subdomain" NOT GLOB '-*' AND "subdomain" NOT GLOB '*-'),
  "kind" TEXT NOT NULL DEFAULT 'project' CHECK ("kind" IN ('agency', 'project')),
  "status" TEXT NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'archived')),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_tenants_subdomain" ON "tenants" ("subdomain");

-- bknd's auth entity. strategy_value holds our PBKDF2 hash ("pbkdf2-sha256$iterations$salt$hash"),
-- never bknd's sha256. role is the agency-wide role: 'admin', 'staff' or 'member' (everyone else).
CREATE TABLE "users" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "email" TEXT NOT NULL CHECK ("email" = lower("email") AND length("email") BETWEEN 3 AND 254),
  "strategy" TEXT NOT NULL DEFAULT 'password',
  "strategy_value" TEXT,
  "role" TEXT NOT NULL DEFAULT 'member' CHECK ("role" IN ('admin', 'staff', 'member')),
  "name" TEXT,
  "locale" TEXT NOT NULL DEFAULT 'fr' CHECK ("locale" IN ('fr', 'en')),
  "status" TEXT NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'invited', 'disabled')),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_users_email" ON "users" ("email");
CREATE INDEX "idx_users_strategy" ON "users" ("strategy");
CREATE INDEX "idx_users_strategy_value" ON "users" ("strategy_value");

CREATE TABLE "memberships" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "role" TEXT NOT NULL CHECK ("role" IN ('client', 'project_manager', 'admin')),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_memberships_tenant_id_user_id" ON "memberships" ("tenant_id", "user_id");
CREATE INDEX "idx_memberships_user_id_tenant_id" ON "memberships" ("user_id", "tenant_id");

CREATE TABLE "invitations" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "email" TEXT NOT NULL CHECK ("email" = lower("email")),
  "role" TEXT NOT NULL CHECK ("role" IN ('client', 'project_manager', 'admin')),
  "token_hash" TEXT NOT NULL,
  "invited_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "expires_at" TEXT NOT NULL,
  "accepted_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX "idx_invitations_tenant_id_created_at" ON "invitations" ("tenant_id", "created_at");
CREATE UNIQUE INDEX "idx_unique_invitations_token_hash" ON "invitations" ("token_hash");

CREATE TABLE "clients" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL DEFAULT 'organization' CHECK ("kind" IN ('organization', 'contact')),
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "email" TEXT,
  "phone" TEXT,
  "organization_id" TEXT,
  "notes" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "organization_id") REFERENCES "clients" ("tenant_id", "id")
);
CREATE UNIQUE INDEX "idx_unique_clients_tenant_id_id" ON "clients" ("tenant_id", "id");
CREATE INDEX "idx_clients_tenant_id_name" ON "clients" ("tenant_id", "name");
CREATE INDEX "idx_clients_tenant_id_created_at" ON "clients" ("tenant_id", "created_at");
CREATE INDEX "idx_clients_tenant_id_organization_id" ON "clients" ("tenant_id", "organization_id");

CREATE TABLE "projects" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "client_id" TEXT,
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "description" TEXT,
  "status" TEXT NOT NULL DEFAULT 'planned'
    CHECK ("status" IN ('planned', 'active', 'on_hold', 'completed', 'cancelled')),
  "phase" TEXT NOT NULL DEFAULT 'discovery'
    CHECK ("phase" IN ('discovery', 'design', 'build', 'launch', 'support')),
  "start_date" TEXT,
  "due_date" TEXT,
  "budget_cents" INTEGER CHECK ("budget_cents" IS NULL OR "budget_cents" >= 0),
  "estimate_cents" INTEGER CHECK ("estimate_cents" IS NULL OR "estimate_cents" >= 0),
  "currency" TEXT NOT NULL DEFAULT 'EUR',
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients" ("tenant_id", "id")
);
CREATE UNIQUE INDEX "idx_unique_projects_tenant_id_id" ON "projects" ("tenant_id", "id");
CREATE INDEX "idx_projects_tenant_id_status" ON "projects" ("tenant_id", "status");
CREATE INDEX "idx_projects_tenant_id_created_at" ON "projects" ("tenant_id", "created_at");
CREATE INDEX "idx_projects_tenant_id_client_id" ON "projects" ("tenant_id", "client_id");

CREATE TABLE "tasks" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "project_id" TEXT NOT NULL,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 300),
  "description" TEXT,
  "status" TEXT NOT NULL DEFAULT 'todo' CHECK ("status" IN ('todo', 'in_progress', 'review', 'done')),
  "priority" TEXT NOT NULL DEFAULT 'normal' CHECK ("priority" IN ('low', 'normal', 'high', 'urgent')),
  "assignee_id" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "due_date" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "project_id") REFERENCES "projects" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_tasks_tenant_id_id" ON "tasks" ("tenant_id", "id");
CREATE INDEX "idx_tasks_tenant_id_project_id_status" ON "tasks" ("tenant_id", "project_id", "status");
CREATE INDEX "idx_tasks_tenant_id_status_due_date" ON "tasks" ("tenant_id", "status", "due_date");
CREATE INDEX "idx_tasks_tenant_id_created_at" ON "tasks" ("tenant_id", "created_at");

CREATE TABLE "leads" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "client_id" TEXT,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 300),
  "contact_name" TEXT,
  "email" TEXT,
  "stage" TEXT NOT NULL DEFAULT 'new' CHECK ("stage" IN ('new', 'qualified', 'proposal', 'won', 'lost')),
  "value_cents" INTEGER CHECK ("value_cents" IS NULL OR "value_cents" >= 0),
  "source" TEXT,
  "notes" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients" ("tenant_id", "id")
);
CREATE UNIQUE INDEX "idx_unique_leads_tenant_id_id" ON "leads" ("tenant_id", "id");
CREATE INDEX "idx_leads_tenant_id_stage" ON "leads" ("tenant_id", "stage");
CREATE INDEX "idx_leads_tenant_id_created_at" ON "leads" ("tenant_id", "created_at");
CREATE INDEX "idx_leads_tenant_id_client_id" ON "leads" ("tenant_id", "client_id");

CREATE TABLE "audit_log" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "actor_type" TEXT NOT NULL CHECK ("actor_type" IN ('user', 'token', 'system')),
  "actor_id" TEXT,
  "action" TEXT NOT NULL,
  "entity" TEXT NOT NULL,
  "entity_id" TEXT,
  "data" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX "idx_audit_log_tenant_id_created_at" ON "audit_log" ("tenant_id", "created_at");

-- Failed-login throttling (per account and per IP). Not tenant-owned: keyed by "acct:<email>" / "ip:<addr>".
CREATE TABLE "auth_throttle" (
  "key" TEXT NOT NULL PRIMARY KEY,
  "window_start" INTEGER NOT NULL,
  "failures" INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX "idx_auth_throttle_window_start" ON "auth_throttle" ("window_start");
