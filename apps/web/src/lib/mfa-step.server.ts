/**
 * The second step of a sign-in with two-step verification (decision 024), on the sign-in page itself (no
 * JavaScript needed): the password was right and the API answered a challenge. 'verify': a code from the app
 * or a recovery code; 'enrol' (agency staff past the grace period): the QR code (SVG made here, uqr) and the key
 * in text, then the first code, after which the recovery codes are shown once and the session starts.
 */
import { type ApiClient, isApiError, type MfaChallengeAnswer, mfaApi } from "@fataplus/api-client";
import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";
import { mfaT } from "../i18n/mfa";
import type { Lang } from "../i18n/ui";

export type MfaStepState =
  | { kind: "verify"; challenge: string; useRecovery: boolean }
  | { kind: "enrol"; challenge: string; secret: string; email: string; qrSvg: string }
  | { kind: "codes"; codes: string[]; continueTo: string; cookies: string[] };

/** The QR code of an `otpauth://` URI, as an SVG document (no script, no external reference). */
export const qrSvg = (uri: string): string => renderSVG(uri, { border: 2, ecc: "M" });

/** The `otpauth://` URI of the key, as the API makes it (SHA-1, 6 digits, 30 s; decision 024). */
const totpUri = (secret: string, email: string): string =>
  new TOTP({
    issuer: "Fataplus",
    label: email,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  }).toString();

const enrolState = (challenge: string, secret: string, email: string): MfaStepState => ({
  kind: "enrol",
  challenge,
  secret,
  email,
  qrSvg: qrSvg(totpUri(secret, email)),
});

/** What the page shows right after a right password that needs a second factor. */
export async function firstMfaStep(
  visitor: ApiClient,
  mfa: MfaChallengeAnswer,
  email: string,
): Promise<MfaStepState> {
  if (mfa.step === "verify") return { kind: "verify", challenge: mfa.challenge, useRecovery: false };
  const { secret } = await mfaApi(visitor).enrolChallenge(mfa.challenge);
  return enrolState(mfa.challenge, secret, email);
}

export type SecondStepOutcome =
  | { session: { token: string; cookies: string[] }; recoveryCodes: string[] | null }
  | { error: string; status: number; email: string; mfa?: MfaStepState };

const field = (data: FormData, name: string, max: number) => String(data.get(name) ?? "").slice(0, max);

/** The second step's POST: the session, or the same step again with a readable error. */
export async function secondStep(
  data: FormData,
  visitor: ApiClient,
  email: string,
  lang: Lang,
): Promise<SecondStepOutcome> {
  const m = mfaT(lang);
  const challenge = field(data, "challenge", 200);
  const kind = field(data, "kind", 10) === "enrol" ? "enrol" : "verify";
  const useRecovery = kind === "verify" && field(data, "mode", 10) === "recovery";
  const code = field(data, useRecovery ? "recoveryCode" : "code", 40).trim();
  const secret = field(data, "secret", 64);
  // the key comes back from the page's own hidden field; anything else is a form that was not ours
  if (kind === "enrol" && !/^[A-Z2-7]{16,64}$/.test(secret)) {
    return { error: m("step.expired"), status: 400, email };
  }
  const again: MfaStepState =
    kind === "enrol" ? enrolState(challenge, secret, email) : { kind: "verify", challenge, useRecovery };
  if (!challenge) return { error: m("step.expired"), status: 401, email };
  if (!code) return { error: m("step.invalid"), status: 400, email, mfa: again };
  try {
    const done = await mfaApi(visitor).verify(challenge, useRecovery ? { recoveryCode: code } : { code });
    return { session: { token: done.token, cookies: done.cookies }, recoveryCodes: done.recoveryCodes };
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 429) {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
      return { error: m("step.locked", { minutes }), status: 429, email, mfa: again };
    }
    if (error.status === 401 && /expired|already used|sign in again/i.test(error.message)) {
      return { error: m("step.expired"), status: 401, email };
    }
    if (error.status === 400 || error.status === 401 || error.status === 422) {
      return { error: m("step.wrong"), status: 401, email, mfa: again };
    }
    if (error.status === 409) return { error: m("step.expired"), status: 409, email };
    throw error;
  }
}
