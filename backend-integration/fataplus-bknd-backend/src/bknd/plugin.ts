/**
 * The Fataplus bknd plugin: registers CORS, the tenant gate and our own routes ahead of bknd's routes.
 * onServerInit runs several times per build, so registration is idempotent and synchronous.
 */
import type { App, AppPlugin } from "bknd";
import { type AppServer, withConfig } from "../http/context.ts";
import { cors } from "../http/cors.ts";
import { registerMcpRoutes } from "../mcp/route.ts";
import { registerAuthRoutes } from "../routes/auth.ts";
import { registerBootcampPublicRoutes } from "../routes/bootcamp-public.ts";
import { registerFileRoutes } from "../routes/files.ts";
import { registerAppRoutes } from "../routes/index.ts";
import { registerIntakeRoutes } from "../routes/intake.ts";
import { registerPublicRoutes } from "../routes/public.ts";
import { createGate } from "./gate/index.ts";

export const GATE_PLUGIN_NAME = "fataplus-tenant-gate";

export function fataplusPlugin(): AppPlugin {
  return (app: App) => {
    const done = new WeakSet<object>();
    return {
      name: GATE_PLUGIN_NAME,
      onServerInit: (server) => {
        if (done.has(server)) return;
        done.add(server);
        // bknd types its server loosely; our routes see the Worker's Env and our variables (src/http/context.ts).
        const s = server as unknown as AppServer;
        s.use("*", withConfig);
        s.use("*", cors);
        s.use("*", createGate(app));
        registerPublicRoutes(s);
        registerBootcampPublicRoutes(s);
        registerAuthRoutes(s, app);
        registerIntakeRoutes(s);
        registerAppRoutes(s);
        registerFileRoutes(s); // signed download links of the portal
        registerMcpRoutes(s); // /api/system/mcp: ours, ahead of (and instead of) bknd's
      },
    };
  };
}
