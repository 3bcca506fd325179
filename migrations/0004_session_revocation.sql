-- Fataplus schema, part 4: signing out ends the session on the server too.
-- A session token (bknd's JWT) issued at or before `sessions_valid_after` (epoch ms) is refused, whatever its
-- expiry: signing out sets it to now, so a copied cookie or token stops working at once (every device of the
-- user signs out). Personal access tokens for agents are separate and revoked one by one.
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" INTEGER NOT NULL DEFAULT 0;
