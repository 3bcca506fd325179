-- Fataplus schema, part 7: the smart intake (docs/decisions/009-intake-analysis-and-proposals.md).
--
-- A submitted intake provisions, in one D1 batch: a lead in the agency workspace, a project tenant in the
-- `intake` stage with its client organisation, project, default phases, a project manager (round-robin among
-- staff) and the submitter's client membership and invitation. The proposal drafted from the analysis lives in
-- the project tenant, so the client reads it in their portal.

-- Where a tenant is in its life. `status` (active / archived) still decides whether the subdomain resolves;
-- `stage` says whether the tenant came from an intake that nobody has accepted yet. SQLite cannot change the
-- CHECK of `status` without rebuilding `tenants`, and on D1 (foreign keys always on) dropping the old table
-- would cascade-delete every tenant's rows: hence a second column.
ALTER TABLE "tenants" ADD COLUMN "stage" TEXT NOT NULL DEFAULT 'live' CHECK ("stage" IN ('intake', 'live'));

-- One row per submitted intake, owned by the agency workspace (tenant_id = the agency tenant), next to its lead.
-- `answers` is the validated form (JSON), `analysis` the analyser's output (JSON); `analyser` names what produced
-- it and `analyser_note` why a fallback happened, if one did. The idempotency key makes a resubmission a no-op.
CREATE TABLE "intakes" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "lead_id" TEXT NOT NULL,
  "project_tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "idempotency_key" TEXT NOT NULL CHECK (length("idempotency_key") BETWEEN 16 AND 100),
  "payload_hash" TEXT NOT NULL CHECK (length("payload_hash") = 64),
  "locale" TEXT NOT NULL CHECK ("locale" IN ('fr', 'en')),
  "email" TEXT NOT NULL CHECK ("email" = lower("email")),
  "answers" TEXT NOT NULL CHECK (json_valid("answers")),
  "analysis" TEXT NOT NULL CHECK (json_valid("analysis")),
  "analyser" TEXT NOT NULL,
  "analyser_note" TEXT,
  "pm_user_id" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "decided_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "leads" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_intakes_tenant_id_idempotency_key" ON "intakes" ("tenant_id", "idempotency_key");
CREATE UNIQUE INDEX "idx_unique_intakes_tenant_id_lead_id" ON "intakes" ("tenant_id", "lead_id");
CREATE INDEX "idx_intakes_tenant_id_pm_user_id_created_at" ON "intakes" ("tenant_id", "pm_user_id", "created_at");
CREATE INDEX "idx_intakes_project_tenant_id" ON "intakes" ("project_tenant_id");

-- The default phases of a project (from the analysis' suggested phases), in order.
CREATE TABLE "project_phases" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "project_id" TEXT NOT NULL,
  "position" INTEGER NOT NULL CHECK ("position" BETWEEN 0 AND 50),
  "phase" TEXT NOT NULL CHECK ("phase" IN ('discovery', 'design', 'build', 'launch', 'support')),
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "effort_days" INTEGER CHECK ("effort_days" IS NULL OR "effort_days" >= 0),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "project_id") REFERENCES "projects" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_project_phases_tenant_id_project_id_position"
  ON "project_phases" ("tenant_id", "project_id", "position");

-- The proposal of a project: drafted from the analysis, edited and sent by staff, accepted (or sent back with a
-- note) by the client. Line items and assumptions are JSON validated by packages/domain/src/intake/proposal.ts.
CREATE TABLE "proposals" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "project_id" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'draft'
    CHECK ("status" IN ('draft', 'sent', 'accepted', 'changes_requested')),
  "locale" TEXT NOT NULL DEFAULT 'fr' CHECK ("locale" IN ('fr', 'en')),
  "currency" TEXT NOT NULL DEFAULT 'EUR',
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 300),
  "summary" TEXT,
  "items" TEXT NOT NULL CHECK (json_valid("items") AND json_type("items") = 'array'),
  "assumptions" TEXT NOT NULL CHECK (json_valid("assumptions") AND json_type("assumptions") = 'array'),
  "total_cents" INTEGER NOT NULL CHECK ("total_cents" >= 0),
  "valid_until" TEXT NOT NULL,
  "client_note" TEXT,
  "version" INTEGER NOT NULL DEFAULT 1,
  "sent_at" TEXT,
  "responded_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "project_id") REFERENCES "projects" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_proposals_tenant_id_project_id" ON "proposals" ("tenant_id", "project_id");
