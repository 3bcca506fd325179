-- Fataplus schema, part 26: the bootcamp's course player and quizzes (docs/decisions/032-bootcamp-depth.md).
--
-- Every table is tenant-owned like the rest of the bootcamp (decision 010): tenant_id, an index leading with it,
-- composite foreign keys. Learners reach these rows only through their own enrolment (learner-scope.ts).

-- "Resume where I stopped": the last time each learner opened each lesson. One row per enrolment and lesson,
-- moved forward on each visit; the newest row of an enrolment is where its learner resumes.
CREATE TABLE "bootcamp_lesson_views" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "enrolment_id" TEXT NOT NULL,
  "lesson_id" TEXT NOT NULL,
  "viewed_at" TEXT NOT NULL,
  FOREIGN KEY ("tenant_id", "enrolment_id") REFERENCES "bootcamp_enrolments" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "lesson_id") REFERENCES "bootcamp_lessons" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_lesson_views_tenant_id_enrolment_id_lesson_id" ON "bootcamp_lesson_views" ("tenant_id", "enrolment_id", "lesson_id");
CREATE INDEX "idx_bootcamp_lesson_views_tenant_id_enrolment_id_viewed_at" ON "bootcamp_lesson_views" ("tenant_id", "enrolment_id", "viewed_at");
CREATE INDEX "idx_bootcamp_lesson_views_tenant_id_lesson_id" ON "bootcamp_lesson_views" ("tenant_id", "lesson_id");

-- A quiz at the end of a module: its questions (a JSON array checked by the domain's schema: single or multiple
-- choice, or a short answer, each with its feedback), a pass mark in percent, a limit of attempts per learner,
-- and whether passing it opens the next modules (`gates_next`). `archived_at`: deleted by staff while attempts
-- existed; hidden from learners, the attempts kept.
CREATE TABLE "bootcamp_quizzes" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "course_id" TEXT NOT NULL,
  "module_id" TEXT NOT NULL,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "questions" TEXT NOT NULL DEFAULT '[]' CHECK (json_valid("questions") AND json_type("questions") = 'array' AND length("questions") <= 200000),
  "pass_percent" INTEGER NOT NULL DEFAULT 70 CHECK ("pass_percent" BETWEEN 0 AND 100),
  "max_attempts" INTEGER NOT NULL DEFAULT 3 CHECK ("max_attempts" BETWEEN 1 AND 20),
  "gates_next" INTEGER NOT NULL DEFAULT 0 CHECK ("gates_next" IN (0, 1)),
  "position" INTEGER NOT NULL DEFAULT 0,
  "archived_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "course_id") REFERENCES "bootcamp_courses" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "module_id") REFERENCES "bootcamp_modules" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_quizzes_tenant_id_id" ON "bootcamp_quizzes" ("tenant_id", "id");
CREATE INDEX "idx_bootcamp_quizzes_tenant_id_course_id_position" ON "bootcamp_quizzes" ("tenant_id", "course_id", "position");
CREATE INDEX "idx_bootcamp_quizzes_tenant_id_module_id" ON "bootcamp_quizzes" ("tenant_id", "module_id");

-- One graded attempt: the learner's answers as sent, the score and whether it passed. `attempt` numbers a
-- learner's attempts at a quiz from 1; the unique key makes two attempts racing for the same number fail.
CREATE TABLE "bootcamp_quiz_attempts" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "quiz_id" TEXT NOT NULL,
  "enrolment_id" TEXT NOT NULL,
  "attempt" INTEGER NOT NULL CHECK ("attempt" BETWEEN 1 AND 20),
  "answers" TEXT NOT NULL CHECK (json_valid("answers") AND json_type("answers") = 'object' AND length("answers") <= 50000),
  "score" INTEGER NOT NULL CHECK ("score" >= 0),
  "max_score" INTEGER NOT NULL CHECK ("max_score" >= 0),
  "passed" INTEGER NOT NULL CHECK ("passed" IN (0, 1)),
  "submitted_at" TEXT NOT NULL,
  FOREIGN KEY ("tenant_id", "quiz_id") REFERENCES "bootcamp_quizzes" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "enrolment_id") REFERENCES "bootcamp_enrolments" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_bootcamp_quiz_attempts_tenant_id_enrolment_id_quiz_id_attempt" ON "bootcamp_quiz_attempts" ("tenant_id", "enrolment_id", "quiz_id", "attempt");
CREATE INDEX "idx_bootcamp_quiz_attempts_tenant_id_quiz_id" ON "bootcamp_quiz_attempts" ("tenant_id", "quiz_id");
