-- Fataplus schema, part 9: notes on clients and leads (docs/adding-an-entity.md walks through this entity).
--
-- A note belongs to a tenant and is attached to a client, a lead or both, of the same tenant (composite
-- foreign keys carry tenant_id, like every reference between tenant-owned tables). The domain refuses a new
-- note attached to nothing; who wrote it and when is in the audit row written in the same batch.
CREATE TABLE "notes" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "client_id" TEXT,
  "lead_id" TEXT,
  "body" TEXT NOT NULL CHECK (length("body") BETWEEN 1 AND 10000),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients" ("tenant_id", "id"),
  FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "leads" ("tenant_id", "id")
);
CREATE UNIQUE INDEX "idx_unique_notes_tenant_id_id" ON "notes" ("tenant_id", "id");
CREATE INDEX "idx_notes_tenant_id_created_at" ON "notes" ("tenant_id", "created_at");
CREATE INDEX "idx_notes_tenant_id_client_id_created_at" ON "notes" ("tenant_id", "client_id", "created_at");
CREATE INDEX "idx_notes_tenant_id_lead_id_created_at" ON "notes" ("tenant_id", "lead_id", "created_at");
