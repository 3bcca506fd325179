/**
 * Cross-project lists for the CRM: clients, leads and projects, with search, filters, sort and pagination.
 * Sort columns come from allow-lists; the tenant scope from ./scope.ts. Each list is one D1 batch (rows and
 * total), and each statement reads through an index led by tenant_id.
 */
import { z } from "zod";
import { parse } from "../kernel/parse.ts";
import {
  CRM_MAX_PAGE,
  CRM_MAX_PAGE_SIZE,
  CRM_PAGE_SIZE,
  clientSorts,
  leadSorts,
  projectSorts,
  sortDirections,
} from "../vocabulary/crm.ts";
import { clientKinds, leadStages, projectPhases, projectStatuses } from "../vocabulary/records.ts";
import { assertCrm, type CrmCtx, likePattern, managedTenants } from "./scope.ts";

export { CRM_PAGE_SIZE };

const base = {
  q: z.string().trim().max(100).optional(),
  dir: z.enum(sortDirections).default("asc"),
  page: z.coerce.number().int().min(1).max(CRM_MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(CRM_MAX_PAGE_SIZE).default(CRM_PAGE_SIZE),
  /** Restrict to one project (tenant id); it must still be in the caller's scope. */
  tenant: z.string().trim().max(64).optional(),
};

export const clientListInput = z.strictObject({
  ...base,
  sort: z.enum(clientSorts).default("name"),
  kind: z.enum(clientKinds).optional(),
});
export const leadListInput = z.strictObject({
  ...base,
  sort: z.enum(leadSorts).default("created_at"),
  stage: z.enum(leadStages).optional(),
});
export const projectListInput = z.strictObject({
  ...base,
  sort: z.enum(projectSorts).default("name"),
  status: z.enum(projectStatuses).optional(),
  phase: z.enum(projectPhases).optional(),
});

export type Page<T> = { rows: T[]; total: number; page: number; pageSize: number; pages: number };
export type TenantTag = { tenant_id: string; tenant_name: string; tenant_subdomain: string };

type Built = { where: string[]; binds: unknown[] };

function scoped(ctx: CrmCtx, alias: string, tenant: string | undefined): Built {
  const scope = managedTenants(ctx.identity);
  const where = [`${alias}.tenant_id IN (${scope.sql})`];
  const binds = [...scope.binds];
  if (tenant) {
    where.push(`${alias}.tenant_id = ?`);
    binds.push(tenant);
  }
  return { where, binds };
}

/** `column = value`, when the filter is set. */
function equals(built: Built, column: string, value: string | undefined): void {
  if (!value) return;
  built.where.push(`${column} = ?`);
  built.binds.push(value);
}

/** Any of `columns` LIKE %term% (the term's % and _ match themselves), when a term is given. */
function searchIn(built: Built, term: string | undefined, columns: string[]): void {
  if (!term) return;
  built.where.push(`(${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
  built.binds.push(...columns.map(() => likePattern(term)));
}

/** One page of rows and the total, in one batch. `selectBinds` are the values bound in `select` itself. */
async function page<T>(
  ctx: CrmCtx,
  from: string,
  select: string,
  built: Built,
  order: string,
  p: { page: number; pageSize: number },
  selectBinds: unknown[] = [],
): Promise<Page<T>> {
  const where = built.where.join(" AND ");
  const offset = (p.page - 1) * p.pageSize;
  const [rows, count] = await ctx.db.batch([
    ctx.db
      .prepare(`SELECT ${select} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .bind(...selectBinds, ...built.binds, p.pageSize, offset),
    ctx.db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where}`).bind(...built.binds),
  ]);
  const total = Number((count?.results[0] as { n: number } | undefined)?.n ?? 0);
  return {
    rows: (rows?.results ?? []) as T[],
    total,
    page: p.page,
    pageSize: p.pageSize,
    pages: Math.max(1, Math.ceil(total / p.pageSize)),
  };
}

export const TENANT_COLS = "t.name AS tenant_name, t.subdomain AS tenant_subdomain";

export type CrmClient = TenantTag & {
  id: string;
  kind: (typeof clientKinds)[number];
  name: string;
  email: string | null;
  phone: string | null;
  organization_id: string | null;
  project_count: number;
  created_at: string;
  updated_at: string;
};

export async function listClients({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  await assertCrm(ctx);
  const q = parse(clientListInput, input ?? {}, "client query");
  const built = scoped(ctx, "c", q.tenant);
  equals(built, "c.kind", q.kind);
  searchIn(built, q.q, ["c.name", "c.email"]);
  return page<CrmClient>(
    ctx,
    "clients c JOIN tenants t ON t.id = c.tenant_id",
    `c.id, c.tenant_id, c.kind, c.name, c.email, c.phone, c.organization_id, c.created_at, c.updated_at, ${TENANT_COLS},
     (SELECT count(*) FROM projects p WHERE p.tenant_id = c.tenant_id AND p.client_id = c.id) AS project_count`,
    built,
    `c.${q.sort} ${q.dir}, c.id`,
    q,
  );
}

export type CrmLead = TenantTag & {
  id: string;
  title: string;
  contact_name: string | null;
  email: string | null;
  stage: (typeof leadStages)[number];
  value_cents: number | null;
  source: string | null;
  client_id: string | null;
  created_at: string;
  updated_at: string;
};

export async function listLeads({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  await assertCrm(ctx);
  const q = parse(leadListInput, input ?? {}, "lead query");
  const built = scoped(ctx, "l", q.tenant);
  equals(built, "l.stage", q.stage);
  searchIn(built, q.q, ["l.title", "l.contact_name"]);
  return page<CrmLead>(
    ctx,
    "leads l JOIN tenants t ON t.id = l.tenant_id",
    `l.id, l.tenant_id, l.title, l.contact_name, l.email, l.stage, l.value_cents, l.source, l.client_id, l.created_at, l.updated_at, ${TENANT_COLS}`,
    built,
    `l.${q.sort} ${q.dir}, l.id`,
    q,
  );
}

export type CrmProject = TenantTag & {
  id: string;
  name: string;
  status: (typeof projectStatuses)[number];
  phase: (typeof projectPhases)[number];
  client_id: string | null;
  client_name: string | null;
  start_date: string | null;
  due_date: string | null;
  budget_cents: number | null;
  estimate_cents: number | null;
  currency: string;
  tasks_total: number;
  tasks_done: number;
  tasks_open: number;
  tasks_overdue: number;
  last_activity: string;
  created_at: string;
  updated_at: string;
};

/** A project row of the CRM, with its client's name (`c`); callers add the tenant's name and the metrics. */
export const PROJECT_COLUMNS = `p.id, p.tenant_id, p.name, p.status, p.phase, p.client_id, c.name AS client_name,
  p.start_date, p.due_date, p.budget_cents, p.estimate_cents, p.currency, p.created_at, p.updated_at`;

/** Task counts and last activity per project, with correlated subqueries on (tenant_id, project_id, …) indexes. */
export const PROJECT_METRICS = `
  (SELECT count(*) FROM tasks k WHERE k.tenant_id = p.tenant_id AND k.project_id = p.id) AS tasks_total,
  (SELECT count(*) FROM tasks k WHERE k.tenant_id = p.tenant_id AND k.project_id = p.id AND k.status = 'done') AS tasks_done,
  (SELECT count(*) FROM tasks k WHERE k.tenant_id = p.tenant_id AND k.project_id = p.id AND k.status <> 'done') AS tasks_open,
  (SELECT count(*) FROM tasks k WHERE k.tenant_id = p.tenant_id AND k.project_id = p.id AND k.status <> 'done'
     AND k.due_date IS NOT NULL AND k.due_date < ?) AS tasks_overdue,
  max(p.updated_at, coalesce((SELECT max(k.updated_at) FROM tasks k WHERE k.tenant_id = p.tenant_id AND k.project_id = p.id), '')) AS last_activity`;

export async function listProjects({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  await assertCrm(ctx);
  const q = parse(projectListInput, input ?? {}, "project query");
  const today = ctx.now().toISOString().slice(0, 10);
  const built = scoped(ctx, "p", q.tenant);
  equals(built, "p.status", q.status);
  equals(built, "p.phase", q.phase);
  searchIn(built, q.q, ["p.name", "t.name", "t.subdomain"]);
  return page<CrmProject>(
    ctx,
    "projects p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id",
    `${PROJECT_COLUMNS}, ${TENANT_COLS}, ${PROJECT_METRICS}`,
    built,
    `p.${q.sort} ${q.dir}, p.id`,
    q,
    [today], // the overdue metric's date, bound in the SELECT
  );
}
