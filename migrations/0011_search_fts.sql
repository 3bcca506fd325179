-- Fataplus schema, part 11: one full-text index of the names and titles the search finds, and of what the CRM
-- lists look for besides (docs/decisions/016-search-fts5.md).
--
-- search_fts is an FTS5 table with external content: it stores only the index; its content is the view
-- search_source, one row per record of clients (name; email), projects (name), tasks (title), leads (title;
-- contact_name) and notes (body). Each record is one FTS row:
--   rowid  the record's rowid * 8 + its entity's number (clients 1, projects 2, tasks 3, leads 4, notes 5), so
--          that one index serves five tables and `x.rowid = search_fts.rowid >> 3` finds the record by rowid;
--   scope  one token, '0' + the entity + the tenant id without its dashes ("0tasksFP2026X7K9M3P1A"): a query
--          names its tenant and entity there, inside the MATCH expression, and FTS returns that tenant's rows
--          only. The leading 0 keeps these tokens out of the prefixes people type ("ta", "task"…);
--   label  what the search matches and shows (records/entities.ts `search.label`);
--   extra  what the CRM lists also match: a client's email, a lead's contact name.
-- Words: unicode61 with diacritics removed ("ecole" finds "École"), prefix indexes of 2 to 8 characters so that
-- type-ahead reads the index lazily, no column sizes (nothing ranks by bm25).
--
-- Triggers on each table keep the index in the same statement as the write, whatever writes (the domain,
-- bknd's /admin, bulk writes, cascades, a restore). The view and the FTS tables have no tenant_id: they belong
-- to no tenant of their own and are never exported (search/fts.ts `searchIndexTables`); an import re-indexes
-- through the triggers, and `INSERT INTO search_fts (search_fts) VALUES ('rebuild')` rebuilds the whole index
-- from the view. Never read search_fts's columns (only its rowid): with external content, each column read looks
-- its row up in the view, which has no index.
CREATE VIEW "search_source" ("rid", "scope", "label", "extra") AS
  SELECT "rowid" * 8 + 1, '0clients' || replace("tenant_id", '-', ''), "name", "email" FROM "clients"
  UNION ALL
  SELECT "rowid" * 8 + 2, '0projects' || replace("tenant_id", '-', ''), "name", NULL FROM "projects"
  UNION ALL
  SELECT "rowid" * 8 + 3, '0tasks' || replace("tenant_id", '-', ''), "title", NULL FROM "tasks"
  UNION ALL
  SELECT "rowid" * 8 + 4, '0leads' || replace("tenant_id", '-', ''), "title", "contact_name" FROM "leads"
  UNION ALL
  SELECT "rowid" * 8 + 5, '0notes' || replace("tenant_id", '-', ''), "body", NULL FROM "notes";

CREATE VIRTUAL TABLE "search_fts" USING fts5(
  "scope", "label", "extra",
  content = 'search_source', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8', columnsize = 0
);

-- clients: name, email
CREATE TRIGGER "search_clients_insert" AFTER INSERT ON "clients" BEGIN
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 1, '0clients' || replace(NEW."tenant_id", '-', ''), NEW."name", NEW."email");
END;
CREATE TRIGGER "search_clients_delete" AFTER DELETE ON "clients" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 1, '0clients' || replace(OLD."tenant_id", '-', ''), OLD."name", OLD."email");
END;
CREATE TRIGGER "search_clients_update" AFTER UPDATE ON "clients"
  WHEN OLD."rowid" IS NOT NEW."rowid" OR OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."name" IS NOT NEW."name" OR OLD."email" IS NOT NEW."email" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 1, '0clients' || replace(OLD."tenant_id", '-', ''), OLD."name", OLD."email");
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 1, '0clients' || replace(NEW."tenant_id", '-', ''), NEW."name", NEW."email");
END;

-- projects: name
CREATE TRIGGER "search_projects_insert" AFTER INSERT ON "projects" BEGIN
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 2, '0projects' || replace(NEW."tenant_id", '-', ''), NEW."name", NULL);
END;
CREATE TRIGGER "search_projects_delete" AFTER DELETE ON "projects" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 2, '0projects' || replace(OLD."tenant_id", '-', ''), OLD."name", NULL);
END;
CREATE TRIGGER "search_projects_update" AFTER UPDATE ON "projects"
  WHEN OLD."rowid" IS NOT NEW."rowid" OR OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."name" IS NOT NEW."name" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 2, '0projects' || replace(OLD."tenant_id", '-', ''), OLD."name", NULL);
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 2, '0projects' || replace(NEW."tenant_id", '-', ''), NEW."name", NULL);
END;

-- tasks: title
CREATE TRIGGER "search_tasks_insert" AFTER INSERT ON "tasks" BEGIN
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 3, '0tasks' || replace(NEW."tenant_id", '-', ''), NEW."title", NULL);
END;
CREATE TRIGGER "search_tasks_delete" AFTER DELETE ON "tasks" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 3, '0tasks' || replace(OLD."tenant_id", '-', ''), OLD."title", NULL);
END;
CREATE TRIGGER "search_tasks_update" AFTER UPDATE ON "tasks"
  WHEN OLD."rowid" IS NOT NEW."rowid" OR OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."title" IS NOT NEW."title" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 3, '0tasks' || replace(OLD."tenant_id", '-', ''), OLD."title", NULL);
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 3, '0tasks' || replace(NEW."tenant_id", '-', ''), NEW."title", NULL);
END;

-- leads: title, contact_name
CREATE TRIGGER "search_leads_insert" AFTER INSERT ON "leads" BEGIN
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 4, '0leads' || replace(NEW."tenant_id", '-', ''), NEW."title", NEW."contact_name");
END;
CREATE TRIGGER "search_leads_delete" AFTER DELETE ON "leads" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 4, '0leads' || replace(OLD."tenant_id", '-', ''), OLD."title", OLD."contact_name");
END;
CREATE TRIGGER "search_leads_update" AFTER UPDATE ON "leads"
  WHEN OLD."rowid" IS NOT NEW."rowid" OR OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."title" IS NOT NEW."title" OR OLD."contact_name" IS NOT NEW."contact_name" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 4, '0leads' || replace(OLD."tenant_id", '-', ''), OLD."title", OLD."contact_name");
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 4, '0leads' || replace(NEW."tenant_id", '-', ''), NEW."title", NEW."contact_name");
END;

-- notes: body
CREATE TRIGGER "search_notes_insert" AFTER INSERT ON "notes" BEGIN
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 5, '0notes' || replace(NEW."tenant_id", '-', ''), NEW."body", NULL);
END;
CREATE TRIGGER "search_notes_delete" AFTER DELETE ON "notes" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 5, '0notes' || replace(OLD."tenant_id", '-', ''), OLD."body", NULL);
END;
CREATE TRIGGER "search_notes_update" AFTER UPDATE ON "notes"
  WHEN OLD."rowid" IS NOT NEW."rowid" OR OLD."tenant_id" IS NOT NEW."tenant_id" OR OLD."body" IS NOT NEW."body" BEGIN
  INSERT INTO "search_fts" ("search_fts", "rowid", "scope", "label", "extra")
  VALUES ('delete', OLD."rowid" * 8 + 5, '0notes' || replace(OLD."tenant_id", '-', ''), OLD."body", NULL);
  INSERT INTO "search_fts" ("rowid", "scope", "label", "extra")
  VALUES (NEW."rowid" * 8 + 5, '0notes' || replace(NEW."tenant_id", '-', ''), NEW."body", NULL);
END;

-- the rows that exist already
INSERT INTO "search_fts" ("search_fts") VALUES ('rebuild');
