-- The partner role (docs/decisions/026-team-management.md): a partner agency working on a project. Its people
-- hold memberships.role = 'partner' and are invited with invitations.role = 'partner'.
--
-- SQLite cannot change a CHECK constraint in place, so both tables are rebuilt: create the new table, copy the
-- rows (ids kept, so AUTOINCREMENT's sqlite_sequence follows), drop the old one, rename, recreate the indexes.
-- What this relies on, checked when this was written (and by team.worker.test.ts against the migrated schema):
--  - no table has a foreign key to memberships or invitations, and no trigger or view names them (0010's and
--    0013's counters and 0011's search triggers are on the CRM tables and tenants), so dropping the old tables
--    deletes nothing elsewhere and nothing is left pointing at a renamed table;
--  - their own foreign keys (to tenants and users, with the same ON DELETE) are declared again below;
--  - D1 runs a migration with foreign keys enforced and ignores `PRAGMA foreign_keys = OFF` inside it: the
--    copy only inserts rows whose parents exist already, and the drop removes child rows only, so no check fails.
CREATE TABLE "memberships_new" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "role" TEXT NOT NULL CHECK ("role" IN ('client', 'partner', 'project_manager', 'admin')),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO "memberships_new" ("id", "tenant_id", "user_id", "role", "created_at")
  SELECT "id", "tenant_id", "user_id", "role", "created_at" FROM "memberships";
DROP TABLE "memberships";
ALTER TABLE "memberships_new" RENAME TO "memberships";
CREATE UNIQUE INDEX "idx_unique_memberships_tenant_id_user_id" ON "memberships" ("tenant_id", "user_id");
CREATE INDEX "idx_memberships_user_id_tenant_id" ON "memberships" ("user_id", "tenant_id");

CREATE TABLE "invitations_new" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "email" TEXT NOT NULL CHECK ("email" = lower("email")),
  "role" TEXT NOT NULL CHECK ("role" IN ('client', 'partner', 'project_manager', 'admin')),
  "token_hash" TEXT NOT NULL,
  "invited_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "expires_at" TEXT NOT NULL,
  "accepted_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO "invitations_new" ("id", "tenant_id", "email", "role", "token_hash", "invited_by", "expires_at",
    "accepted_at", "created_at")
  SELECT "id", "tenant_id", "email", "role", "token_hash", "invited_by", "expires_at", "accepted_at", "created_at"
  FROM "invitations";
DROP TABLE "invitations";
ALTER TABLE "invitations_new" RENAME TO "invitations";
CREATE INDEX "idx_invitations_tenant_id_created_at" ON "invitations" ("tenant_id", "created_at");
CREATE UNIQUE INDEX "idx_unique_invitations_token_hash" ON "invitations" ("token_hash");
