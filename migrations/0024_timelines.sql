-- Fataplus schema, part 24: timelines of clients and leads (docs/decisions/030-activity-and-time-zones.md).
-- A record's history is read from its own audit rows (its creation by the intake, stage changes, edits) and the
-- e-mails sent to its address about its project, a page at a time, newest first: each read walks an index to
-- exactly the record's rows, so a page costs the page whatever else the tenant (or the outbox) holds.
CREATE INDEX "idx_audit_log_tenant_id_entity_entity_id_created_at"
  ON "audit_log" ("tenant_id", "entity", "entity_id", "created_at");
CREATE INDEX "idx_email_outbox_about_tenant_id_to_address_created_at"
  ON "email_outbox" ("about_tenant_id", "to_address", "created_at");
