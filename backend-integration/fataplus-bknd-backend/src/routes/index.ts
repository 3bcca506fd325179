/**
 * Every route area of the worker, registered in one place (src/bknd/plugin.ts calls `registerRoutes`). Each area
 * is one module: the public routes it answers without a session (listed for the gate in
 * src/http/public-routes.ts) and its /api/app/ routes, where the gate lets only signed-in callers through and
 * hands each handler the caller's access (src/http/context.ts). Handlers read the request, call one domain
 * verb and map errors; areas import the domain and http/, never each other.
 */
import type { App } from "bknd";
import type { AppServer } from "../http/context.ts";
import { registerActivityRoutes } from "./activity.ts";
import { registerAuthRoutes } from "./auth.ts";
import { registerBootcampPublicRoutes, registerBootcampRoutes } from "./bootcamp.ts";
import { registerCrmRoutes } from "./crm.ts";
import { registerIntakeAppRoutes, registerIntakeRoutes } from "./intake.ts";
import { registerMfaRoutes, registerMfaSignInRoutes } from "./mfa.ts";
import { registerMoneyRoutes, registerPaymentWebhooks } from "./money.ts";
import { registerNotificationRoutes, registerUnsubscribeRoutes } from "./notifications.ts";
import { registerOAuthRoutes } from "./oauth.ts";
import { registerPasswordRoutes } from "./passwords.ts";
import { registerFileRoutes, registerPortalRoutes } from "./portal.ts";
import { registerPublicRoutes } from "./public.ts";
import { registerSsoRoutes } from "./sso.ts";
import { registerSsoAccountRoutes } from "./sso-account.ts";
import { registerTeamRoutes } from "./team.ts";
import { registerTimeZoneRoutes } from "./time-zones.ts";
import { registerTokenRoutes } from "./tokens.ts";
import { registerUsageRoutes } from "./usage.ts";

type Registrar = (server: AppServer) => void;

/** The areas' routes that need no session (each is in PUBLIC_ROUTES; src/routes/public-routes.test.ts checks). */
const publicAreas: Registrar[] = [
  registerPublicRoutes,
  registerBootcampPublicRoutes,
  registerIntakeRoutes,
  registerFileRoutes, // signed download links of the portal
  registerUnsubscribeRoutes, // notification e-mails' signed unsubscribe links
  registerPaymentWebhooks, // payment providers' callbacks (signed)
];

/** The areas' /api/app/ routes (the cross-tenant matrix, src/routes/isolation.matrix.test.ts, covers each). */
const appAreas: Registrar[] = [
  registerCrmRoutes,
  registerPortalRoutes,
  registerTokenRoutes,
  registerOAuthRoutes,
  registerIntakeAppRoutes,
  registerBootcampRoutes,
  registerSsoAccountRoutes,
  registerMfaRoutes,
  registerTeamRoutes,
  registerUsageRoutes,
  registerNotificationRoutes,
  registerMoneyRoutes,
  registerTimeZoneRoutes,
  registerActivityRoutes,
];

export function registerPublicAreaRoutes(server: AppServer): void {
  for (const register of publicAreas) register(server);
}

export function registerAppRoutes(server: AppServer): void {
  for (const register of appAreas) register(server);
}

/** Every route of every area, ahead of bknd's own (the auth routes replace some of bknd's). */
export function registerRoutes(server: AppServer, app: App): void {
  registerPublicAreaRoutes(server);
  registerAuthRoutes(server, app);
  registerPasswordRoutes(server, app);
  registerSsoRoutes(server, app);
  registerMfaSignInRoutes(server, app);
  registerAppRoutes(server);
}
