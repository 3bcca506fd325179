/**
 * The staff CRM's API (`/api/app/crm/*`, `/api/app/project/*`, `/api/app/views`, the sign-in hand-off).
 * Result types come from the domain verbs that produce them; bodies are checked for their outer shape.
 */
import type {
  Activity,
  Assignee,
  CrmClient,
  CrmLead,
  CrmProject,
  Dashboard,
  Member,
  OutboxRow,
  Page,
  PendingInvitation,
  SavedView,
  TenantRef,
  TenantRole,
  ViewScreen,
} from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";

const pageSchema = z.looseObject({
  rows: z.array(z.looseObject({ id: z.string(), tenant_id: z.string() })),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  pages: z.number(),
});
const anyObject = z.looseObject({});
const anyArray = z.array(anyObject);

export type ListParams = Record<string, string | number | undefined>;

function paramsOf(query: ListParams = {}): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p;
}

export type ProjectOverview = {
  tenant: TenantRef;
  role: TenantRole;
  projects: Array<CrmProject & { description: string | null }>;
  members: Member[];
  invitations: PendingInvitation[];
  activity: Activity[];
};

export type OutboxPage = {
  items: OutboxRow[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  /** "outbox": nothing is sent (development); otherwise the provider's name. */
  mode: string;
};
export type OutboxMessage = OutboxRow & { text: string; html: string | null };

export function crmApi(api: ApiClient) {
  const r = api.request;
  return {
    /** The email outbox (agency admins only; decision 012). */
    async outbox(query?: ListParams): Promise<OutboxPage> {
      const body = await r({
        method: "GET",
        path: "/api/app/crm/outbox",
        query: paramsOf(query),
        schema: z.looseObject({ items: anyArray, total: z.number(), page: z.number(), pages: z.number() }),
      });
      return body as unknown as OutboxPage;
    },
    async outboxMessage(id: string): Promise<OutboxMessage> {
      const body = await r({
        method: "GET",
        path: `/api/app/crm/outbox/${encodeURIComponent(id)}`,
        schema: z.looseObject({ id: z.string(), text: z.string() }),
      });
      return body as unknown as OutboxMessage;
    },
    async access(): Promise<boolean> {
      const body = await r({
        method: "GET",
        path: "/api/app/crm/access",
        schema: z.object({ crm: z.boolean() }),
      });
      return body.crm;
    },
    async dashboard(): Promise<Dashboard> {
      return (await r({
        method: "GET",
        path: "/api/app/crm/dashboard",
        schema: anyObject,
      })) as unknown as Dashboard;
    },
    async clients(query?: ListParams): Promise<Page<CrmClient>> {
      const body = await r({
        method: "GET",
        path: "/api/app/crm/clients",
        query: paramsOf(query),
        schema: pageSchema,
      });
      return body as unknown as Page<CrmClient>;
    },
    async leads(query?: ListParams): Promise<Page<CrmLead>> {
      const body = await r({
        method: "GET",
        path: "/api/app/crm/leads",
        query: paramsOf(query),
        schema: pageSchema,
      });
      return body as unknown as Page<CrmLead>;
    },
    async projects(query?: ListParams): Promise<Page<CrmProject>> {
      const body = await r({
        method: "GET",
        path: "/api/app/crm/projects",
        query: paramsOf(query),
        schema: pageSchema,
      });
      return body as unknown as Page<CrmProject>;
    },
    async provisionProject(
      input: Record<string, unknown>,
    ): Promise<{ tenant: TenantRef; projectId: string }> {
      const body = await r({ method: "POST", path: "/api/app/crm/projects", body: input, schema: anyObject });
      return body as unknown as { tenant: TenantRef; projectId: string };
    },
    /** Needs a client made with `forTenant`. */
    async projectOverview(): Promise<ProjectOverview> {
      const body = await r({ method: "GET", path: "/api/app/project/overview", schema: anyObject });
      return body as unknown as ProjectOverview;
    },
    async assignees(): Promise<Assignee[]> {
      const body = await r({ method: "GET", path: "/api/app/project/assignees", schema: anyArray });
      return body as unknown as Assignee[];
    },
    async invite(input: { email: string; role: TenantRole }) {
      const body = await r({
        method: "POST",
        path: "/api/app/project/invitations",
        body: input,
        schema: anyObject,
      });
      return body as unknown as { id: string; token: string; expiresAt: string; acceptPath: string };
    },
    async views(screen: ViewScreen): Promise<SavedView[]> {
      const body = await r({
        method: "GET",
        path: "/api/app/views",
        query: paramsOf({ screen }),
        schema: anyArray,
      });
      return body as unknown as SavedView[];
    },
    async saveView(input: { screen: ViewScreen; name: string; query: string }): Promise<SavedView> {
      return (await r({
        method: "POST",
        path: "/api/app/views",
        body: input,
        schema: anyObject,
      })) as unknown as SavedView;
    },
    async deleteView(id: string): Promise<void> {
      await r({ method: "DELETE", path: `/api/app/views/${encodeURIComponent(id)}`, schema: null });
    },
    async handoff(tenant: string): Promise<{ code: string; subdomain: string }> {
      const body = await r({
        method: "POST",
        path: "/api/app/auth/handoff",
        body: { tenant },
        schema: z.object({ code: z.string(), subdomain: z.string() }),
      });
      return body;
    },
  };
}

export type CrmApi = ReturnType<typeof crmApi>;
