/**
 * The Fataplus bknd plugin: registers CORS, the tenant gate and our own routes ahead of bknd's routes.
 * onServerInit runs several times per build, so registration is idempotent and synchronous.
 */
import type { App, AppPlugin } from "bknd";
import { type AppServer, withConfig } from "../http/context.ts";
import { cors } from "../http/cors.ts";
import { registerMcpRoutes } from "../mcp/route.ts";
import { registerRoutes } from "../routes/index.ts";
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
        registerRoutes(s, app); // src/routes/: every area, public and signed-in
        registerMcpRoutes(s); // /api/system/mcp: ours, ahead of (and instead of) bknd's
      },
    };
  };
}
