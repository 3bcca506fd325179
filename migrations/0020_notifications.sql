-- Fataplus schema, part 20: notifications (docs/decisions/027-notifications.md).
-- One row per recipient and event, written in the same D1 batch as the change that causes it, with only what
-- its recipient may read (the object's name, an excerpt of a message they can read, who acted). The link is
-- computed from (object_type, object_id) by the site. `channel` is the recipient's choice when it was written;
-- `email_status` follows its e-mail: none (in the app only), pending, sent, or skipped (read in the app first, or
-- the person turned it off since). `dedupe_key` makes a cron's reminder (a task due tomorrow) happen once.
CREATE TABLE "notifications" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "recipient_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL CHECK (length("kind") BETWEEN 1 AND 40),
  "object_type" TEXT NOT NULL CHECK (length("object_type") BETWEEN 1 AND 40),
  "object_id" TEXT NOT NULL CHECK (length("object_id") BETWEEN 1 AND 80),
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 300),
  "excerpt" TEXT CHECK ("excerpt" IS NULL OR length("excerpt") <= 300),
  "actor_name" TEXT CHECK ("actor_name" IS NULL OR length("actor_name") <= 200),
  "variant" TEXT CHECK ("variant" IS NULL OR length("variant") <= 40),
  "channel" TEXT NOT NULL CHECK ("channel" IN ('app', 'instant', 'digest', 'daily')),
  "email_status" TEXT NOT NULL CHECK ("email_status" IN ('none', 'pending', 'sent', 'skipped')),
  "dedupe_key" TEXT,
  "created_at" TEXT NOT NULL,
  "read_at" TEXT,
  "emailed_at" TEXT
);
CREATE UNIQUE INDEX "idx_unique_notifications_tenant_id_id" ON "notifications" ("tenant_id", "id");
CREATE UNIQUE INDEX "idx_unique_notifications_tenant_id_dedupe_key" ON "notifications" ("tenant_id", "dedupe_key");
-- a project's list for one person (the portal), newest first
CREATE INDEX "idx_notifications_tenant_id_recipient_id_created_at_id" ON "notifications" ("tenant_id", "recipient_id", "created_at", "id");
-- one person's list across projects (the CRM), newest first
CREATE INDEX "idx_notifications_recipient_id_created_at_id" ON "notifications" ("recipient_id", "created_at", "id");
-- the unread count and "mark all as read", in one project or across them
CREATE INDEX "idx_notifications_recipient_id_read_at_tenant_id" ON "notifications" ("recipient_id", "read_at", "tenant_id");
-- the cron's e-mail pass: pending rows, oldest first
CREATE INDEX "idx_notifications_email_status_created_at" ON "notifications" ("email_status", "created_at");

-- Each person's choice per kind of notification (no row: the default of their role, in the domain).
CREATE TABLE "notification_preferences" (
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL CHECK (length("kind") BETWEEN 1 AND 40),
  "channel" TEXT NOT NULL CHECK ("channel" IN ('app', 'instant', 'digest', 'daily', 'off')),
  "updated_at" TEXT NOT NULL,
  PRIMARY KEY ("user_id", "kind")
);

-- How long a digest gathers a project's events before it leaves (minutes; 15 unless an admin changes it).
ALTER TABLE "agency_settings" ADD COLUMN "digest_minutes" INTEGER NOT NULL DEFAULT 15 CHECK ("digest_minutes" BETWEEN 5 AND 1440);
