-- Counters that keep reads flat as a tenant grows (docs/decisions/015-read-counters.md).
--
-- Triggers keep them: every INSERT, UPDATE and DELETE of clients, projects, tasks, leads and notes moves its
-- counters inside the same statement, so whatever path writes (the domain's verbs, a bulk write, a cascade,
-- bknd's /admin, a seed) the counters cannot drift, and a batch that fails rolls them back with it.
-- Decrements are plain UPDATEs (a counter row that is gone stays gone: a tenant being deleted cascades its
-- counters first), increments are upserts. `pnpm counters:repair` recomputes everything from the rows.

-- Rows per tenant and entity (field '' and value ''), and per (field, value) for the fields lists filter on.
-- sum_a / sum_b: leads by stage: value_cents / 0; projects by currency: budget_cents / estimate_cents.
CREATE TABLE "record_counts" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "entity" TEXT NOT NULL CHECK ("entity" IN ('clients', 'projects', 'tasks', 'leads', 'notes')),
  "field" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "n" INTEGER NOT NULL DEFAULT 0,
  "sum_a" INTEGER NOT NULL DEFAULT 0,
  "sum_b" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "idx_unique_record_counts_tenant_id_entity_field_value"
  ON "record_counts" ("tenant_id", "entity", "field", "value");

-- Open tasks (status <> 'done') with a due date, per tenant, project ('' = all the tenant's projects) and due
-- date. due_date '' holds every open task due before the roll-up's day (counter_rollup), so that "overdue"
-- reads one row plus the days since the last roll-up, not one row per past day.
CREATE TABLE "task_due_counts" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "project_id" TEXT NOT NULL,
  "due_date" TEXT NOT NULL,
  "n" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "idx_unique_task_due_counts_tenant_id_project_id_due_date"
  ON "task_due_counts" ("tenant_id", "project_id", "due_date");
CREATE INDEX "idx_task_due_counts_due_date" ON "task_due_counts" ("due_date"); -- the roll-up's own range

-- One row per project: whether it is open (planned, active, on hold) and its last activity (the latest write to
-- the project or one of its tasks, a task's deletion included), so that dashboards order by it with an index.
CREATE TABLE "project_stats" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "project_id" TEXT NOT NULL,
  "is_open" INTEGER NOT NULL CHECK ("is_open" IN (0, 1)),
  "last_activity" TEXT NOT NULL,
  FOREIGN KEY ("tenant_id", "project_id") REFERENCES "projects" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_project_stats_tenant_id_project_id" ON "project_stats" ("tenant_id", "project_id");
CREATE INDEX "idx_project_stats_tenant_id_is_open_last_activity"
  ON "project_stats" ("tenant_id", "is_open", "last_activity");
CREATE INDEX "idx_project_stats_is_open_last_activity" ON "project_stats" ("is_open", "last_activity");

-- The day before which task_due_counts keeps one '' row per project (global: one row).
CREATE TABLE "counter_rollup" (
  "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
  "rolled_before" TEXT NOT NULL
);
INSERT INTO "counter_rollup" ("id", "rolled_before") VALUES (1, '');

-- clients: total, by kind
CREATE TRIGGER "counters_clients_insert" AFTER INSERT ON "clients" BEGIN
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n") VALUES
    (NEW."tenant_id", 'clients', '', '', 1), (NEW."tenant_id", 'clients', 'kind', NEW."kind", 1)
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "counters_clients_delete" AFTER DELETE ON "clients" BEGIN
  UPDATE "record_counts" SET "n" = "n" - 1 WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'clients'
    AND (("field" = '' AND "value" = '') OR ("field" = 'kind' AND "value" = OLD."kind"));
END;
CREATE TRIGGER "counters_clients_update" AFTER UPDATE OF "tenant_id", "kind" ON "clients"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."kind" IS NOT NEW."kind" BEGIN
  UPDATE "record_counts" SET "n" = "n" - 1 WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'clients'
    AND (("field" = '' AND "value" = '') OR ("field" = 'kind' AND "value" = OLD."kind"));
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n") VALUES
    (NEW."tenant_id", 'clients', '', '', 1), (NEW."tenant_id", 'clients', 'kind', NEW."kind", 1)
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;

-- projects: total, by status, phase, client, and currency (with budget and estimate sums); project_stats
CREATE TRIGGER "counters_projects_insert" AFTER INSERT ON "projects" BEGIN
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n", "sum_a", "sum_b")
    SELECT NEW."tenant_id", 'projects', f, v, 1, a, b FROM (
      SELECT '' AS f, '' AS v, 0 AS a, 0 AS b
      UNION ALL SELECT 'status', NEW."status", 0, 0
      UNION ALL SELECT 'phase', NEW."phase", 0, 0
      UNION ALL SELECT 'client_id', NEW."client_id", 0, 0 WHERE NEW."client_id" IS NOT NULL
      UNION ALL SELECT 'currency', NEW."currency", coalesce(NEW."budget_cents", 0), coalesce(NEW."estimate_cents", 0))
    WHERE true
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE
    SET "n" = "n" + 1, "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
  INSERT INTO "project_stats" ("tenant_id", "project_id", "is_open", "last_activity")
    VALUES (NEW."tenant_id", NEW."id", NEW."status" IN ('planned', 'active', 'on_hold'), NEW."updated_at");
END;
CREATE TRIGGER "counters_projects_delete" AFTER DELETE ON "projects" BEGIN
  UPDATE "record_counts"
    SET "n" = "n" - 1,
        "sum_a" = "sum_a" - CASE "field" WHEN 'currency' THEN coalesce(OLD."budget_cents", 0) ELSE 0 END,
        "sum_b" = "sum_b" - CASE "field" WHEN 'currency' THEN coalesce(OLD."estimate_cents", 0) ELSE 0 END
    WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'projects'
      AND (("field" = '' AND "value" = '') OR ("field" = 'status' AND "value" = OLD."status")
        OR ("field" = 'phase' AND "value" = OLD."phase") OR ("field" = 'client_id' AND "value" = OLD."client_id")
        OR ("field" = 'currency' AND "value" = OLD."currency"));
END;
CREATE TRIGGER "counters_projects_update" AFTER UPDATE OF "tenant_id", "status", "phase", "client_id", "currency", "budget_cents", "estimate_cents" ON "projects"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."status" IS NOT NEW."status" OR OLD."phase" IS NOT NEW."phase"
    OR OLD."client_id" IS NOT NEW."client_id" OR OLD."currency" IS NOT NEW."currency"
    OR OLD."budget_cents" IS NOT NEW."budget_cents" OR OLD."estimate_cents" IS NOT NEW."estimate_cents" BEGIN
  UPDATE "record_counts"
    SET "n" = "n" - 1,
        "sum_a" = "sum_a" - CASE "field" WHEN 'currency' THEN coalesce(OLD."budget_cents", 0) ELSE 0 END,
        "sum_b" = "sum_b" - CASE "field" WHEN 'currency' THEN coalesce(OLD."estimate_cents", 0) ELSE 0 END
    WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'projects'
      AND (("field" = '' AND "value" = '') OR ("field" = 'status' AND "value" = OLD."status")
        OR ("field" = 'phase' AND "value" = OLD."phase") OR ("field" = 'client_id' AND "value" = OLD."client_id")
        OR ("field" = 'currency' AND "value" = OLD."currency"));
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n", "sum_a", "sum_b")
    SELECT NEW."tenant_id", 'projects', f, v, 1, a, b FROM (
      SELECT '' AS f, '' AS v, 0 AS a, 0 AS b
      UNION ALL SELECT 'status', NEW."status", 0, 0
      UNION ALL SELECT 'phase', NEW."phase", 0, 0
      UNION ALL SELECT 'client_id', NEW."client_id", 0, 0 WHERE NEW."client_id" IS NOT NULL
      UNION ALL SELECT 'currency', NEW."currency", coalesce(NEW."budget_cents", 0), coalesce(NEW."estimate_cents", 0))
    WHERE true
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE
    SET "n" = "n" + 1, "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
END;
CREATE TRIGGER "counters_projects_stats" AFTER UPDATE ON "projects" BEGIN
  UPDATE "project_stats"
    SET "is_open" = NEW."status" IN ('planned', 'active', 'on_hold'),
        "last_activity" = max("last_activity", NEW."updated_at")
    WHERE "tenant_id" = NEW."tenant_id" AND "project_id" = NEW."id";
END;

-- tasks: total, by status, by project, by project and status; open tasks by due date; project activity
CREATE TRIGGER "counters_tasks_insert" AFTER INSERT ON "tasks" BEGIN
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n") VALUES
    (NEW."tenant_id", 'tasks', '', '', 1),
    (NEW."tenant_id", 'tasks', 'status', NEW."status", 1),
    (NEW."tenant_id", 'tasks', 'project_id', NEW."project_id", 1),
    (NEW."tenant_id", 'tasks', 'project_status', NEW."project_id" || '|' || NEW."status", 1)
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "task_due_counts" ("tenant_id", "project_id", "due_date", "n")
    SELECT NEW."tenant_id", p.id,
      CASE WHEN NEW."due_date" < (SELECT "rolled_before" FROM "counter_rollup" WHERE "id" = 1) THEN '' ELSE NEW."due_date" END, 1
    FROM (SELECT NEW."project_id" AS id UNION ALL SELECT '') AS p
    WHERE NEW."status" <> 'done' AND NEW."due_date" IS NOT NULL
  ON CONFLICT ("tenant_id", "project_id", "due_date") DO UPDATE SET "n" = "n" + 1;
  UPDATE "project_stats" SET "last_activity" = max("last_activity", NEW."updated_at")
    WHERE "tenant_id" = NEW."tenant_id" AND "project_id" = NEW."project_id";
END;
CREATE TRIGGER "counters_tasks_delete" AFTER DELETE ON "tasks" BEGIN
  UPDATE "record_counts" SET "n" = "n" - 1 WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'tasks'
    AND (("field" = '' AND "value" = '') OR ("field" = 'status' AND "value" = OLD."status")
      OR ("field" = 'project_id' AND "value" = OLD."project_id")
      OR ("field" = 'project_status' AND "value" = OLD."project_id" || '|' || OLD."status"));
  UPDATE "task_due_counts" SET "n" = "n" - 1
    WHERE OLD."status" <> 'done' AND OLD."due_date" IS NOT NULL
      AND "tenant_id" = OLD."tenant_id" AND "project_id" IN (OLD."project_id", '')
      AND "due_date" = CASE WHEN OLD."due_date" < (SELECT "rolled_before" FROM "counter_rollup" WHERE "id" = 1) THEN '' ELSE OLD."due_date" END;
  UPDATE "project_stats" SET "last_activity" = max("last_activity", strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    WHERE "tenant_id" = OLD."tenant_id" AND "project_id" = OLD."project_id";
END;
CREATE TRIGGER "counters_tasks_update" AFTER UPDATE OF "tenant_id", "project_id", "status", "due_date" ON "tasks"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."project_id" IS NOT NEW."project_id"
    OR OLD."status" IS NOT NEW."status" OR OLD."due_date" IS NOT NEW."due_date" BEGIN
  UPDATE "record_counts" SET "n" = "n" - 1 WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'tasks'
    AND (("field" = '' AND "value" = '') OR ("field" = 'status' AND "value" = OLD."status")
      OR ("field" = 'project_id' AND "value" = OLD."project_id")
      OR ("field" = 'project_status' AND "value" = OLD."project_id" || '|' || OLD."status"));
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n") VALUES
    (NEW."tenant_id", 'tasks', '', '', 1),
    (NEW."tenant_id", 'tasks', 'status', NEW."status", 1),
    (NEW."tenant_id", 'tasks', 'project_id', NEW."project_id", 1),
    (NEW."tenant_id", 'tasks', 'project_status', NEW."project_id" || '|' || NEW."status", 1)
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE SET "n" = "n" + 1;
  UPDATE "task_due_counts" SET "n" = "n" - 1
    WHERE OLD."status" <> 'done' AND OLD."due_date" IS NOT NULL
      AND "tenant_id" = OLD."tenant_id" AND "project_id" IN (OLD."project_id", '')
      AND "due_date" = CASE WHEN OLD."due_date" < (SELECT "rolled_before" FROM "counter_rollup" WHERE "id" = 1) THEN '' ELSE OLD."due_date" END;
  INSERT INTO "task_due_counts" ("tenant_id", "project_id", "due_date", "n")
    SELECT NEW."tenant_id", p.id,
      CASE WHEN NEW."due_date" < (SELECT "rolled_before" FROM "counter_rollup" WHERE "id" = 1) THEN '' ELSE NEW."due_date" END, 1
    FROM (SELECT NEW."project_id" AS id UNION ALL SELECT '') AS p
    WHERE NEW."status" <> 'done' AND NEW."due_date" IS NOT NULL
  ON CONFLICT ("tenant_id", "project_id", "due_date") DO UPDATE SET "n" = "n" + 1;
  UPDATE "project_stats" SET "last_activity" = max("last_activity", strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    WHERE "tenant_id" = OLD."tenant_id" AND "project_id" = OLD."project_id" AND OLD."project_id" IS NOT NEW."project_id";
END;
CREATE TRIGGER "counters_tasks_activity" AFTER UPDATE ON "tasks" BEGIN
  UPDATE "project_stats" SET "last_activity" = max("last_activity", NEW."updated_at")
    WHERE "tenant_id" = NEW."tenant_id" AND "project_id" = NEW."project_id";
END;

-- leads: total, by stage (with the value's sum), by client
CREATE TRIGGER "counters_leads_insert" AFTER INSERT ON "leads" BEGIN
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n", "sum_a")
    SELECT NEW."tenant_id", 'leads', f, v, 1, a FROM (
      SELECT '' AS f, '' AS v, 0 AS a
      UNION ALL SELECT 'stage', NEW."stage", coalesce(NEW."value_cents", 0)
      UNION ALL SELECT 'client_id', NEW."client_id", 0 WHERE NEW."client_id" IS NOT NULL)
    WHERE true
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE
    SET "n" = "n" + 1, "sum_a" = "sum_a" + excluded."sum_a";
END;
CREATE TRIGGER "counters_leads_delete" AFTER DELETE ON "leads" BEGIN
  UPDATE "record_counts"
    SET "n" = "n" - 1, "sum_a" = "sum_a" - CASE "field" WHEN 'stage' THEN coalesce(OLD."value_cents", 0) ELSE 0 END
    WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'leads'
      AND (("field" = '' AND "value" = '') OR ("field" = 'stage' AND "value" = OLD."stage")
        OR ("field" = 'client_id' AND "value" = OLD."client_id"));
END;
CREATE TRIGGER "counters_leads_update" AFTER UPDATE OF "tenant_id", "stage", "value_cents", "client_id" ON "leads"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."stage" IS NOT NEW."stage"
    OR OLD."value_cents" IS NOT NEW."value_cents" OR OLD."client_id" IS NOT NEW."client_id" BEGIN
  UPDATE "record_counts"
    SET "n" = "n" - 1, "sum_a" = "sum_a" - CASE "field" WHEN 'stage' THEN coalesce(OLD."value_cents", 0) ELSE 0 END
    WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'leads'
      AND (("field" = '' AND "value" = '') OR ("field" = 'stage' AND "value" = OLD."stage")
        OR ("field" = 'client_id' AND "value" = OLD."client_id"));
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n", "sum_a")
    SELECT NEW."tenant_id", 'leads', f, v, 1, a FROM (
      SELECT '' AS f, '' AS v, 0 AS a
      UNION ALL SELECT 'stage', NEW."stage", coalesce(NEW."value_cents", 0)
      UNION ALL SELECT 'client_id', NEW."client_id", 0 WHERE NEW."client_id" IS NOT NULL)
    WHERE true
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE
    SET "n" = "n" + 1, "sum_a" = "sum_a" + excluded."sum_a";
END;

-- notes: total, by client, by lead
CREATE TRIGGER "counters_notes_insert" AFTER INSERT ON "notes" BEGIN
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n")
    SELECT NEW."tenant_id", 'notes', f, v, 1 FROM (
      SELECT '' AS f, '' AS v
      UNION ALL SELECT 'client_id', NEW."client_id" WHERE NEW."client_id" IS NOT NULL
      UNION ALL SELECT 'lead_id', NEW."lead_id" WHERE NEW."lead_id" IS NOT NULL)
    WHERE true
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "counters_notes_delete" AFTER DELETE ON "notes" BEGIN
  UPDATE "record_counts" SET "n" = "n" - 1 WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'notes'
    AND (("field" = '' AND "value" = '') OR ("field" = 'client_id' AND "value" = OLD."client_id")
      OR ("field" = 'lead_id' AND "value" = OLD."lead_id"));
END;
CREATE TRIGGER "counters_notes_update" AFTER UPDATE OF "tenant_id", "client_id", "lead_id" ON "notes"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."client_id" IS NOT NEW."client_id"
    OR OLD."lead_id" IS NOT NEW."lead_id" BEGIN
  UPDATE "record_counts" SET "n" = "n" - 1 WHERE "tenant_id" = OLD."tenant_id" AND "entity" = 'notes'
    AND (("field" = '' AND "value" = '') OR ("field" = 'client_id' AND "value" = OLD."client_id")
      OR ("field" = 'lead_id' AND "value" = OLD."lead_id"));
  INSERT INTO "record_counts" ("tenant_id", "entity", "field", "value", "n")
    SELECT NEW."tenant_id", 'notes', f, v, 1 FROM (
      SELECT '' AS f, '' AS v
      UNION ALL SELECT 'client_id', NEW."client_id" WHERE NEW."client_id" IS NOT NULL
      UNION ALL SELECT 'lead_id', NEW."lead_id" WHERE NEW."lead_id" IS NOT NULL)
    WHERE true
  ON CONFLICT ("tenant_id", "entity", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;

-- The CRM's cross-tenant lists read a page whatever the tenants hold (packages/domain/src/crm/lists.ts):
-- a few tenants read one by one on (tenant_id, sort column), a default sort with one filter on
-- (tenant_id, filter, sort column), and agency staff's view of every tenant walks one index per sort column
-- (the list names it with INDEXED BY, so a missing index fails loudly instead of sorting every row).
CREATE INDEX "idx_clients_tenant_id_updated_at" ON "clients" ("tenant_id", "updated_at");
CREATE INDEX "idx_clients_tenant_id_kind_name" ON "clients" ("tenant_id", "kind", "name");
CREATE INDEX "idx_clients_name" ON "clients" ("name");
CREATE INDEX "idx_clients_created_at" ON "clients" ("created_at");
CREATE INDEX "idx_clients_updated_at" ON "clients" ("updated_at");
DROP INDEX "idx_leads_tenant_id_stage";
CREATE INDEX "idx_leads_tenant_id_stage_created_at" ON "leads" ("tenant_id", "stage", "created_at");
CREATE INDEX "idx_leads_tenant_id_title" ON "leads" ("tenant_id", "title");
CREATE INDEX "idx_leads_tenant_id_updated_at" ON "leads" ("tenant_id", "updated_at");
CREATE INDEX "idx_leads_tenant_id_value_cents" ON "leads" ("tenant_id", "value_cents");
CREATE INDEX "idx_leads_title" ON "leads" ("title");
CREATE INDEX "idx_leads_created_at" ON "leads" ("created_at");
CREATE INDEX "idx_leads_updated_at" ON "leads" ("updated_at");
CREATE INDEX "idx_leads_value_cents" ON "leads" ("value_cents");
CREATE INDEX "idx_leads_stage" ON "leads" ("stage");
DROP INDEX "idx_projects_tenant_id_status";
CREATE INDEX "idx_projects_tenant_id_status_name" ON "projects" ("tenant_id", "status", "name");
CREATE INDEX "idx_projects_tenant_id_phase_name" ON "projects" ("tenant_id", "phase", "name");
CREATE INDEX "idx_projects_tenant_id_name" ON "projects" ("tenant_id", "name");
CREATE INDEX "idx_projects_tenant_id_due_date" ON "projects" ("tenant_id", "due_date");
CREATE INDEX "idx_projects_name" ON "projects" ("name");
CREATE INDEX "idx_projects_created_at" ON "projects" ("created_at");
CREATE INDEX "idx_projects_due_date" ON "projects" ("due_date");
CREATE INDEX "idx_projects_status" ON "projects" ("status");

-- The portal's activity reads each portal entity's latest audit rows (packages/domain/src/portal/activity.ts).
CREATE INDEX "idx_audit_log_tenant_id_entity_created_at" ON "audit_log" ("tenant_id", "entity", "created_at");
