-- Fataplus schema, part 8: the UX/UI bootcamp (docs/decisions/010-bootcamp.md).
--
-- Bootcamp data lives in a tenant like everything else: every table below is tenant-owned (tenant_id, an index
-- leading with it, composite foreign keys), so the gate, the roles and the isolation matrices apply unchanged.
-- The public bootcamp at fata.plus/bootcamp is the tenant whose subdomain is `bootcamp` (a reserved subdomain no
-- project can take), created here with a random id. Learners are its `client` members, instructors its
-- `project_manager` members (they see only the cohorts they teach), agency staff and its admins manage it.

INSERT INTO "tenants" ("id", "name", "subdomain", "kind", "status")
SELECT 'FP-' || strftime('%Y', 'now') || '-' || (
    substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
    || substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (abs(random()) % 32) + 1, 1)
  ), 'Fataplus Bootcamp UX/UI', 'bootcamp', 'agency', 'active'
WHERE NOT EXISTS (SELECT 1 FROM "tenants" WHERE "subdomain" = 'bootcamp');

-- A course: taught in one language, published or draft (drafts never reach the public catalogue).
CREATE TABLE "bootcamp_courses" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "slug" TEXT NOT NULL CHECK (length("slug") BETWEEN 2 AND 80 AND "slug" NOT GLOB '*[^a-z0-9-]*'),
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "summary" TEXT NOT NULL DEFAULT '' CHECK (length("summary") <= 2000),
  "language" TEXT NOT NULL DEFAULT 'fr' CHECK ("language" IN ('fr', 'en')),
  "level" TEXT NOT NULL DEFAULT 'beginner' CHECK ("level" IN ('beginner', 'intermediate', 'advanced')),
  "status" TEXT NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'published')),
  "position" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_courses_tenant_id_id" ON "bootcamp_courses" ("tenant_id", "id");
CREATE UNIQUE INDEX "idx_unique_bootcamp_courses_tenant_id_slug" ON "bootcamp_courses" ("tenant_id", "slug");
CREATE INDEX "idx_bootcamp_courses_tenant_id_status_position" ON "bootcamp_courses" ("tenant_id", "status", "position");

CREATE TABLE "bootcamp_modules" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "course_id" TEXT NOT NULL,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "position" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "course_id") REFERENCES "bootcamp_courses" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_modules_tenant_id_id" ON "bootcamp_modules" ("tenant_id", "id");
CREATE INDEX "idx_bootcamp_modules_tenant_id_course_id_position" ON "bootcamp_modules" ("tenant_id", "course_id", "position");

-- A lesson's Markdown body is rendered safely by the domain (raw HTML off). It is released to a cohort
-- `release_offset_days` after the cohort's start date (0: on the first day).
CREATE TABLE "bootcamp_lessons" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "course_id" TEXT NOT NULL,
  "module_id" TEXT NOT NULL,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "body_md" TEXT NOT NULL DEFAULT '' CHECK (length("body_md") <= 100000),
  "position" INTEGER NOT NULL DEFAULT 0,
  "release_offset_days" INTEGER NOT NULL DEFAULT 0 CHECK ("release_offset_days" BETWEEN 0 AND 730),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "course_id") REFERENCES "bootcamp_courses" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "module_id") REFERENCES "bootcamp_modules" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_lessons_tenant_id_id" ON "bootcamp_lessons" ("tenant_id", "id");
CREATE INDEX "idx_bootcamp_lessons_tenant_id_course_id_position" ON "bootcamp_lessons" ("tenant_id", "course_id", "position");
CREATE INDEX "idx_bootcamp_lessons_tenant_id_module_id" ON "bootcamp_lessons" ("tenant_id", "module_id");

