/**
 * The signed-in person's provider links (decision 025), for the account page: which providers sign them in,
 * and removing one. Only the caller's own account is read or changed (the gate's identity, never an id from
 * the request); no tenant is involved.
 */
import { listSsoLinks, setSsoPolicy, staffSsoRequired, unlinkSsoProvider } from "@fataplus/domain";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, appAccess, identityCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

const noStore = { "cache-control": "no-store" };

export function registerSsoAccountRoutes(server: AppServer): void {
  registerSsoPolicyRoutes(server);
  server.get("/api/app/account/sso", async (c: AppContext) => {
    try {
      const links = await listSsoLinks({ db: c.env.DB, userId: appAccess(c).identity.id });
      const providers = c.get("config").sso.map((p) => ({ id: p.id, label: p.label }));
      const policy = { staffSsoRequired: await staffSsoRequired(c.env.DB) };
      return c.json({ links, providers, policy }, 200, noStore);
    } catch (err) {
      return toResponse(err);
    }
  });
  server.post("/api/app/account/sso/unlink", async (c: AppContext) => {
    try {
      const input = await readJsonBody(c.req.raw, { maxBytes: 1024 });
      const result = await unlinkSsoProvider({ db: c.env.DB, userId: appAccess(c).identity.id, input });
      return c.json(result, 200, noStore);
    } catch (err) {
      return toResponse(err);
    }
  });
}

/** The agency's sign-in policy (agency admins): require single sign-on for admins and staff. */
export function registerSsoPolicyRoutes(server: AppServer): void {
  server.post("/api/app/agency/sso-policy", async (c: AppContext) => {
    try {
      const input = await readJsonBody(c.req.raw, { maxBytes: 1024 });
      const result = await setSsoPolicy({
        ctx: identityCtx(c),
        input,
        providersConfigured: c.get("config").sso.length,
      });
      return c.json(result, 200, noStore);
    } catch (err) {
      return toResponse(err);
    }
  });
}
