/**
 * The second factor (decision 024).
 * Sign-in (public: the challenge that a right password earned is the permission):
 *   POST /api/auth/mfa/verify   { challenge, code | recoveryCode } → the session (Set-Cookie, token), and for an
 *                               'enrol' challenge the ten recovery codes, shown once
 *   POST /api/auth/mfa/enrol    { challenge } → { secret, uri } for an 'enrol' challenge (staff past the grace period)
 * The signed-in person's own factor (never anyone else's: the user is the session's):
 *   GET  /api/app/account/mfa                     status, recovery codes left, the agency's deadline if it applies
 *   POST /api/app/account/mfa/totp                start enrolment → 201 { secret, uri } (shown this once)
 *   POST /api/app/account/mfa/totp/confirm        { code } → { recoveryCodes } (TOTP is on)
 *   POST /api/app/account/mfa/recovery-codes      { code } → { recoveryCodes } (the old ones stop working)
 *   POST /api/app/account/mfa/disable             { password, code | recoveryCode }
 * The agency's policy (agency admins only):
 *   GET  /api/app/admin/mfa-policy                the deadline and the admins and staff who have not enrolled
 *   PUT  /api/app/admin/mfa-policy                { staff_required_after: "YYYY-MM-DD" | null }
 */
import {
  completeChallenge,
  confirmTotpEnrolment,
  disableTotp,
  mfaPolicyView,
  mfaStatus,
  publicIdentity,
  regenerateRecoveryCodes,
  setMfaPolicy,
  startChallengeEnrolment,
  startTotpEnrolment,
} from "@fataplus/domain";
import type { App } from "bknd";
import { mfaSecret } from "../config.ts";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, identityCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { handle, jsonBody } from "../http/handler.ts";
import { clientIp } from "../http/request.ts";
import { issueSession } from "../http/sign-in.ts";

const mfaCtx = (c: AppContext) => ({
  db: c.env.DB,
  now: () => new Date(),
  secret: mfaSecret(c.get("config")),
});
const accountCtx = (c: AppContext) => ({ ...identityCtx(c), secret: mfaSecret(c.get("config")) });
const readJson = (c: AppContext) => readJsonBody(c.req.raw, { maxBytes: 16_384 });

export function registerMfaSignInRoutes(server: AppServer, app: App): void {
  server.post("/api/auth/mfa/verify", async (c) => {
    try {
      const { identity, method, recoveryCodes } = await completeChallenge({
        ctx: mfaCtx(c),
        input: await readJson(c),
        ip: clientIp(c),
      });
      const { token, headers } = await issueSession(app, c, identity, { method, mfa: true });
      return c.json(
        { user: publicIdentity(identity), token, ...(recoveryCodes ? { recoveryCodes } : {}) },
        200,
        Object.fromEntries(headers),
      );
    } catch (err) {
      return toResponse(err);
    }
  });
  server.post("/api/auth/mfa/enrol", async (c) => {
    try {
      const data = await startChallengeEnrolment({ ctx: mfaCtx(c), input: await readJson(c) });
      return c.json(data, 200, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  });
}

export function registerMfaRoutes(server: AppServer): void {
  server.get(
    "/api/app/account/mfa",
    handle(async (c) => ({ data: await mfaStatus({ ctx: identityCtx(c) }) })),
  );
  server.post(
    "/api/app/account/mfa/totp",
    handle(async (c) => ({ data: await startTotpEnrolment({ ctx: accountCtx(c) }) }), 201),
  );
  server.post(
    "/api/app/account/mfa/totp/confirm",
    handle(async (c) => ({
      data: await confirmTotpEnrolment({ ctx: accountCtx(c), input: await jsonBody(c), ip: clientIp(c) }),
    })),
  );
  server.post(
    "/api/app/account/mfa/recovery-codes",
    handle(async (c) => ({
      data: await regenerateRecoveryCodes({ ctx: accountCtx(c), input: await jsonBody(c), ip: clientIp(c) }),
    })),
  );
  server.post(
    "/api/app/account/mfa/disable",
    handle(async (c) => ({
      data: await disableTotp({ ctx: accountCtx(c), input: await jsonBody(c), ip: clientIp(c) }),
    })),
  );
  server.get(
    "/api/app/admin/mfa-policy",
    handle(async (c) => ({ data: await mfaPolicyView({ ctx: identityCtx(c) }) })),
  );
  server.put(
    "/api/app/admin/mfa-policy",
    handle(async (c) => ({ data: await setMfaPolicy({ ctx: identityCtx(c), input: await jsonBody(c) }) })),
  );
}
