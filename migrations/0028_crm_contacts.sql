-- Fataplus schema, part 28: records that connect (docs/decisions/033-crm-records-that-connect.md).
-- A contact is a `clients` row of kind 'contact' whose organization_id is its client (migration 0001); it gains
-- a job title. Leads and projects point at a contact of their own tenant. SQLite cannot add a composite foreign
-- key to an existing table, so the same-tenant rule of the composite keys is kept by triggers here (and by the
-- write path's reference guard before it): a contact_id names a contact of the row's tenant, and deleting the
-- contact unlinks it.
ALTER TABLE "clients" ADD COLUMN "job_title" TEXT CHECK ("job_title" IS NULL OR length("job_title") <= 120);
ALTER TABLE "leads" ADD COLUMN "contact_id" TEXT;
ALTER TABLE "projects" ADD COLUMN "contact_id" TEXT;

CREATE INDEX "idx_leads_tenant_id_contact_id" ON "leads" ("tenant_id", "contact_id");
CREATE INDEX "idx_projects_tenant_id_contact_id" ON "projects" ("tenant_id", "contact_id");

CREATE TRIGGER "trg_leads_contact_insert" BEFORE INSERT ON "leads"
WHEN NEW."contact_id" IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM "clients" c WHERE c."tenant_id" = NEW."tenant_id" AND c."id" = NEW."contact_id" AND c."kind" = 'contact'
)
BEGIN
  SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: contact_id is not a contact of this tenant');
END;

CREATE TRIGGER "trg_leads_contact_update" BEFORE UPDATE OF "contact_id", "tenant_id" ON "leads"
WHEN NEW."contact_id" IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM "clients" c WHERE c."tenant_id" = NEW."tenant_id" AND c."id" = NEW."contact_id" AND c."kind" = 'contact'
)
BEGIN
  SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: contact_id is not a contact of this tenant');
END;

CREATE TRIGGER "trg_projects_contact_insert" BEFORE INSERT ON "projects"
WHEN NEW."contact_id" IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM "clients" c WHERE c."tenant_id" = NEW."tenant_id" AND c."id" = NEW."contact_id" AND c."kind" = 'contact'
)
BEGIN
  SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: contact_id is not a contact of this tenant');
END;

CREATE TRIGGER "trg_projects_contact_update" BEFORE UPDATE OF "contact_id", "tenant_id" ON "projects"
WHEN NEW."contact_id" IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM "clients" c WHERE c."tenant_id" = NEW."tenant_id" AND c."id" = NEW."contact_id" AND c."kind" = 'contact'
)
BEGIN
  SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: contact_id is not a contact of this tenant');
END;

-- A contact that stops being a contact (kind changed, moved) or is deleted is unlinked from leads and projects.
CREATE TRIGGER "trg_clients_contact_unlink_delete" AFTER DELETE ON "clients"
WHEN OLD."kind" = 'contact'
BEGIN
  UPDATE "leads" SET "contact_id" = NULL WHERE "tenant_id" = OLD."tenant_id" AND "contact_id" = OLD."id";
  UPDATE "projects" SET "contact_id" = NULL WHERE "tenant_id" = OLD."tenant_id" AND "contact_id" = OLD."id";
END;

CREATE TRIGGER "trg_clients_contact_unlink_kind" AFTER UPDATE OF "kind" ON "clients"
WHEN OLD."kind" = 'contact' AND NEW."kind" <> 'contact'
BEGIN
  UPDATE "leads" SET "contact_id" = NULL WHERE "tenant_id" = OLD."tenant_id" AND "contact_id" = OLD."id";
  UPDATE "projects" SET "contact_id" = NULL WHERE "tenant_id" = OLD."tenant_id" AND "contact_id" = OLD."id";
END;

-- A project cannot end before it starts, on every path (the data API, bulk updates, the project wizard, bknd's
-- admin); the domain maps this refusal to a 400 on due_date (records/guards.ts). A table CHECK would need the
-- table rebuilt, which the triggers of migration 0010 make costly.
CREATE TRIGGER "trg_projects_dates_insert" BEFORE INSERT ON "projects"
WHEN NEW."start_date" IS NOT NULL AND NEW."due_date" IS NOT NULL AND NEW."due_date" < NEW."start_date"
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: projects_dates_in_order');
END;

CREATE TRIGGER "trg_projects_dates_update" BEFORE UPDATE OF "start_date", "due_date" ON "projects"
WHEN NEW."start_date" IS NOT NULL AND NEW."due_date" IS NOT NULL AND NEW."due_date" < NEW."start_date"
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: projects_dates_in_order');
END;

-- Why a lead was lost: the data API asks for it when a lead moves to "lost" (records/rules.ts); the intake's
-- reject path (intake/lead-actions.ts) writes none yet, so the column stays nullable.
ALTER TABLE "leads" ADD COLUMN "lost_reason" TEXT CHECK ("lost_reason" IS NULL OR length("lost_reason") <= 500);
