-- Fataplus schema, part 30: a second-factor challenge remembers how the first factor was given ('password' or
-- 'sso', decision 024), so the session it opens is recorded with the right method on the account page (it was
-- always 'password', even after single sign-on).
ALTER TABLE "mfa_challenges" ADD COLUMN "method" TEXT NOT NULL DEFAULT 'password' CHECK ("method" IN ('password', 'sso'));
