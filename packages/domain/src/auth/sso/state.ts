/**
 * The sign-in in progress, between the start and the provider's return (decision 025): its `state`, `nonce`
 * and PKCE verifier, the provider, and where the person goes afterwards (language, page, project, invitation).
 * It travels in one short-lived HttpOnly cookie, encrypted and authenticated with a key derived from the
 * worker's JWT secret (jose's JWE, `dir` + A256GCM), so the browser can neither read the verifier nor change
 * where it lands; `exp` ends it after SSO_STATE_TTL_SECONDS whatever the cookie's own Max-Age says.
 */
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";
import { SSO_PROVIDERS, type SsoProviderId } from "./claims.ts";
import { ssoError } from "./provider.ts";

export const SSO_STATE_TTL_SECONDS = 600;
export const SSO_STATE_COOKIE = "fp_sso";

export type SsoState = {
  provider: SsoProviderId;
  state: string;
  nonce: string;
  verifier: string;
  lang: "fr" | "en";
  /** A same-site path to land on, or null. */
  next: string | null;
  /** The project subdomain the sign-in started from (its session is handed off there), or null. */
  portal: string | null;
  /** The invitation token the sign-in started from, or null. */
  invitation: string | null;
};

const stateSchema = z.object({
  provider: z.enum(SSO_PROVIDERS),
  state: z.string().min(20).max(100),
  nonce: z.string().min(20).max(100),
  verifier: z.string().min(43).max(128),
  lang: z.enum(["fr", "en"]),
  next: z.string().max(500).nullable(),
  portal: z.string().max(63).nullable(),
  invitation: z.string().max(200).nullable(),
});

const keys = new Map<string, Promise<Uint8Array>>();
function keyOf(secret: string): Promise<Uint8Array> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(`fataplus sso state\u0000${secret}`))
      .then((d) => new Uint8Array(d));
    keys.set(secret, key);
  }
  return key;
}

export async function sealSsoState(state: SsoState, secret: string, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ ...state })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + SSO_STATE_TTL_SECONDS)
    .encrypt(await keyOf(secret));
}

const expired = () =>
  ssoError("UNAUTHENTICATED", "state", "This sign-in has expired or was started elsewhere. Start again.");

/** The sign-in a cookie carries, or the "state" failure (missing, tampered with, expired, unreadable). */
export async function openSsoState(sealed: string | undefined, secret: string, now: Date): Promise<SsoState> {
  if (!sealed || sealed.length > 4096) throw expired();
  try {
    const { payload } = await jwtDecrypt(sealed, await keyOf(secret), {
      currentDate: now,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
      requiredClaims: ["exp"],
    });
    const parsed = stateSchema.safeParse(payload);
    if (!parsed.success) throw expired();
    return parsed.data;
  } catch {
    throw expired();
  }
}
