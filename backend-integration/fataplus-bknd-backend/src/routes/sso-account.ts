/**
 * The signed-in person's provider links (decision 025), for the account page: which providers sign them in,
 * and removing one. Only the caller's own account is read or changed (the gate's identity, never an id from
 * the request); no tenant is involved.
 */
import { listSsoLinks, unlinkSsoProvider } from "@fataplus/domain";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, appAccess } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

const noStore = { "cache-control": "no-store" };

export function registerSsoAccountRoutes(server: AppServer): void {
  server.get("/api/app/account/sso", async (c: AppContext) => {
    try {
      const links = await listSsoLinks({ db: c.env.DB, userId: appAccess(c).identity.id });
      const providers = c.get("config").sso.map((p) => ({ id: p.id, label: p.label }));
      return c.json({ links, providers }, 200, noStore);
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
