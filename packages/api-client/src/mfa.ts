/**
 * The second factor (decision 024), for the site's server code: the password step that may answer a challenge
 * instead of a session, the challenge's second step, the account's own factor, and the agency's policy.
 */
import type { MfaPolicyView, MfaStatus } from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient, Credentials } from "./client";
import { type AuthUser, LoginResponseSchema, shaped } from "./schemas";

export type MfaChallengeAnswer = { challenge: string; step: "verify" | "enrol"; expires_at: string };
/** `POST /api/auth/login`: a session, or a second-factor challenge first. */
export type PasswordStep =
  | { kind: "session"; user: AuthUser; token: string; cookies: string[] }
  | { kind: "challenge"; mfa: MfaChallengeAnswer };

const ChallengeSchema = z.object({
  mfa: z.object({ challenge: z.string(), step: z.enum(["verify", "enrol"]), expires_at: z.string() }),
});

export type SecondFactorInput = { code: string } | { recoveryCode: string };

const StatusSchema = shaped<MfaStatus>(
  z.looseObject({
    enabled: z.boolean(),
    recoveryCodesLeft: z.number(),
    requiredAfter: z.string().nullable(),
  }),
);
const EnrolmentSchema = z.object({ secret: z.string(), uri: z.string() });
const PolicySchema = shaped<MfaPolicyView>(
  z.looseObject({ staffRequiredAfter: z.string().nullable(), notEnrolled: z.array(z.looseObject({})) }),
);

export function mfaApi(api: ApiClient) {
  const r = api.request;
  return {
    /** The password step: the session (with its Set-Cookie headers) or the challenge that comes first. */
    async passwordStep(credentials: Credentials): Promise<PasswordStep> {
      const { data, headers } = await api.send({
        method: "POST",
        path: "/api/auth/login",
        body: { email: credentials.email, password: credentials.password },
        schema: z.union([ChallengeSchema, LoginResponseSchema]),
      });
      if ("mfa" in data) return { kind: "challenge", mfa: data.mfa };
      return { kind: "session", user: data.user, token: data.token, cookies: headers.getSetCookie() };
    },
    /** `POST /api/auth/mfa/verify`: the session, and the recovery codes after an enrolment. */
    async verify(challenge: string, factor: SecondFactorInput) {
      const { data, headers } = await api.send({
        method: "POST",
        path: "/api/auth/mfa/verify",
        body: { challenge, ...factor },
        schema: z.object({
          token: z.string(),
          user: z.looseObject({ id: z.number() }),
          recoveryCodes: z.array(z.string()).optional(),
        }),
      });
      return {
        token: data.token,
        recoveryCodes: data.recoveryCodes ?? null,
        cookies: headers.getSetCookie(),
      };
    },
    /** `POST /api/auth/mfa/enrol`: the new secret of an 'enrol' challenge. */
    enrolChallenge: (challenge: string) =>
      r({ method: "POST", path: "/api/auth/mfa/enrol", body: { challenge }, schema: EnrolmentSchema }),
    /** `GET /api/app/account/mfa` */
    async status(): Promise<MfaStatus> {
      return (
        await r({ method: "GET", path: "/api/app/account/mfa", schema: z.object({ data: StatusSchema }) })
      ).data;
    },
    /** `GET /api/app/admin/mfa-policy` (agency admins) */
    async policy(): Promise<MfaPolicyView> {
      return (
        await r({
          method: "GET",
          path: "/api/app/admin/mfa-policy",
          schema: z.object({ data: PolicySchema }),
        })
      ).data;
    },
    /** `PUT /api/app/admin/mfa-policy` */
    async setPolicy(staffRequiredAfter: string | null): Promise<void> {
      await r({
        method: "PUT",
        path: "/api/app/admin/mfa-policy",
        body: { staff_required_after: staffRequiredAfter },
        schema: z.object({ data: z.looseObject({}) }),
      });
    },
  };
}
