-- Fataplus schema, part 16: the second factor (TOTP), recovery codes, sign-in challenges and the agency's
-- MFA policy (docs/decisions/024-mfa.md). All global auth data like users: no tenant_id, never exported with a
-- tenant (secrets), and not exposed through bknd's data API.

-- One authenticator per user. `secret_enc` is the TOTP secret sealed with AES-GCM under a key derived from the
-- worker's MFA_SECRET (base64url of iv ‖ ciphertext ‖ tag, the user's id as additional data): a copy of the
-- database alone does not give the codes. 'pending' between "show the QR code" and the first valid code;
-- 'active' afterwards. `last_step` is the 30-second step of the last code accepted: a code whose step is not
-- greater is refused, so no code works twice.
CREATE TABLE "user_totp" (
  "user_id" INTEGER NOT NULL PRIMARY KEY REFERENCES "users" ("id") ON DELETE CASCADE,
  "secret_enc" TEXT NOT NULL,
  "status" TEXT NOT NULL CHECK ("status" IN ('pending', 'active')),
  "last_step" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL,
  "enabled_at" TEXT
);

-- Ten single-use recovery codes per user, stored as SHA-256 of the normalised code; regenerating deletes them.
CREATE TABLE "user_recovery_codes" (
  "code_hash" TEXT NOT NULL,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "used_at" TEXT,
  "created_at" TEXT NOT NULL,
  PRIMARY KEY ("user_id", "code_hash")
);

-- "The password was right, now the second factor": random, stored hashed, valid 5 minutes, used once, at most
-- 5 codes tried. kind 'verify': the user has TOTP; 'enrol': staff past the grace period who must enrol first.
CREATE TABLE "mfa_challenges" (
  "challenge_hash" TEXT NOT NULL PRIMARY KEY,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL CHECK ("kind" IN ('verify', 'enrol')),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "expires_at" TEXT NOT NULL,
  "used_at" TEXT
);
CREATE INDEX "idx_mfa_challenges_expires_at" ON "mfa_challenges" ("expires_at");
CREATE INDEX "idx_mfa_challenges_user_id" ON "mfa_challenges" ("user_id");

-- The agency's account policy: one row. After `mfa_staff_required_after`, agency admins and staff without
-- TOTP must enrol when they sign in; before it, the account page reminds them of the date.
CREATE TABLE "auth_policy" (
  "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
  "mfa_staff_required_after" TEXT,
  "updated_at" TEXT NOT NULL,
  "updated_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL
);
