/**
 * The intake's routes behind sign-in: staff read a lead with its analysis and proposal, edit and send the
 * proposal, accept or reject the lead (CRM); the client reads and answers the proposal (portal).
 */
import {
  decideLead,
  getIntakeLead,
  getPortalProposal,
  respondToProposal,
  sendProposal,
  updateProposal,
} from "@fataplus/domain";
import { type AppContext, type AppServer, identityCtx, tenantCtx } from "../http/context.ts";
import { handle, jsonBody } from "../http/handler.ts";
import { siteOrigin } from "./intake.ts";

const leadId = (c: AppContext) => c.req.param("id") ?? "";

export function registerIntakeAppRoutes(server: AppServer): void {
  server.get(
    "/api/app/crm/leads/:id/intake",
    handle((c) => getIntakeLead({ ctx: identityCtx(c), input: { id: leadId(c) } })),
  );
  server.put(
    "/api/app/crm/leads/:id/proposal",
    handle(async (c) => ({
      proposal: await updateProposal({
        ctx: identityCtx(c),
        input: { id: leadId(c), body: await jsonBody(c) },
      }),
    })),
  );
  server.post(
    "/api/app/crm/leads/:id/proposal/send",
    handle(async (c) => ({
      proposal: await sendProposal({
        ctx: identityCtx(c),
        input: { id: leadId(c), body: await jsonBody(c) },
        siteOrigin: siteOrigin(c),
      }),
    })),
  );
  server.post(
    "/api/app/crm/leads/:id/decision",
    handle(async (c) =>
      decideLead({ ctx: identityCtx(c), input: { id: leadId(c), body: await jsonBody(c) } }),
    ),
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
