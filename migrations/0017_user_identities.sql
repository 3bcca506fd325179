-- Single sign-on (docs/decisions/025-sso.md): which provider account signs in which Fataplus account.
-- One row per (provider, subject): the provider's stable id of the person (`sub` of its ID tokens), so a later
-- sign-in matches on it and not only on the address. `email` is the verified address it was linked with (shown
-- on the account page). Not tenant-owned (users are global), never in a tenant's export; removed with the
-- account (cascade) or by the person, one provider at a time. The sign-in in progress (state, nonce, PKCE
-- verifier) is not stored here: it lives ten minutes in an encrypted HttpOnly cookie.
CREATE TABLE "user_identities" (
  "provider" TEXT NOT NULL CHECK ("provider" IN ('google', 'microsoft')),
  "subject" TEXT NOT NULL CHECK (length("subject") BETWEEN 1 AND 255),
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "email" TEXT NOT NULL CHECK ("email" = lower("email")),
  "created_at" TEXT NOT NULL,
  "last_used_at" TEXT NOT NULL,
  PRIMARY KEY ("provider", "subject")
);
CREATE INDEX "idx_user_identities_user_id" ON "user_identities" ("user_id");

-- The agency's sign-in policy (one row): when `staff_sso_required` is 1, agency admins and staff may not sign in
-- with a password, only through a configured provider (decision 025). Turned on by an admin who has a linked
-- provider (so nobody locks the agency out from a password session).
CREATE TABLE "sso_policy" (
  "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
  "staff_sso_required" INTEGER NOT NULL DEFAULT 0 CHECK ("staff_sso_required" IN (0, 1)),
  "updated_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "updated_at" TEXT NOT NULL
);
