/**
 * Fataplus' own HTTP routes under /api/app/. The gate lets only signed-in callers through and hands each
 * handler the caller's access (../http/context.ts); handlers validate, call one domain verb and map errors.
 * One module per area; each registers its routes here.
 */
import type { AppServer } from "../http/context.ts";
import { registerBootcampRoutes } from "./bootcamp.ts";
import { registerCrmRoutes } from "./crm.ts";
import { registerIntakeAppRoutes } from "./intake-staff.ts";
import { registerPortalRoutes } from "./portal.ts";
import { registerTokenRoutes } from "./tokens.ts";

type Registrar = (server: AppServer) => void;

const areas: Registrar[] = [
  registerCrmRoutes,
  registerPortalRoutes,
  registerTokenRoutes,
  registerIntakeAppRoutes,
  registerBootcampRoutes,
];

export function registerAppRoutes(server: AppServer): void {
  for (const register of areas) register(server);
}
