/**
 * The staff CRM's routes: cross-project lists and dashboard, one project's overview, provisioning, invitations,
 * assignees and saved views. Thin: validate, call the verb, answer.
 */
import {
  canUseCrm,
  createInvitation,
  deleteView,
  getDashboard,
  getOutboxMessage,
  getProjectOverview,
  listAssignees,
  listClients,
  listLeads,
  listOutbox,
  listProjects,
  listViews,
  provisionProject,
  saveView,
} from "@fataplus/domain";
import { type AppServer, identityCtx, tenantCtx } from "../http/context.ts";
import { handle, jsonBody, param, queryOf } from "../http/handler.ts";

export function registerCrmRoutes(server: AppServer): void {
  server.get(
    "/api/app/crm/access",
    handle(async (c) => ({ crm: await canUseCrm(identityCtx(c)) })),
  );
  server.get(
    "/api/app/crm/dashboard",
    handle((c) => getDashboard({ ctx: identityCtx(c) })),
  );
  server.get(
    "/api/app/crm/clients",
    handle((c) => listClients({ ctx: identityCtx(c), input: queryOf(c) })),
  );
  server.get(
    "/api/app/crm/leads",
    handle((c) => listLeads({ ctx: identityCtx(c), input: queryOf(c) })),
  );
  server.get(
    "/api/app/crm/projects",
    handle((c) => listProjects({ ctx: identityCtx(c), input: queryOf(c) })),
  );
  server.post(
    "/api/app/crm/projects",
    handle(async (c) => provisionProject({ ctx: identityCtx(c), input: await jsonBody(c) }), 201),
  );

  // The email outbox, for the agency's admins (decision 012).
  server.get(
    "/api/app/crm/outbox",
    handle(async (c) => ({
      ...(await listOutbox({ ctx: identityCtx(c), input: queryOf(c) })),
      mode: c.get("config").mail.provider,
    })),
  );
  server.get(
    "/api/app/crm/outbox/:id",
    handle((c) => getOutboxMessage({ ctx: identityCtx(c), input: { id: param(c, "id") } })),
  );

  server.get(
    "/api/app/project/overview",
    handle(async (c) => getProjectOverview({ ctx: tenantCtx(c) })),
  );
  server.get(
    "/api/app/project/assignees",
    handle(async (c) => listAssignees({ ctx: tenantCtx(c) })),
  );
  server.post(
    "/api/app/project/invitations",
    handle(async (c) => {
      const invitation = await createInvitation({
        ctx: tenantCtx(c),
        input: await jsonBody(c),
        mail: { siteUrl: c.get("config").siteUrl },
      });
      return { ...invitation, acceptPath: `/invitation?token=${encodeURIComponent(invitation.token)}` };
    }, 201),
  );

  server.get(
    "/api/app/views",
    handle((c) => listViews({ ctx: identityCtx(c), input: { screen: queryOf(c).screen ?? "" } })),
  );
  server.post(
    "/api/app/views",
    handle(async (c) => saveView({ ctx: identityCtx(c), input: await jsonBody(c) }), 201),
  );
  server.delete(
    "/api/app/views/:id",
    handle(async (c) => {
      await deleteView({ ctx: identityCtx(c), input: { id: param(c, "id") } });
      return { ok: true };
    }),
  );
}