-- An assignment: a brief (Markdown), a due date relative to the cohort's start, and a rubric
-- (JSON array of { criterion, points }).
CREATE TABLE "bootcamp_assignments" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "course_id" TEXT NOT NULL,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "brief_md" TEXT NOT NULL DEFAULT '' CHECK (length("brief_md") <= 50000),
  "due_offset_days" INTEGER NOT NULL DEFAULT 7 CHECK ("due_offset_days" BETWEEN 0 AND 730),
  "rubric" TEXT NOT NULL DEFAULT '[]' CHECK (json_valid("rubric") AND json_type("rubric") = 'array'),
  "position" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "course_id") REFERENCES "bootcamp_courses" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_assignments_tenant_id_id" ON "bootcamp_assignments" ("tenant_id", "id");
CREATE INDEX "idx_bootcamp_assignments_tenant_id_course_id_position" ON "bootcamp_assignments" ("tenant_id", "course_id", "position");

CREATE TABLE "bootcamp_cohorts" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "course_id" TEXT NOT NULL,
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "start_date" TEXT NOT NULL CHECK ("start_date" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  "end_date" TEXT CHECK ("end_date" IS NULL OR "end_date" >= "start_date"),
  "seats" INTEGER NOT NULL DEFAULT 20 CHECK ("seats" BETWEEN 1 AND 1000),
  "status" TEXT NOT NULL DEFAULT 'open' CHECK ("status" IN ('draft', 'open', 'closed')),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "course_id") REFERENCES "bootcamp_courses" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_cohorts_tenant_id_id" ON "bootcamp_cohorts" ("tenant_id", "id");
CREATE INDEX "idx_bootcamp_cohorts_tenant_id_course_id_start_date" ON "bootcamp_cohorts" ("tenant_id", "course_id", "start_date");

-- Who teaches a cohort (a member of the tenant; instructors see only these cohorts).
CREATE TABLE "bootcamp_cohort_instructors" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "cohort_id" TEXT NOT NULL,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "cohort_id") REFERENCES "bootcamp_cohorts" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_cohort_instructors_tenant_id_cohort_id_user_id" ON "bootcamp_cohort_instructors" ("tenant_id", "cohort_id", "user_id");
CREATE INDEX "idx_bootcamp_cohort_instructors_tenant_id_user_id" ON "bootcamp_cohort_instructors" ("tenant_id", "user_id");

-- An enrolment: applied (from the public catalogue) → invited (an invitation e-mail with a link) → active (the
-- learner joined with that account) → completed (certificate issued); or withdrawn.
CREATE TABLE "bootcamp_enrolments" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "cohort_id" TEXT NOT NULL,
  "email" TEXT NOT NULL CHECK ("email" = lower("email") AND length("email") BETWEEN 3 AND 254),
  "name" TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "status" TEXT NOT NULL DEFAULT 'applied'
    CHECK ("status" IN ('applied', 'invited', 'active', 'completed', 'withdrawn')),
  "motivation" TEXT CHECK ("motivation" IS NULL OR length("motivation") <= 2000),
  "invited_at" TEXT,
  "joined_at" TEXT,
  "completed_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "cohort_id") REFERENCES "bootcamp_cohorts" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_enrolments_tenant_id_id" ON "bootcamp_enrolments" ("tenant_id", "id");
CREATE UNIQUE INDEX "idx_unique_bootcamp_enrolments_tenant_id_cohort_id_email" ON "bootcamp_enrolments" ("tenant_id", "cohort_id", "email");
CREATE INDEX "idx_bootcamp_enrolments_tenant_id_user_id" ON "bootcamp_enrolments" ("tenant_id", "user_id");
CREATE INDEX "idx_bootcamp_enrolments_tenant_id_email" ON "bootcamp_enrolments" ("tenant_id", "email");
CREATE INDEX "idx_bootcamp_enrolments_tenant_id_status_created_at" ON "bootcamp_enrolments" ("tenant_id", "status", "created_at");

CREATE TABLE "bootcamp_progress" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "enrolment_id" TEXT NOT NULL,
  "lesson_id" TEXT NOT NULL,
  "completed_at" TEXT NOT NULL,
  FOREIGN KEY ("tenant_id", "enrolment_id") REFERENCES "bootcamp_enrolments" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "lesson_id") REFERENCES "bootcamp_lessons" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_progress_tenant_id_enrolment_id_lesson_id" ON "bootcamp_progress" ("tenant_id", "enrolment_id", "lesson_id");
