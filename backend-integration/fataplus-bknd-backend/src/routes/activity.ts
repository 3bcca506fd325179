/**
 * The timeline of a client or a lead (decision 030), in the tenant the request names: the domain checks the
 * caller's role there and reads only that tenant's rows (and, for agency staff, the project the intake made).
 */
import { listTimeline } from "@fataplus/domain";
import { type AppServer, tenantCtx } from "../http/context.ts";
import { handle, param } from "../http/handler.ts";

export function registerActivityRoutes(server: AppServer): void {
  server.get(
    "/api/app/project/timeline/:subject/:id",
    handle(async (c) =>
      listTimeline({
        ctx: tenantCtx(c),
        input: {
          subject: param(c, "subject"),
          id: param(c, "id"),
          ...(c.req.query("before") ? { before: c.req.query("before") } : {}),
        },
      }),
    ),
  );
}
