-- TEMPORARY stand-in for the lead's 0005_email_outbox.sql on main (replaced by it on merge).
CREATE TABLE "email_outbox" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant" TEXT REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "to_address" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "text_body" TEXT NOT NULL,
  "html_body" TEXT,
  "kind" TEXT NOT NULL,
  "created_at" TEXT NOT NULL
);
CREATE INDEX "idx_email_outbox_created_at" ON "email_outbox" ("created_at");
