-- Agency-wide counters: the agency staff's cross-tenant totals read one row, whatever the number of tenants
-- (docs/decisions/021-agency-counters.md).
--
-- agency_counts (entity, field, value) → n, sum_a, sum_b is the sum of record_counts (0010) over the ACTIVE
-- tenants, for the fields that are not per-record ids: every entity's total (field ''), clients by kind,
-- projects by status, phase and currency (with the budget and estimate sums), tasks by status, leads by stage
-- (with the value sum). record_counts' client_id, lead_id, project_id and project_status rows name one tenant's
-- records: summing them across tenants means nothing, so they are left out.
--
-- Triggers keep it, in the statement of every write, like the counters they sum:
--  - on record_counts (whatever moved it: the record triggers, a repair): the row's change, when its tenant is
--    active;
--  - on tenants: a status that becomes or stops being 'active' adds or subtracts the tenant's record_counts;
--    deleting an active tenant subtracts them BEFORE the row goes. Its record_counts then cascade, but SQLite
--    runs the cascade after deleting the tenant's row, so the record_counts triggers no longer find an active
--    tenant and subtract nothing more (counters.worker.test.ts deletes an active tenant and recounts).
-- The table is filled from record_counts at the end of this file. `pnpm counters:repair` recomputes it.
CREATE TABLE "agency_counts" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "entity" TEXT NOT NULL CHECK ("entity" IN ('clients', 'projects', 'tasks', 'leads', 'notes')),
  "field" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "n" INTEGER NOT NULL DEFAULT 0,
  "sum_a" INTEGER NOT NULL DEFAULT 0,
  "sum_b" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "idx_unique_agency_counts_entity_field_value" ON "agency_counts" ("entity", "field", "value");

-- A new counter row of an active tenant (an upsert that finds its row is an UPDATE, below).
CREATE TRIGGER "agency_counts_insert" AFTER INSERT ON "record_counts"
  WHEN NEW."field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
    AND EXISTS (SELECT 1 FROM "tenants" WHERE "id" = NEW."tenant_id" AND "status" = 'active') BEGIN
  INSERT INTO "agency_counts" ("entity", "field", "value", "n", "sum_a", "sum_b")
    VALUES (NEW."entity", NEW."field", NEW."value", NEW."n", NEW."sum_a", NEW."sum_b")
  ON CONFLICT ("entity", "field", "value") DO UPDATE
    SET "n" = "n" + excluded."n", "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
END;
-- A counter that moved (the usual case: same tenant and key): its difference.
CREATE TRIGGER "agency_counts_update" AFTER UPDATE ON "record_counts"
  WHEN OLD."tenant_id" IS NEW."tenant_id" AND OLD."entity" IS NEW."entity" AND OLD."field" IS NEW."field"
    AND OLD."value" IS NEW."value" AND NEW."field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
    AND EXISTS (SELECT 1 FROM "tenants" WHERE "id" = NEW."tenant_id" AND "status" = 'active') BEGIN
  INSERT INTO "agency_counts" ("entity", "field", "value", "n", "sum_a", "sum_b")
    VALUES (NEW."entity", NEW."field", NEW."value", NEW."n" - OLD."n", NEW."sum_a" - OLD."sum_a", NEW."sum_b" - OLD."sum_b")
  ON CONFLICT ("entity", "field", "value") DO UPDATE
    SET "n" = "n" + excluded."n", "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
END;
-- A counter row given another tenant or key (nothing does it today): the old row out, the new one in.
CREATE TRIGGER "agency_counts_rekey" AFTER UPDATE ON "record_counts"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."entity" IS NOT NEW."entity" OR OLD."field" IS NOT NEW."field"
    OR OLD."value" IS NOT NEW."value" BEGIN
  UPDATE "agency_counts" SET "n" = "n" - OLD."n", "sum_a" = "sum_a" - OLD."sum_a", "sum_b" = "sum_b" - OLD."sum_b"
    WHERE "entity" = OLD."entity" AND "field" = OLD."field" AND "value" = OLD."value"
      AND OLD."field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
      AND EXISTS (SELECT 1 FROM "tenants" WHERE "id" = OLD."tenant_id" AND "status" = 'active');
  INSERT INTO "agency_counts" ("entity", "field", "value", "n", "sum_a", "sum_b")
    SELECT NEW."entity", NEW."field", NEW."value", NEW."n", NEW."sum_a", NEW."sum_b"
    WHERE NEW."field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
      AND EXISTS (SELECT 1 FROM "tenants" WHERE "id" = NEW."tenant_id" AND "status" = 'active')
  ON CONFLICT ("entity", "field", "value") DO UPDATE
    SET "n" = "n" + excluded."n", "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
END;
-- A counter row gone (a repair; a tenant's cascade, when its tenant row is already gone: nothing).
CREATE TRIGGER "agency_counts_delete" AFTER DELETE ON "record_counts"
  WHEN OLD."field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
    AND EXISTS (SELECT 1 FROM "tenants" WHERE "id" = OLD."tenant_id" AND "status" = 'active') BEGIN
  UPDATE "agency_counts" SET "n" = "n" - OLD."n", "sum_a" = "sum_a" - OLD."sum_a", "sum_b" = "sum_b" - OLD."sum_b"
    WHERE "entity" = OLD."entity" AND "field" = OLD."field" AND "value" = OLD."value";
END;

-- A tenant that becomes active adds its counters; one that stops being active subtracts them.
CREATE TRIGGER "agency_counts_tenant_status" AFTER UPDATE OF "status" ON "tenants"
  WHEN (OLD."status" = 'active') IS NOT (NEW."status" = 'active') BEGIN
  INSERT INTO "agency_counts" ("entity", "field", "value", "n", "sum_a", "sum_b")
    SELECT "entity", "field", "value", s * "n", s * "sum_a", s * "sum_b"
    FROM (SELECT CASE WHEN NEW."status" = 'active' THEN 1 ELSE -1 END AS s) CROSS JOIN "record_counts"
    WHERE "tenant_id" = NEW."id" AND "field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
  ON CONFLICT ("entity", "field", "value") DO UPDATE
    SET "n" = "n" + excluded."n", "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
END;
-- An active tenant deleted: its counters out, before its row (and then, by cascade, its counters) go.
CREATE TRIGGER "agency_counts_tenant_delete" BEFORE DELETE ON "tenants" WHEN OLD."status" = 'active' BEGIN
  INSERT INTO "agency_counts" ("entity", "field", "value", "n", "sum_a", "sum_b")
    SELECT "entity", "field", "value", -"n", -"sum_a", -"sum_b" FROM "record_counts"
    WHERE "tenant_id" = OLD."id" AND "field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
  ON CONFLICT ("entity", "field", "value") DO UPDATE
    SET "n" = "n" + excluded."n", "sum_a" = "sum_a" + excluded."sum_a", "sum_b" = "sum_b" + excluded."sum_b";
END;

-- From the counters that exist.
INSERT INTO "agency_counts" ("entity", "field", "value", "n", "sum_a", "sum_b")
  SELECT "entity", "field", "value", sum("n"), sum("sum_a"), sum("sum_b") FROM "record_counts"
  WHERE "field" IN ('', 'kind', 'status', 'phase', 'currency', 'stage')
    AND "tenant_id" IN (SELECT "id" FROM "tenants" WHERE "status" = 'active')
  GROUP BY "entity", "field", "value";
