-- Fataplus schema, part 6: the client portal (docs/decisions/008-portal-documents-and-realtime.md).
-- Documents and their versions (files in R2 under tenants/<tenant_id>/...), requested files, approvals of an
-- exact version, the message thread with read markers, and per-tenant counters. Every table is tenant-owned:
-- tenant_id first in every index, composite foreign keys between tenant-owned tables.

CREATE TABLE "documents" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "visibility" TEXT NOT NULL DEFAULT 'internal' CHECK ("visibility" IN ('internal', 'client')),
  "current_version" INTEGER NOT NULL DEFAULT 1 CHECK ("current_version" >= 1),
  "created_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_documents_tenant_id_id" ON "documents" ("tenant_id", "id");
CREATE INDEX "idx_documents_tenant_id_visibility_updated_at" ON "documents" ("tenant_id", "visibility", "updated_at");
CREATE INDEX "idx_documents_tenant_id_updated_at" ON "documents" ("tenant_id", "updated_at");

-- One row per uploaded file. A new version never replaces an old one; r2_key is tenants/<tenant_id>/documents/...
CREATE TABLE "document_versions" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "document_id" TEXT NOT NULL,
  "version" INTEGER NOT NULL CHECK ("version" >= 1),
  "file_name" TEXT NOT NULL CHECK (length("file_name") BETWEEN 1 AND 120),
  "mime_type" TEXT NOT NULL,
  "size_bytes" INTEGER NOT NULL CHECK ("size_bytes" > 0),
  "sha256" TEXT NOT NULL CHECK (length("sha256") = 64),
  "r2_key" TEXT NOT NULL,
  "uploaded_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_document_versions_tenant_id_id" ON "document_versions" ("tenant_id", "id");
CREATE UNIQUE INDEX "idx_unique_document_versions_tenant_id_document_id_version" ON "document_versions" ("tenant_id", "document_id", "version");

-- A file the project manager asks the client for: a checklist item with a due date.
CREATE TABLE "file_requests" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "title" TEXT NOT NULL CHECK (length("title") BETWEEN 1 AND 200),
  "description" TEXT,
  "due_date" TEXT,
  "status" TEXT NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'submitted', 'accepted', 'changes_requested')),
  "document_id" TEXT,
  "review_comment" TEXT,
  "requested_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "reminded_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents" ("tenant_id", "id")
);
CREATE UNIQUE INDEX "idx_unique_file_requests_tenant_id_id" ON "file_requests" ("tenant_id", "id");
CREATE INDEX "idx_file_requests_tenant_id_status_due_date" ON "file_requests" ("tenant_id", "status", "due_date");
CREATE INDEX "idx_file_requests_tenant_id_created_at" ON "file_requests" ("tenant_id", "created_at");

-- An approval asked of the client for one exact version: its hash is copied, so the decision can't drift.
CREATE TABLE "approvals" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "document_id" TEXT NOT NULL,
  "version_id" TEXT NOT NULL,
  "version" INTEGER NOT NULL,
  "sha256" TEXT NOT NULL CHECK (length("sha256") = 64),
  "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'approved', 'changes_requested')),
  "comment" TEXT,
  "requested_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "decided_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "decided_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "version_id") REFERENCES "document_versions" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_approvals_tenant_id_id" ON "approvals" ("tenant_id", "id");
CREATE INDEX "idx_approvals_tenant_id_status_created_at" ON "approvals" ("tenant_id", "status", "created_at");
CREATE INDEX "idx_approvals_tenant_id_document_id" ON "approvals" ("tenant_id", "document_id");

-- The project's message thread. seq orders a tenant's messages (1, 2, 3…) so a client catches up with seq > n.
CREATE TABLE "messages" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "seq" INTEGER NOT NULL CHECK ("seq" >= 1),
  "author_id" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "author_name" TEXT NOT NULL,
  "author_side" TEXT NOT NULL CHECK ("author_side" IN ('client', 'agency')),
  "body" TEXT NOT NULL CHECK (length("body") BETWEEN 1 AND 5000),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_messages_tenant_id_seq" ON "messages" ("tenant_id", "seq");

-- The last message each member has read (unread = messages after it, by others).
CREATE TABLE "message_reads" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "last_seq" INTEGER NOT NULL DEFAULT 0,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_message_reads_tenant_id_user_id" ON "message_reads" ("tenant_id", "user_id");

-- Counters for later metrics: storage_bytes, downloads, messages (one row per tenant and metric).
CREATE TABLE "tenant_counters" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "metric" TEXT NOT NULL CHECK ("metric" IN ('storage_bytes', 'downloads', 'messages')),
  "value" INTEGER NOT NULL DEFAULT 0,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_tenant_counters_tenant_id_metric" ON "tenant_counters" ("tenant_id", "metric");

-- Active users: one row per tenant, day and user who opened the portal or the thread that day.
CREATE TABLE "tenant_active_days" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "day" TEXT NOT NULL,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_tenant_active_days_tenant_id_day_user_id" ON "tenant_active_days" ("tenant_id", "day", "user_id");
