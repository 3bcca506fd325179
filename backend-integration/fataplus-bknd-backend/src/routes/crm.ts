/**
 * The staff CRM's routes: cross-project lists and dashboard, one project's overview, provisioning, invitations,
 * assignees and saved views. Thin: validate, call the verb, answer.
 */
import {
  type CrmCtx,
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
import type { Context, Hono } from "hono";
import { parseConfig } from "../config.ts";
import { appAccess, tenantCtx } from "../http/context.ts";
import { handle, jsonBody, queryOf } from "../http/handler.ts";
import { runtimeEnv } from "../runtime.ts";

function crmCtx(c: Context): CrmCtx {
  // The tenant named by the request (if any) is only a filter for CRM lists: drop it from the scope lookup.
  return { db: runtimeEnv().DB, identity: appAccess(c).identity, now: () => new Date() };
}

export function registerCrmRoutes(server: Hono): void {
  server.get(
    "/api/app/crm/access",
    handle(async (c) => ({ crm: await canUseCrm(crmCtx(c)) })),
  );
  server.get(
    "/api/app/crm/dashboard",
    handle((c) => getDashboard({ ctx: crmCtx(c) })),
  );
  server.get(
    "/api/app/crm/clients",
    handle((c) => listClients({ ctx: crmCtx(c), input: queryOf(c) })),
  );
  server.get(
    "/api/app/crm/leads",
    handle((c) => listLeads({ ctx: crmCtx(c), input: queryOf(c) })),
  );
  server.get(
    "/api/app/crm/projects",
    handle((c) => listProjects({ ctx: crmCtx(c), input: queryOf(c) })),
  );
  server.post(
    "/api/app/crm/projects",
    handle(async (c) => provisionProject({ ctx: crmCtx(c), input: await jsonBody(c) }), 201),
  );

  // The email outbox, for the agency's admins (decision 012).
  server.get(
    "/api/app/crm/outbox",
    handle(async (c) => ({
      ...(await listOutbox({ ctx: crmCtx(c), input: queryOf(c) })),
      mode: parseConfig(runtimeEnv()).mail.provider,
    })),
  );
  server.get(
    "/api/app/crm/outbox/:id",
    handle((c) => getOutboxMessage({ ctx: crmCtx(c), input: { id: c.req.param("id") ?? "" } })),
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
      const ctx = tenantCtx(c);
      const input = (await jsonBody(c)) as { email: string; role: "client" | "project_manager" | "admin" };
      const invitation = await createInvitation({
        ctx,
        input,
        mail: { siteUrl: parseConfig(runtimeEnv()).siteUrl },
      });
      return { ...invitation, acceptPath: `/invitation?token=${encodeURIComponent(invitation.token)}` };
    }, 201),
  );

  server.get(
    "/api/app/views",
    handle((c) => listViews({ ctx: crmCtx(c), input: { screen: queryOf(c).screen ?? "" } })),
  );
  server.post(
    "/api/app/views",
    handle(async (c) => saveView({ ctx: crmCtx(c), input: await jsonBody(c) }), 201),
  );
  server.delete(
    "/api/app/views/:id",
    handle(async (c) => {
      await deleteView({ ctx: crmCtx(c), input: { id: c.req.param("id") ?? "" } });
      return { ok: true };
    }),
  );
}
