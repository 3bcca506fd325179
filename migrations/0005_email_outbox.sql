-- The email outbox (docs/decisions/012-email-outbox.md).
--
-- Every email the platform sends is first a row here, written in the same D1 batch as the change that causes it
-- (an invitation, a reminder…), so a rolled-back change sends nothing and a committed one can't lose its mail.
-- Delivery happens after the commit: in development the row is the delivery (admins read it at /crm/outbox);
-- in production an HTTP provider sends queued rows and records the outcome, retrying a few times.
--
-- Global, not tenant-owned: only agency admins read it, across projects. `about_tenant_id` says which project
-- a message concerns (NULL for agency-wide mail) so it can be filtered; it grants nothing to that tenant.
CREATE TABLE "email_outbox" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "about_tenant_id" TEXT REFERENCES "tenants" ("id") ON DELETE SET NULL,
  "kind" TEXT NOT NULL CHECK (length("kind") BETWEEN 1 AND 60),
  "to_address" TEXT NOT NULL CHECK (length("to_address") BETWEEN 3 AND 254),
  "subject" TEXT NOT NULL CHECK (length("subject") BETWEEN 1 AND 200),
  "text_body" TEXT NOT NULL CHECK (length("text_body") BETWEEN 1 AND 20000),
  "html_body" TEXT CHECK ("html_body" IS NULL OR length("html_body") <= 100000),
  "status" TEXT NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'sending', 'sent', 'stored', 'failed')),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "provider" TEXT,
  "provider_message_id" TEXT,
  "last_error" TEXT,
  "claimed_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "sent_at" TEXT
);
CREATE INDEX "idx_email_outbox_status_created_at" ON "email_outbox" ("status", "created_at");
CREATE INDEX "idx_email_outbox_created_at" ON "email_outbox" ("created_at");
CREATE INDEX "idx_email_outbox_about_tenant_id_created_at" ON "email_outbox" ("about_tenant_id", "created_at");
CREATE INDEX "idx_email_outbox_to_address_created_at" ON "email_outbox" ("to_address", "created_at");
