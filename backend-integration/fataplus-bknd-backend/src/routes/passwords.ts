/**
 * Passwords (docs/decisions/023-password-reset-and-strength.md): asking for a reset link, checking it, using it
 * (public: the link is the permission, PUBLIC_ROUTES lists them), and changing one's own password (signed in).
 * Each handler reads the body, calls one domain verb and maps its errors.
 */
import { changePassword, checkPasswordReset, requestPasswordReset, resetPassword } from "@fataplus/domain";
import type { App } from "bknd";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, appAccess, systemCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { clientIp, tenantRefOf } from "../http/request.ts";
import { issueSession } from "../http/sign-in.ts";

const readJson = async (c: AppContext) => (await readJsonBody(c.req.raw, { maxBytes: 16_384 })) ?? {};

/** The public routes of this module (each is in src/http/public-routes.ts: a test checks it). */
export const PASSWORD_PUBLIC_PATHS = [
  "/api/auth/reset/request",
  "/api/auth/reset/check",
  "/api/auth/reset/confirm",
] as const;

function answer(run: (c: AppContext) => Promise<object>) {
  return async (c: AppContext) => {
    try {
      return c.json(await run(c), 200, { "cache-control": "no-store" });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export function registerPasswordRoutes(server: AppServer, app: App): void {
  // The same answer whether or not the address has an account (the verb sees to it).
  server.post(
    "/api/auth/reset/request",
    answer(async (c) =>
      requestPasswordReset({
        ctx: systemCtx(c),
        input: await readJson(c),
        ip: clientIp(c),
        // The link goes back to the host the request came from: the site names a project's subdomain.
        site: { siteUrl: c.get("config").siteUrl, tenantRef: tenantRefOf(c) },
      }),
    ),
  );
  server.post(
    "/api/auth/reset/check",
    answer(async (c) => checkPasswordReset({ ctx: systemCtx(c), input: await readJson(c) })),
  );
  // No session is opened here: the person signs in on the sign-in page (the second factor, when there is one,
  // is asked there, and a link read on somebody else's device signs nobody in).
  server.post(
    "/api/auth/reset/confirm",
    answer(async (c) => resetPassword({ ctx: systemCtx(c), input: await readJson(c) })),
  );

  // Every session of the account ends; this device gets a fresh one so the person stays signed in here.
  server.post("/api/app/account/password", async (c) => {
    try {
      const identity = appAccess(c).identity;
      await changePassword({ ctx: systemCtx(c), identity, input: await readJson(c), ip: clientIp(c) });
      const { headers } = await issueSession(app, c, identity, { method: "password" });
      return c.json({ ok: true }, 200, Object.fromEntries(headers));
    } catch (err) {
      return toResponse(err);
    }
  });
}
