-- Fataplus schema, part 27: staff edit, reorder and delete the bootcamp's content, and revoke certificates
-- (docs/decisions/032-bootcamp-depth.md).
--
-- Deleting something learners have worked on (a lesson done, a submission, a quiz attempt) archives it instead:
-- `archived_at` hides it from learners, the catalogue and the certificate rule, and keeps the history. The
-- counters of 0012 follow: archiving a lesson, module or assignment counts it out of its course, restoring it
-- counts it back in.
ALTER TABLE "bootcamp_modules" ADD COLUMN "archived_at" TEXT;
ALTER TABLE "bootcamp_lessons" ADD COLUMN "archived_at" TEXT;
ALTER TABLE "bootcamp_assignments" ADD COLUMN "archived_at" TEXT;
-- Why a certificate was revoked (staff only; the public verification shows that it was, and when).
ALTER TABLE "bootcamp_certificates" ADD COLUMN "revoked_reason" TEXT CHECK ("revoked_reason" IS NULL OR length("revoked_reason") <= 1000);

CREATE TRIGGER "bootcamp_counts_modules_archive" AFTER UPDATE OF "archived_at" ON "bootcamp_modules"
  WHEN (OLD."archived_at" IS NULL) <> (NEW."archived_at" IS NULL) BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" + CASE WHEN NEW."archived_at" IS NULL THEN 1 ELSE -1 END
    WHERE "tenant_id" = NEW."tenant_id" AND "field" = 'course_modules' AND "value" = NEW."course_id";
END;
CREATE TRIGGER "bootcamp_counts_lessons_archive" AFTER UPDATE OF "archived_at" ON "bootcamp_lessons"
  WHEN (OLD."archived_at" IS NULL) <> (NEW."archived_at" IS NULL) BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" + CASE WHEN NEW."archived_at" IS NULL THEN 1 ELSE -1 END
    WHERE "tenant_id" = NEW."tenant_id" AND "field" = 'course_lessons' AND "value" = NEW."course_id";
END;
CREATE TRIGGER "bootcamp_counts_assignments_archive" AFTER UPDATE OF "archived_at" ON "bootcamp_assignments"
  WHEN (OLD."archived_at" IS NULL) <> (NEW."archived_at" IS NULL) BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" + CASE WHEN NEW."archived_at" IS NULL THEN 1 ELSE -1 END
    WHERE "tenant_id" = NEW."tenant_id" AND "field" = 'course_assignments' AND "value" = NEW."course_id";
END;

-- An archived row is already counted out: deleting it later (a course deleted with its content) must not count
-- it out twice. The delete triggers of 0012 are replaced by ones that skip archived rows.
DROP TRIGGER "bootcamp_counts_modules_delete";
CREATE TRIGGER "bootcamp_counts_modules_delete" AFTER DELETE ON "bootcamp_modules" WHEN OLD."archived_at" IS NULL BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_modules' AND "value" = OLD."course_id";
END;
DROP TRIGGER "bootcamp_counts_lessons_delete";
CREATE TRIGGER "bootcamp_counts_lessons_delete" AFTER DELETE ON "bootcamp_lessons" WHEN OLD."archived_at" IS NULL BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_lessons' AND "value" = OLD."course_id";
END;
DROP TRIGGER "bootcamp_counts_assignments_delete";
CREATE TRIGGER "bootcamp_counts_assignments_delete" AFTER DELETE ON "bootcamp_assignments" WHEN OLD."archived_at" IS NULL BEGIN
  UPDATE "bootcamp_counts" SET "n" = "n" - 1
    WHERE "tenant_id" = OLD."tenant_id" AND "field" = 'course_assignments' AND "value" = OLD."course_id";
END;
