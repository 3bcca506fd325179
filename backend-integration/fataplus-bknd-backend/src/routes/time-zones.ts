/**
 * Time zone settings (decision 030): the caller's own zone (their account only: the gate's identity, never an
 * id from the request) and the agency's (agency admins). No tenant is involved; the domain writes the audit row.
 */
import { setAgencyTimeZone, setMyTimeZone, timeZoneView } from "@fataplus/domain";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, appAccess, identityCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

const noStore = { "cache-control": "no-store" };

export function registerTimeZoneRoutes(server: AppServer): void {
  server.get("/api/app/account/time-zone", async (c: AppContext) => {
    try {
      return c.json(await timeZoneView(c.env.DB, appAccess(c).identity.id), 200, noStore);
    } catch (err) {
      return toResponse(err);
    }
  });
  server.put("/api/app/account/time-zone", async (c: AppContext) => {
    try {
      const input = await readJsonBody(c.req.raw, { maxBytes: 1024 });
      return c.json(await setMyTimeZone({ ctx: identityCtx(c), input }), 200, noStore);
    } catch (err) {
      return toResponse(err);
    }
  });
  server.put("/api/app/agency/time-zone", async (c: AppContext) => {
    try {
      const input = await readJsonBody(c.req.raw, { maxBytes: 1024 });
      return c.json(await setAgencyTimeZone({ ctx: identityCtx(c), input }), 200, noStore);
    } catch (err) {
      return toResponse(err);
    }
  });
}
