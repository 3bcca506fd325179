/**
 * TOTP as RFC 6238 defines it, with the otpauth library (decision 024): SHA-1, 6 digits, 30-second steps, a
 * code accepted one step early or late. Pure functions: the verbs (factor.ts) add the replay marker.
 */
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps before and after the current one whose code is still accepted. */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = "Fataplus";

function totpOf(secretBase32: string, label = ""): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), in base32 for people and apps. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export const totpUri = (secretBase32: string, email: string): string =>
  totpOf(secretBase32, email).toString();

/** The 30-second step of a moment (the TOTP counter). */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

/** The code of a moment (tests and the e2e journeys compute codes the way an app does). */
export const totpCode = (secretBase32: string, nowMs: number): string =>
  totpOf(secretBase32).generate({ timestamp: nowMs });

/** A code as people type it: spaces and dashes are ignored. */
export const normaliseCode = (code: string): string => code.replace(/[\s-]/g, "");

/**
 * The step a code belongs to, within the window around `nowMs`, or null when it matches none. otpauth's
 * `validate` answers the step difference (0 for the current step, so never test it for truthiness).
 */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | null {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : totpStep(nowMs) + delta;
}
