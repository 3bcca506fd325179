/**
 * Which address a provider vouches for (decision 025). An address decides who signs in, so only one the
 * provider says it verified counts; anything else is null, and the sign-in can then only match an existing
 * link (the provider's subject).
 *
 * - Google: `email` when `email_verified` is true.
 * - Microsoft Entra ID: its ID tokens carry no `email_verified`, and an organisation's admin can set any
 *   `email` on a user (the "nOAuth" class of takeovers). The address counts when the token says
 *   `xms_edov: true` (the optional claim "email domain owner verified": the tenant proved it owns the
 *   address's domain; the app registration must request it, with `email`), or when the token is from the
 *   personal Microsoft accounts tenant (9188040d-…), where Microsoft itself verified the address. An
 *   `email_verified: true`, should Microsoft send one, counts too.
 */
import type { JWTPayload } from "jose";
import { emailAddress } from "../../kernel/schemas.ts";

export const SSO_PROVIDERS = ["google", "microsoft"] as const;
export type SsoProviderId = (typeof SSO_PROVIDERS)[number];

export const isSsoProviderId = (v: string): v is SsoProviderId =>
  (SSO_PROVIDERS as readonly string[]).includes(v);

/** The tenant of personal Microsoft accounts (outlook.com, hotmail.com…). */
export const MICROSOFT_CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

export function verifiedEmailOf(provider: SsoProviderId, claims: JWTPayload): string | null {
  const email = emailAddress().safeParse(claims.email);
  if (!email.success) return null;
  const verified =
    claims.email_verified === true ||
    (provider === "microsoft" && (claims.xms_edov === true || claims.tid === MICROSOFT_CONSUMER_TENANT));
  return verified ? email.data : null;
}
