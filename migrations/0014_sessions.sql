-- Fataplus schema, part 14: one row per session, so that signing out ends this device only (decision 022).
--
-- Global (owned by a user). The session token (bknd's JWT) carries the row's id as `sid`; every gated request
-- reads the row in the same statement as the user (packages/domain/src/auth/identity.ts), so a session ended
-- here stops working at once, whatever the token's expiry. `expires_at` is the absolute end (30 days after the
-- sign-in, even while the cookie keeps being renewed). `mfa` says whether a second factor was checked for it;
-- a hand-off carries it over to the session it opens on a project's subdomain (auth_handoffs.mfa).
-- The device fields (user agent, address, host) are what the owner sees in "where you are signed in"; rows go
-- away 30 days after they ended.
CREATE TABLE "sessions" (
  "id" TEXT NOT NULL PRIMARY KEY CHECK (length("id") BETWEEN 16 AND 64),
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "method" TEXT NOT NULL CHECK ("method" IN ('password', 'handoff', 'sso', 'reset', 'invitation')),
  "mfa" INTEGER NOT NULL DEFAULT 0 CHECK ("mfa" IN (0, 1)),
  "host" TEXT CHECK (length("host") <= 255),
  "user_agent" TEXT CHECK (length("user_agent") <= 256),
  "ip" TEXT CHECK (length("ip") <= 64),
  "created_at" TEXT NOT NULL,
  "expires_at" TEXT NOT NULL,
  "revoked_at" TEXT,
  "revoked_reason" TEXT CHECK ("revoked_reason" IN ('signed_out', 'ended', 'everywhere', 'account')),
  CHECK (("revoked_at" IS NULL) = ("revoked_reason" IS NULL))
);
CREATE INDEX "idx_sessions_user_id_created_at" ON "sessions" ("user_id", "created_at");

ALTER TABLE "auth_handoffs" ADD COLUMN "mfa" INTEGER NOT NULL DEFAULT 0 CHECK ("mfa" IN (0, 1));

-- The session rows replace 0004's per-user cut-off (which signed every device out at once): gone.
ALTER TABLE "users" DROP COLUMN "sessions_valid_after";
