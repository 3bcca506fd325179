/** Personal access tokens' limits, scopes and input schemas. */
import { z } from "zod";

export const TOKEN_PREFIX = "fpat_";
/** `fpat_` + 32 random bytes in base64url (43 characters). */
export const TOKEN_PATTERN = /^fpat_[A-Za-z0-9_-]{43}$/;
export const MAX_TOKEN_DAYS = 365;
export const MAX_ACTIVE_TOKENS_PER_USER = 50;
/** Requests per token per window (every MCP request counts: initialize, list, call). */
export const TOKEN_RATE_LIMIT = { windowSeconds: 60, maxRequests: 120 } as const;

export const tokenScopes = ["read", "write"] as const;
export type TokenScope = (typeof tokenScopes)[number];

const tenantRefSchema = z.string().trim().min(2).max(63);

/** What a token may do and for how long: the same for a personal token and a connected assistant's. */
const grantFields = {
  expires_in_days: z
    .number({ message: "must be a number of days" })
    .int()
    .min(1)
    .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS} days`),
  scope: z.enum(tokenScopes).default("read"),
  /** "all" (every tenant the user can open, now and later) or a list of subdomains / FP- ids. */
  tenants: z.union([z.literal("all"), z.array(tenantRefSchema).min(1).max(100)]),
};

export const createTokenInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  ...grantFields,
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

/**
 * What a person approves on the consent page for an assistant that connects by URL (decision 031): the same
 * projects, scope and lifetime as a personal token, for the OAuth client it names.
 */
export const connectAssistantInput = z.strictObject({
  client_id: z.string().trim().min(1).max(200),
  /** The client's registered name, as the consent page showed it (shortened to fit). */
  client_name: z
    .string()
    .transform((v) => v.replace(/\s+/g, " ").trim().slice(0, 100) || "Assistant")
    .pipe(z.string().min(1).max(100)),
  ...grantFields,
});
export type ConnectAssistantInput = z.input<typeof connectAssistantInput>;

export const revokeTokenInput = z.strictObject({ id: z.uuid({ message: "must be a token id" }) });
