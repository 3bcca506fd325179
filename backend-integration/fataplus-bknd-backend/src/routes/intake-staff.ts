/**
 * The intake's routes behind sign-in: staff read a lead with its analysis and proposal, edit and send the
 * proposal, accept or reject the lead (CRM); the client reads and answers the proposal (portal).
 */
import {
  type CrmCtx,
  decideLead,
  getIntakeLead,
  getPortalProposal,
  respondToProposal,
  sendProposal,
  updateProposal,
} from "@fataplus/domain";
import type { Context, Hono } from "hono";
import { appAccess, tenantCtx } from "../http/context.ts";
import { handle, jsonBody } from "../http/handler.ts";
import { runtimeEnv } from "../runtime.ts";
import { siteOrigin } from "./intake.ts";

const crmCtx = (c: Context): CrmCtx => ({
  db: runtimeEnv().DB,
  identity: appAccess(c).identity,
  now: () => new Date(),
});
const leadId = (c: Context) => c.req.param("id") ?? "";

export function registerIntakeAppRoutes(server: Hono): void {
  server.get(
    "/api/app/crm/leads/:id/intake",
    handle((c) => getIntakeLead({ ctx: crmCtx(c), input: { id: leadId(c) } })),
  );
  server.put(
    "/api/app/crm/leads/:id/proposal",
    handle(async (c) => ({
      proposal: await updateProposal({ ctx: crmCtx(c), input: { id: leadId(c), body: await jsonBody(c) } }),
    })),
  );
  server.post(
    "/api/app/crm/leads/:id/proposal/send",
    handle(async (c) => ({
      proposal: await sendProposal({
        ctx: crmCtx(c),
        input: { id: leadId(c), body: await jsonBody(c) },
        siteOrigin: siteOrigin(c),
      }),
    })),
  );
  server.post(
    "/api/app/crm/leads/:id/decision",
    handle(async (c) => decideLead({ ctx: crmCtx(c), input: { id: leadId(c), body: await jsonBody(c) } })),
  );
  server.get(
    "/api/app/portal/proposal",
    handle(async (c) => getPortalProposal({ ctx: tenantCtx(c) })),
  );
  server.post(
    "/api/app/portal/proposal/respond",
    handle(async (c) => respondToProposal({ ctx: tenantCtx(c), input: await jsonBody(c) })),
  );
}
