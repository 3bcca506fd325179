-- Fataplus schema, part 19: time zones. Times are stored in UTC and shown in the reader's time zone: the
-- person's own (`users.time_zone`, an IANA name such as 'Indian/Antananarivo'; NULL follows the agency's), else
-- the agency's (`agency_settings`, one row; Antananarivo until an admin changes it). zod checks the name against
-- the runtime's time zone database (packages/domain/src/kernel/time.ts); SQL only bounds its length.
ALTER TABLE "users" ADD COLUMN "time_zone" TEXT CHECK ("time_zone" IS NULL OR length("time_zone") BETWEEN 1 AND 64);

CREATE TABLE "agency_settings" (
  "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
  "time_zone" TEXT NOT NULL DEFAULT 'Indian/Antananarivo' CHECK (length("time_zone") BETWEEN 1 AND 64),
  "updated_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "updated_at" TEXT NOT NULL
);
