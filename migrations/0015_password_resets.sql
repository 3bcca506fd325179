-- Fataplus schema, part 15: password reset links (docs/decisions/023-password-reset-and-strength.md).
--
-- One row per reset link: only the SHA-256 of its token is kept (the token itself is in the e-mail only), it is
-- valid 30 minutes, used once (`used_at`), and a new request for the same account deletes the older rows, so
-- only the latest link works. Global, not tenant-owned: an account is not a tenant's; never exported with a
-- tenant (it is a secret, like sessions).
CREATE TABLE "password_resets" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "user_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "token_hash" TEXT NOT NULL CHECK (length("token_hash") = 64),
  "expires_at" TEXT NOT NULL,
  "used_at" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "idx_unique_password_resets_token_hash" ON "password_resets" ("token_hash");
CREATE INDEX "idx_password_resets_user_id" ON "password_resets" ("user_id");
CREATE INDEX "idx_password_resets_expires_at" ON "password_resets" ("expires_at");
