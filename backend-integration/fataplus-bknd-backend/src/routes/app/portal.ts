/** The client portal's routes (documents and messages come with the portal issue). */
import { getPortalHome } from "@fataplus/domain";
import type { Hono } from "hono";
import { tenantCtx } from "../app-context.ts";
import { handle } from "./handler.ts";

export function registerPortalRoutes(server: Hono): void {
  server.get(
    "/api/app/portal/home",
    handle(async (c) => getPortalHome({ ctx: tenantCtx(c) })),
  );
}
