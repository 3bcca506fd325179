-- The bootcamp's reads stay flat as the bootcamp grows (docs/decisions/015-read-counters.md, "Bootcamp").
--
-- Counters kept by triggers like 0010's, in one derived table: every INSERT, UPDATE and DELETE of the bootcamp's
-- tables moves its counters inside the same statement, whatever path writes (the domain's verbs, a cascade, a
-- bulk seed, bknd's /admin), and a batch that fails rolls them back with it. Decrements are plain UPDATEs (a
-- tenant being deleted may cascade its counters first), increments are upserts. The table is filled from the
-- rows at the end of this file, so a database that existed before this migration needs no repair;
-- `pnpm counters:repair` recomputes it like the others (packages/domain/src/counters/index.ts).
--
-- bootcamp_counts (tenant_id, field, value) → n, sum_a:
--   course_modules, course_lessons, course_assignments, course_cohorts  (value: the course's id)
--   course_learners   active and completed enrolments of the course's cohorts (value: the course's id)
--   cohort_learners   active and completed enrolments of the cohort (value: the cohort's id)
--   cohort_seats      the cohort's seats taken: invited, active and completed enrolments (value: the cohort's id)
--   enrolment_status  enrolments by status (value: the status)
--   enrolment_lessons_done  progress rows of the enrolment (value: the enrolment's id)
--   enrolment_released      released submissions of the enrolment (value: the enrolment's id)
--   submissions_awaiting    submissions not marked or in review and not open for a new attempt (value '')
--   review_ms         released submissions with both dates (value ''): n, and sum_a = the milliseconds from
--                     submission to release, summed (the mean review time of the staff's figures)
--   certificates_valid      certificates not revoked (value '')
CREATE TABLE "bootcamp_counts" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "field" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "n" INTEGER NOT NULL DEFAULT 0,
  "sum_a" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_counts_tenant_id_field_value"
  ON "bootcamp_counts" ("tenant_id", "field", "value");

-- modules, lessons, assignments per course
CREATE TRIGGER "bootcamp_counts_modules_insert" AFTER INSERT ON "bootcamp_modules" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_modules', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_modules_delete" AFTER DELETE ON "bootcamp_modules" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_modules' AND "value" = OLD."course_id";
END;
CREATE TRIGGER "bootcamp_counts_modules_update" AFTER UPDATE OF "tenant_id", "course_id" ON "bootcamp_modules"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."course_id" IS NOT NEW."course_id" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_modules' AND "value" = OLD."course_id";
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_modules', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_lessons_insert" AFTER INSERT ON "bootcamp_lessons" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_lessons', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_lessons_delete" AFTER DELETE ON "bootcamp_lessons" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_lessons' AND "value" = OLD."course_id";
END;
CREATE TRIGGER "bootcamp_counts_lessons_update" AFTER UPDATE OF "tenant_id", "course_id" ON "bootcamp_lessons"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."course_id" IS NOT NEW."course_id" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_lessons' AND "value" = OLD."course_id";
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_lessons', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_assignments_insert" AFTER INSERT ON "bootcamp_assignments" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_assignments', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_assignments_delete" AFTER DELETE ON "bootcamp_assignments" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_assignments' AND "value" = OLD."course_id";
END;
CREATE TRIGGER "bootcamp_counts_assignments_update" AFTER UPDATE OF "tenant_id", "course_id" ON "bootcamp_assignments"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."course_id" IS NOT NEW."course_id" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_assignments' AND "value" = OLD."course_id";
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_assignments', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;

-- cohorts per course. A cohort that moves to another course takes its learners with it. Deleting a cohort takes
-- its learners off its course BEFORE the row goes: the enrolments its deletion cascades to find no cohort any more
-- (SQLite runs the cascade after removing the parent row), so they cannot do it themselves.
CREATE TRIGGER "bootcamp_counts_cohorts_insert" AFTER INSERT ON "bootcamp_cohorts" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'course_cohorts', NEW."course_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_cohorts_before_delete" BEFORE DELETE ON "bootcamp_cohorts" BEGIN
  UPDATE "bootcamp_counts"
    SET "n" = "n" - coalesce((SELECT k."n" FROM "bootcamp_counts" k WHERE k."tenant_id" = OLD."tenant_id"
      AND k."field" = 'cohort_learners' AND k."value" = OLD."id"), 0)
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_learners' AND "value" = OLD."course_id";
END;
CREATE TRIGGER "bootcamp_counts_cohorts_delete" AFTER DELETE ON "bootcamp_cohorts" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_cohorts' AND "value" = OLD."course_id";
END;
CREATE TRIGGER "bootcamp_counts_cohorts_update" AFTER UPDATE OF "tenant_id", "course_id" ON "bootcamp_cohorts"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."course_id" IS NOT NEW."course_id" BEGIN
  UPDATE "bootcamp_counts"
    SET "n" = "n" - CASE "field" WHEN 'course_cohorts' THEN 1
      ELSE coalesce((SELECT k."n" FROM "bootcamp_counts" k WHERE k."tenant_id" = OLD."tenant_id"
        AND k."field" = 'cohort_learners' AND k."value" = OLD."id"), 0) END
    WHERE "tenant_id" = OLD."tenant_id" AND "field" IN ('course_cohorts', 'course_learners') AND "value" = OLD."course_id";
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
    SELECT NEW."tenant_id", f, NEW."course_id", n FROM (
      SELECT 'course_cohorts' AS f, 1 AS n
      UNION ALL SELECT 'course_learners', coalesce((SELECT k."n" FROM "bootcamp_counts" k WHERE k."tenant_id" = OLD."tenant_id"
        AND k."field" = 'cohort_learners' AND k."value" = OLD."id"), 0))
    WHERE true
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + excluded."n";
END;

-- enrolments: by status; seats taken (invited, active, completed) per cohort; learners (active, completed) per
-- cohort and per course
CREATE TRIGGER "bootcamp_counts_enrolments_insert" AFTER INSERT ON "bootcamp_enrolments" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
    SELECT NEW."tenant_id", f, v, 1 FROM (
      SELECT 'enrolment_status' AS f, NEW."status" AS v
      UNION ALL SELECT 'cohort_learners', NEW."cohort_id" WHERE NEW."status" IN ('active', 'completed')
      UNION ALL SELECT 'cohort_seats', NEW."cohort_id" WHERE NEW."status" IN ('invited', 'active', 'completed')
      UNION ALL SELECT 'course_learners', h."course_id" FROM "bootcamp_cohorts" h
        WHERE h."tenant_id" = NEW."tenant_id" AND h."id" = NEW."cohort_id" AND NEW."status" IN ('active', 'completed'))
    WHERE true
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_enrolments_delete" AFTER DELETE ON "bootcamp_enrolments" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND (("field" = 'enrolment_status' AND "value" = OLD."status")
      OR ("field" = 'cohort_seats' AND "value" = OLD."cohort_id" AND OLD."status" IN ('invited', 'active', 'completed'))
      OR (OLD."status" IN ('active', 'completed') AND (("field" = 'cohort_learners' AND "value" = OLD."cohort_id")
        OR ("field" = 'course_learners' AND "value" = (SELECT h."course_id" FROM "bootcamp_cohorts" h
          WHERE h."tenant_id" = OLD."tenant_id" AND h."id" = OLD."cohort_id")))));
END;
CREATE TRIGGER "bootcamp_counts_enrolments_update" AFTER UPDATE OF "tenant_id", "cohort_id", "status" ON "bootcamp_enrolments"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."cohort_id" IS NOT NEW."cohort_id" OR OLD."status" IS NOT NEW."status" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND (("field" = 'enrolment_status' AND "value" = OLD."status")
      OR ("field" = 'cohort_seats' AND "value" = OLD."cohort_id" AND OLD."status" IN ('invited', 'active', 'completed'))
      OR (OLD."status" IN ('active', 'completed') AND (("field" = 'cohort_learners' AND "value" = OLD."cohort_id")
        OR ("field" = 'course_learners' AND "value" = (SELECT h."course_id" FROM "bootcamp_cohorts" h
          WHERE h."tenant_id" = OLD."tenant_id" AND h."id" = OLD."cohort_id")))));
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
    SELECT NEW."tenant_id", f, v, 1 FROM (
      SELECT 'enrolment_status' AS f, NEW."status" AS v
      UNION ALL SELECT 'cohort_learners', NEW."cohort_id" WHERE NEW."status" IN ('active', 'completed')
      UNION ALL SELECT 'cohort_seats', NEW."cohort_id" WHERE NEW."status" IN ('invited', 'active', 'completed')
      UNION ALL SELECT 'course_learners', h."course_id" FROM "bootcamp_cohorts" h
        WHERE h."tenant_id" = NEW."tenant_id" AND h."id" = NEW."cohort_id" AND NEW."status" IN ('active', 'completed'))
    WHERE true
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;

-- progress: lessons done per enrolment
CREATE TRIGGER "bootcamp_counts_progress_insert" AFTER INSERT ON "bootcamp_progress" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
    VALUES (NEW."tenant_id", 'enrolment_lessons_done', NEW."enrolment_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_progress_delete" AFTER DELETE ON "bootcamp_progress" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'enrolment_lessons_done' AND "value" = OLD."enrolment_id";
END;
CREATE TRIGGER "bootcamp_counts_progress_update" AFTER UPDATE OF "tenant_id", "enrolment_id" ON "bootcamp_progress"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."enrolment_id" IS NOT NEW."enrolment_id" BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'enrolment_lessons_done' AND "value" = OLD."enrolment_id";
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
    VALUES (NEW."tenant_id", 'enrolment_lessons_done', NEW."enrolment_id", 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;

-- submissions: released per enrolment, awaiting review, review time. A resubmission (the submit verb's upsert)
-- is an UPDATE: it moves the submission back to "not marked".
CREATE TRIGGER "bootcamp_counts_submissions_insert" AFTER INSERT ON "bootcamp_submissions" BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n", "sum_a")
    SELECT NEW."tenant_id", f, v, 1, a FROM (
      SELECT 'enrolment_released' AS f, NEW."enrolment_id" AS v, 0 AS a WHERE NEW."marking_state" = 'released'
      UNION ALL SELECT 'submissions_awaiting', '', 0
        WHERE NEW."marking_state" IN ('not_marked', 'in_review') AND NEW."open" = 0
      UNION ALL SELECT 'review_ms', '', CAST(round((julianday(NEW."released_at") - julianday(NEW."submitted_at")) * 86400000) AS INTEGER)
        WHERE NEW."marking_state" = 'released' AND julianday(NEW."released_at") - julianday(NEW."submitted_at") IS NOT NULL)
    WHERE true
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1, "sum_a" = "sum_a" + excluded."sum_a";
END;
CREATE TRIGGER "bootcamp_counts_submissions_delete" AFTER DELETE ON "bootcamp_submissions" BEGIN
  UPDATE "bootcamp_counts"
    SET "n" = "n" - 1, "sum_a" = "sum_a" - CASE "field" WHEN 'review_ms'
      THEN CAST(round((julianday(OLD."released_at") - julianday(OLD."submitted_at")) * 86400000) AS INTEGER) ELSE 0 END
    WHERE "tenant_id" = OLD."tenant_id" AND (
      ("field" = 'enrolment_released' AND "value" = OLD."enrolment_id" AND OLD."marking_state" = 'released')
      OR ("field" = 'submissions_awaiting' AND "value" = '' AND OLD."marking_state" IN ('not_marked', 'in_review') AND OLD."open" = 0)
      OR ("field" = 'review_ms' AND "value" = '' AND OLD."marking_state" = 'released'
        AND julianday(OLD."released_at") - julianday(OLD."submitted_at") IS NOT NULL));
END;
CREATE TRIGGER "bootcamp_counts_submissions_update" AFTER UPDATE OF "tenant_id", "enrolment_id", "marking_state", "open", "submitted_at", "released_at" ON "bootcamp_submissions"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."enrolment_id" IS NOT NEW."enrolment_id"
    OR OLD."marking_state" IS NOT NEW."marking_state" OR OLD."open" IS NOT NEW."open"
    OR OLD."submitted_at" IS NOT NEW."submitted_at" OR OLD."released_at" IS NOT NEW."released_at" BEGIN
  UPDATE "bootcamp_counts"
    SET "n" = "n" - 1, "sum_a" = "sum_a" - CASE "field" WHEN 'review_ms'
      THEN CAST(round((julianday(OLD."released_at") - julianday(OLD."submitted_at")) * 86400000) AS INTEGER) ELSE 0 END
    WHERE "tenant_id" = OLD."tenant_id" AND (
      ("field" = 'enrolment_released' AND "value" = OLD."enrolment_id" AND OLD."marking_state" = 'released')
      OR ("field" = 'submissions_awaiting' AND "value" = '' AND OLD."marking_state" IN ('not_marked', 'in_review') AND OLD."open" = 0)
      OR ("field" = 'review_ms' AND "value" = '' AND OLD."marking_state" = 'released'
        AND julianday(OLD."released_at") - julianday(OLD."submitted_at") IS NOT NULL));
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n", "sum_a")
    SELECT NEW."tenant_id", f, v, 1, a FROM (
      SELECT 'enrolment_released' AS f, NEW."enrolment_id" AS v, 0 AS a WHERE NEW."marking_state" = 'released'
      UNION ALL SELECT 'submissions_awaiting', '', 0
        WHERE NEW."marking_state" IN ('not_marked', 'in_review') AND NEW."open" = 0
      UNION ALL SELECT 'review_ms', '', CAST(round((julianday(NEW."released_at") - julianday(NEW."submitted_at")) * 86400000) AS INTEGER)
        WHERE NEW."marking_state" = 'released' AND julianday(NEW."released_at") - julianday(NEW."submitted_at") IS NOT NULL)
    WHERE true
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1, "sum_a" = "sum_a" + excluded."sum_a";
END;

-- certificates that are valid (not revoked)
CREATE TRIGGER "bootcamp_counts_certificates_insert" AFTER INSERT ON "bootcamp_certificates" WHEN NEW."revoked_at" IS NULL BEGIN
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n") VALUES (NEW."tenant_id", 'certificates_valid', '', 1)
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "bootcamp_counts_certificates_delete" AFTER DELETE ON "bootcamp_certificates" WHEN OLD."revoked_at" IS NULL BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'certificates_valid' AND "value" = '';
END;
CREATE TRIGGER "bootcamp_counts_certificates_update" AFTER UPDATE OF "tenant_id", "revoked_at" ON "bootcamp_certificates"
  WHEN OLD."tenant_id" IS NOT NEW."tenant_id" OR (OLD."revoked_at" IS NULL) IS NOT (NEW."revoked_at" IS NULL) BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE OLD."revoked_at" IS NULL AND "tenant_id" = OLD."tenant_id" AND "field" = 'certificates_valid' AND "value" = '';
  INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
    SELECT NEW."tenant_id", 'certificates_valid', '', 1 WHERE NEW."revoked_at" IS NULL
  ON CONFLICT ("tenant_id", "field", "value") DO UPDATE SET "n" = "n" + 1;
END;

-- The counters of the rows already there (the same recount as counters/index.ts).
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'course_modules', "course_id", count(*) FROM "bootcamp_modules" GROUP BY "tenant_id", "course_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'course_lessons', "course_id", count(*) FROM "bootcamp_lessons" GROUP BY "tenant_id", "course_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'course_assignments', "course_id", count(*) FROM "bootcamp_assignments" GROUP BY "tenant_id", "course_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'course_cohorts', "course_id", count(*) FROM "bootcamp_cohorts" GROUP BY "tenant_id", "course_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT e."tenant_id", 'course_learners', h."course_id", count(*) FROM "bootcamp_enrolments" e
    JOIN "bootcamp_cohorts" h ON h."tenant_id" = e."tenant_id" AND h."id" = e."cohort_id"
  WHERE e."status" IN ('active', 'completed') GROUP BY e."tenant_id", h."course_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'cohort_learners', "cohort_id", count(*) FROM "bootcamp_enrolments"
  WHERE "status" IN ('active', 'completed') GROUP BY "tenant_id", "cohort_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'cohort_seats', "cohort_id", count(*) FROM "bootcamp_enrolments"
  WHERE "status" IN ('invited', 'active', 'completed') GROUP BY "tenant_id", "cohort_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'enrolment_status', "status", count(*) FROM "bootcamp_enrolments" GROUP BY "tenant_id", "status";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'enrolment_lessons_done', "enrolment_id", count(*) FROM "bootcamp_progress" GROUP BY "tenant_id", "enrolment_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'enrolment_released', "enrolment_id", count(*) FROM "bootcamp_submissions"
  WHERE "marking_state" = 'released' GROUP BY "tenant_id", "enrolment_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'submissions_awaiting', '', count(*) FROM "bootcamp_submissions"
  WHERE "marking_state" IN ('not_marked', 'in_review') AND "open" = 0 GROUP BY "tenant_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n", "sum_a")
  SELECT "tenant_id", 'review_ms', '', count(*),
    sum(CAST(round((julianday("released_at") - julianday("submitted_at")) * 86400000) AS INTEGER)) FROM "bootcamp_submissions"
  WHERE "marking_state" = 'released' AND julianday("released_at") - julianday("submitted_at") IS NOT NULL GROUP BY "tenant_id";
INSERT INTO "bootcamp_counts" ("tenant_id", "field", "value", "n")
  SELECT "tenant_id", 'certificates_valid', '', count(*) FROM "bootcamp_certificates" WHERE "revoked_at" IS NULL GROUP BY "tenant_id";

-- Indexes in the order the reads want (packages/domain/src/bootcamp): the staff's courses by position and title,
-- the instructors' and the catalogue's published ones the same way, the staff's cohorts by start date, and each
-- marking state's closed submissions by submission date (the review queue reads one range per state).
DROP INDEX "idx_bootcamp_courses_tenant_id_status_position";
CREATE INDEX "idx_bootcamp_courses_tenant_id_status_position_title" ON "bootcamp_courses" ("tenant_id", "status", "position", "title");
CREATE INDEX "idx_bootcamp_courses_tenant_id_position_title" ON "bootcamp_courses" ("tenant_id", "position", "title");
CREATE INDEX "idx_bootcamp_cohorts_tenant_id_start_date" ON "bootcamp_cohorts" ("tenant_id", "start_date");
DROP INDEX "idx_bootcamp_submissions_tenant_id_marking_state_submitted_at";
CREATE INDEX "idx_bootcamp_submissions_tenant_id_marking_state_open_submitted_at"
  ON "bootcamp_submissions" ("tenant_id", "marking_state", "open", "submitted_at");
