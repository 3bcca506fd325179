/**
 * The staff CRM's API (`/api/app/crm/*`, `/api/app/project/*`, `/api/app/views`, the sign-in hand-off).
 * Each answer's type is the result of the domain verb its route answers with; bodies are checked for their
 * outer shape only (see schemas.ts `shaped`).
 */
import type {
  createHandoff,
  createInvitation,
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
  TenantRole,
  ViewScreen,
} from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import type { QueryValues } from "./http";
import { anyArray, anyObject, type Out, shaped } from "./schemas";

const pageShape = z.looseObject({
  rows: z.array(z.looseObject({ id: z.string(), tenant_id: z.string() })),
  total: z.number(),
  /** The total is a floor ("plus de 1 000"): a text search counts up to 1,000 rows. */
  totalCapped: z.boolean().optional(),
  page: z.number(),
  pageSize: z.number(),
  pages: z.number(),
});

export type ListParams = QueryValues;

export type ProjectOverview = Out<typeof getProjectOverview>;
/** The outbox's page, and how mail leaves ("outbox": nothing is sent, in development; else the provider). */
export type OutboxPage = Out<typeof listOutbox> & { mode: string };
export type OutboxMessage = Out<typeof getOutboxMessage>;
/** An invitation, and the page where it is accepted (the link the agency hands over). */
export type CreatedInvitation = Out<typeof createInvitation> & { acceptPath: string };

export function crmApi(api: ApiClient) {
  const r = api.request;
  return {
    /** The email outbox (agency admins only; decision 012). */
    outbox: (query?: ListParams) =>
      r({
        method: "GET",
        path: "/api/app/crm/outbox",
        query,
        schema: shaped<OutboxPage>(
          z.looseObject({ items: anyArray, total: z.number(), pages: z.number(), mode: z.string() }),
        ),
      }),
    outboxMessage: (id: string) =>
      r({
        method: "GET",
        path: `/api/app/crm/outbox/${encodeURIComponent(id)}`,
        schema: shaped<OutboxMessage>(z.looseObject({ id: z.string(), text: z.string() })),
      }),
    async access(): Promise<boolean> {
      const body = await r({
        method: "GET",
        path: "/api/app/crm/access",
        schema: z.object({ crm: z.boolean() }),
      });
      return body.crm;
    },
    dashboard: () =>
      r({
        method: "GET",
        path: "/api/app/crm/dashboard",
        schema: shaped<Out<typeof getDashboard>>(z.looseObject({ totals: anyObject, projects: anyArray })),
      }),
    clients: (query?: ListParams) =>
      r({
        method: "GET",
        path: "/api/app/crm/clients",
        query,
        schema: shaped<Out<typeof listClients>>(pageShape),
      }),
    leads: (query?: ListParams) =>
      r({
        method: "GET",
        path: "/api/app/crm/leads",
        query,
        schema: shaped<Out<typeof listLeads>>(pageShape),
      }),
    projects: (query?: ListParams) =>
      r({
        method: "GET",
        path: "/api/app/crm/projects",
        query,
        schema: shaped<Out<typeof listProjects>>(pageShape),
      }),
    provisionProject: (input: Record<string, unknown>) =>
      r({
        method: "POST",
        path: "/api/app/crm/projects",
        body: input,
        schema: shaped<Out<typeof provisionProject>>(
          z.looseObject({ tenant: anyObject, projectId: z.string() }),
        ),
      }),
    /** Needs a client made with `forTenant`. */
    projectOverview: () =>
      r({
        method: "GET",
        path: "/api/app/project/overview",
        schema: shaped<ProjectOverview>(
          z.looseObject({ tenant: anyObject, role: z.string(), projects: anyArray }),
        ),
      }),
    assignees: () =>
      r({
        method: "GET",
        path: "/api/app/project/assignees",
        schema: shaped<Out<typeof listAssignees>>(anyArray),
      }),
    invite: (input: { email: string; role: TenantRole }) =>
      r({
        method: "POST",
        path: "/api/app/project/invitations",
        body: input,
        schema: shaped<CreatedInvitation>(z.looseObject({ token: z.string(), acceptPath: z.string() })),
      }),
    views: (screen: ViewScreen) =>
      r({
        method: "GET",
        path: "/api/app/views",
        query: { screen },
        schema: shaped<Out<typeof listViews>>(anyArray),
      }),
    saveView: (input: { screen: ViewScreen; name: string; query: string }) =>
      r({
        method: "POST",
        path: "/api/app/views",
        body: input,
        schema: shaped<Out<typeof saveView>>(z.looseObject({ id: z.string() })),
      }),
    async deleteView(id: string): Promise<void> {
      await r({ method: "DELETE", path: `/api/app/views/${encodeURIComponent(id)}`, schema: z.unknown() });
    },
    /** A one-time code that signs the user in on a project's subdomain (auth/handoff.ts). */
    handoff: (tenant: string) =>
      r({
        method: "POST",
        path: "/api/app/auth/handoff",
        body: { tenant },
        schema: shaped<Out<typeof createHandoff>>(z.object({ code: z.string(), subdomain: z.string() })),
      }),
  };
}

export type CrmApi = ReturnType<typeof crmApi>;
