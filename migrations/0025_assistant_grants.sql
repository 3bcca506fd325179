-- Fataplus schema, part 25: assistants connected by URL (OAuth 2.1, docs/decisions/031-mcp-oauth.md).
-- A grant that a person approves on the consent page is backed by an access token row of kind 'assistant': the
-- same scope (read or write), the same projects and the same expiry as a personal token, so the gate and the MCP
-- tools enforce exactly what they enforce for personal tokens. `client_id` is the OAuth client the person
-- approved (its registered name is the row's name). The token's secret is never shown to anyone: it lives only
-- inside the grant, encrypted by the OAuth library with the assistant's own tokens.
ALTER TABLE "access_tokens" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'personal'
  CHECK ("kind" IN ('personal', 'assistant'));
ALTER TABLE "access_tokens" ADD COLUMN "client_id" TEXT
  CHECK (("kind" = 'personal' AND "client_id" IS NULL) OR ("kind" = 'assistant' AND length("client_id") BETWEEN 1 AND 200));
