/**
 * The bknd app in code mode: the schema comes from ./schema.ts (which mirrors /migrations), bknd never syncs
 * it, and every request passes through the Fataplus plugin (CORS, tenant gate, our auth routes).
 */
import type { CloudflareBkndConfig } from "bknd/adapter/cloudflare";
import { code } from "bknd/modes";
import { parseConfig } from "../config.ts";
import { fataplusPlugin } from "./plugin.ts";
import { schema } from "./schema/entities.ts";

const memberPermissions = [
  "system.access.api",
  "system.mcp",
  "system.openapi",
  "data.entity.read",
  "data.entity.create",
  "data.entity.update",
  "data.entity.delete",
];

export const bkndConfig = code<CloudflareBkndConfig<Env>>({
  app: (env: Env) => {
    const cfg = parseConfig(env);
    return {
      config: {
        data: schema.toJSON(),
        auth: {
          enabled: true,
          allow_register: false,
          entity_name: "users",
          jwt: {
            secret: cfg.jwtSecret,
            alg: "HS256",
            expires: 3600,
            issuer: "fataplus",
            // sid names the session's row: signing out ends that row, and the gate reads it (decision 022).
            fields: ["id", "email", "role", "sid"],
          },
          cookie: {
            httpOnly: true,
            secure: true,
            sameSite: "lax",
            expires: 3600,
            renew: true,
            pathSuccess: "/admin",
            pathLoggedOut: "/admin/auth/login",
          },
          guard: { enabled: true },
          roles: {
            admin: { implicit_allow: true },
            staff: { permissions: memberPermissions },
            member: { is_default: true, permissions: memberPermissions },
          },
        },
        server: {
          cors: {
            origin: cfg.origins.find((o) => !o.includes("*")) ?? "https://fata.plus",
            allow_credentials: true,
            allow_methods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers: ["Content-Type", "Authorization", "Accept", "X-Fataplus-Tenant", "Mcp-Session-Id"],
          },
          // bknd's stock MCP tools are off for everyone; /api/system/mcp is the Fataplus server (decision 006)
          mcp: { enabled: false, path: "/api/system/mcp" },
        },
        media: { enabled: false },
      },
      options: {
        plugins: [fataplusPlugin()],
        // code mode in production skips config validation and then crashed on the first request (stack-recipes)
        manager: { skipValidation: false },
      },
    };
  },
  bindings: (env: Env) => ({ db: env.DB }),
  isProduction: true, // never let bknd sync (and drop) the schema: the migrations own it
  syncSchema: false,
  adminOptions: { adminBasepath: "/admin" },
  registerMedia: false,
});