CREATE INDEX "idx_bootcamp_progress_tenant_id_lesson_id" ON "bootcamp_progress" ("tenant_id", "lesson_id");

-- One submission per learner and assignment, resubmitted in place once an instructor reopens it (`attempt`
-- counts). Marking: not_marked → in_review → released; score and feedback reach the learner only when released.
CREATE TABLE "bootcamp_submissions" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "assignment_id" TEXT NOT NULL,
  "enrolment_id" TEXT NOT NULL,
  "kind" TEXT NOT NULL CHECK ("kind" IN ('link', 'file')),
  "url" TEXT CHECK ("url" IS NULL OR length("url") <= 2000),
  "file_key" TEXT,
  "file_name" TEXT CHECK ("file_name" IS NULL OR length("file_name") <= 200),
  "file_type" TEXT,
  "file_size" INTEGER CHECK ("file_size" IS NULL OR "file_size" >= 0),
  "note" TEXT CHECK ("note" IS NULL OR length("note") <= 5000),
  "attempt" INTEGER NOT NULL DEFAULT 1 CHECK ("attempt" >= 1),
  "open" INTEGER NOT NULL DEFAULT 0 CHECK ("open" IN (0, 1)),
  "marking_state" TEXT NOT NULL DEFAULT 'not_marked' CHECK ("marking_state" IN ('not_marked', 'in_review', 'released')),
  "scores" TEXT CHECK ("scores" IS NULL OR (json_valid("scores") AND json_type("scores") = 'array')),
  "feedback" TEXT CHECK ("feedback" IS NULL OR length("feedback") <= 10000),
  "reviewer_id" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "submitted_at" TEXT NOT NULL,
  "review_started_at" TEXT,
  "released_at" TEXT,
  CHECK (("kind" = 'link' AND "url" IS NOT NULL) OR ("kind" = 'file' AND "file_key" IS NOT NULL)),
  FOREIGN KEY ("tenant_id", "assignment_id") REFERENCES "bootcamp_assignments" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "enrolment_id") REFERENCES "bootcamp_enrolments" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_submissions_tenant_id_id" ON "bootcamp_submissions" ("tenant_id", "id");
CREATE UNIQUE INDEX "idx_unique_bootcamp_submissions_tenant_id_enrolment_id_assignment_id" ON "bootcamp_submissions" ("tenant_id", "enrolment_id", "assignment_id");
CREATE INDEX "idx_bootcamp_submissions_tenant_id_marking_state_submitted_at" ON "bootcamp_submissions" ("tenant_id", "marking_state", "submitted_at");
CREATE INDEX "idx_bootcamp_submissions_tenant_id_assignment_id" ON "bootcamp_submissions" ("tenant_id", "assignment_id");

-- A certificate: what it shows is copied at issue time (holder, course, date) so that verifying it
-- reveals exactly that and nothing else. The id is the unguessable public reference (decision 010).
CREATE TABLE "bootcamp_certificates" (
  "id" TEXT NOT NULL PRIMARY KEY CHECK (length("id") = 28 AND substr("id", 1, 4) = 'FPC-'),
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "enrolment_id" TEXT NOT NULL,
  "holder_name" TEXT NOT NULL,
  "course_title" TEXT NOT NULL,
  "issued_at" TEXT NOT NULL,
  "revoked_at" TEXT,
  FOREIGN KEY ("tenant_id", "enrolment_id") REFERENCES "bootcamp_enrolments" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_certificates_tenant_id_enrolment_id" ON "bootcamp_certificates" ("tenant_id", "enrolment_id");
CREATE INDEX "idx_bootcamp_certificates_tenant_id_issued_at" ON "bootcamp_certificates" ("tenant_id", "issued_at");
