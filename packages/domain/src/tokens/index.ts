/**
 * Personal access tokens: how an AI agent acts for its user over MCP (docs/decisions/006-mcp.md).
 *
 *  - a token has a name, an expiry (at most a year), a scope (`read` by default, `write` by explicit choice)
 *    and covers some or all of its user's tenants;
 *  - the secret (`fpat_` + 43 random characters) is shown once; the database keeps its SHA-256;
 *  - it is revocable, and its last use is recorded;
 *  - it never grants more than its user has: the user and its membership are re-read on every call, so a
 *    disabled account or a lost membership takes effect at once;
 *  - calls are counted per token (the rate-limiting binding, no database write) and refused past the limit.
 */
export * from "./authenticate.ts";
export * from "./manage.ts";
export type { TokenKind, TokenTenant, TokenView } from "./rows.ts";
export * from "./schemas.ts";
