/**
 * Cross-project lists for the CRM: clients, leads and projects, with search, filters, sort and pagination.
 * Sort columns come from allow-lists; the tenant scope from ./scope.ts. Each list is one D1 batch (rows and
 * total), and each statement reads through an index led by tenant_id.
 */
import { z } from "zod";
import { type CountKey, countOf, isAgencyCounted, overdueOf, TOTAL } from "../counters/index.ts";
import { parse } from "../kernel/parse.ts";
import { COUNT_CAP } from "../records/read.ts";
import { ftsEntityNumber, ftsMatch, ftsMatchAnyTenant, ftsTerms } from "../search/fts.ts";
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
import { activeTenant, assertCrm, type CrmCtx, managedTenants, seesAllActiveTenants } from "./scope.ts";

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

export type Page<T> = {
  rows: T[];
  total: number;
  /** True when there are more rows than `total`: a text search counts up to COUNT_CAP (1,000). */
  totalCapped: boolean;
  page: number;
  pageSize: number;
  pages: number;
};
export type TenantTag = { tenant_id: string; tenant_name: string; tenant_subdomain: string };

type Built = { where: string[]; binds: unknown[] };

/** At most this many tenants in scope are read one by one on their (tenant_id, column) index; more walk one index. */
export const PER_TENANT_MAX = 8;

/** The filters of a list, without the tenant scope (added by `page`). */
const filters = (): Built => ({ where: [], binds: [] });

/** `column = value`, when the filter is set. */
function equals(built: Built, column: string, value: string | undefined): void {
  if (!value) return;
  built.where.push(`${column} = ?`);
  built.binds.push(value);
}

/**
 * A list's text filter (decision 020): the words typed, on the full-text index of decision 016 (a client's
 * name and email, a lead's title and contact name, a project's name), each word a prefix of a word of the
 * record.
 */
export type TextFilter = {
  entity: "clients" | "leads" | "projects";
  q: string;
  terms: string | null;
};

function textFilterOf(entity: TextFilter["entity"], q: string | undefined): TextFilter | null {
  return q ? { entity, q, terms: ftsTerms(q) } : null;
}

/**
 * The candidates of a text filter: the SEARCH_CAP + 1 newest records whose words match, of these tenants (their
 * scope tokens inside the MATCH) or, for a walk across many tenants, of any tenant (filtered by the list's
 * tenant scope afterwards). Reads at most that many index entries, whatever the tenants hold.
 */
function candidates(text: TextFilter & { terms: string }, tenantIds: readonly string[] | null): Built {
  const n = ftsEntityNumber[text.entity];
  return tenantIds
    ? {
        where: [
          `SELECT rowid >> 3 AS r FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ${COUNT_CAP + 1}`,
        ],
        binds: [ftsMatch(text.entity, tenantIds, text.terms, "label extra")],
      }
    : {
        where: [
          `SELECT rowid >> 3 AS r FROM search_fts WHERE search_fts MATCH ? AND (rowid & 7) = ${n} ORDER BY rowid DESC LIMIT ${COUNT_CAP + 1}`,
        ],
        binds: [ftsMatchAnyTenant(text.terms, "label extra")],
      };
}

type SortValue = string | number | null;
type Keyed = { __sort: SortValue; __rowid: number };

/** SQLite's order for one column then rowid: NULLs first, numbers before text. */
function compareAsc(a: Keyed, b: Keyed): number {
  const x = a.__sort;
  const y = b.__sort;
  if (x !== y) {
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.__rowid - b.__rowid;
}

export type ListSpec = {
  /** The table and its alias (`clients c`); `joins` follow it. */
  table: "clients" | "leads" | "projects";
  alias: string;
  joins: string;
  select: string;
  /** Values bound in `select` itself (the overdue metric's date). */
  selectBinds: unknown[];
  /** The sort column of `table`, its direction, and the index on (column) the cross-tenant walk uses. */
  sort: string;
  dir: "asc" | "desc";
  built: Built;
  /** The counter that holds the total (record_counts), or null for a capped count. */
  counter: CountKey | null;
  tenant: string | undefined;
  /** The text filter, if a text was typed. */
  text: TextFilter | null;
};

/**
 * One page of a cross-tenant list and its total, reading a page of rows whatever the tenants hold
 * (docs/decisions/015-read-counters.md):
 *  - the tenants in scope come first (at most PER_TENANT_MAX + 1 rows);
 *  - a few tenants: one statement per tenant on its (tenant_id, column) index, LIMIT offset + page, merged here;
 *  - more: one walk of the global (column) index, keeping the rows of tenants in scope;
 *  - the total: agency_counts' row for agency staff over every active tenant (decision 021), else the
 *    tenants' counters summed, or a count capped at COUNT_CAP + 1 rows when no counter fits.
 * With a text filter (decision 020), the rows are looked up by rowid among the filter's candidates (at most
 * COUNT_CAP + 1 per statement, from the full-text index) and sorted, instead of walking the sort index.
 */
async function page<T>(ctx: CrmCtx, spec: ListSpec, p: { page: number; pageSize: number }): Promise<Page<T>> {
  const { alias: a, text } = spec;
  const scope = managedTenants(ctx.identity);
  const scopeSql = spec.tenant ? `SELECT id FROM (${scope.sql}) WHERE id = ?` : scope.sql;
  const scopeBinds = spec.tenant ? [...scope.binds, spec.tenant] : scope.binds;
  /** Agency staff over every active tenant, no single tenant asked for (decision 021). */
  const allActive = !spec.tenant && seesAllActiveTenants(ctx.identity);
  const offset = (p.page - 1) * p.pageSize;
  const { results: inScope } = await ctx.db
    .prepare(`SELECT id FROM (${scopeSql}) LIMIT ${PER_TENANT_MAX + 1}`)
    .bind(...scopeBinds)
    .all<{ id: string }>();
  const where = spec.built.where.map((w) => ` AND ${w}`).join("");
  const dir = spec.dir === "desc" ? "DESC" : "ASC";
  const order = `ORDER BY ${a}.${spec.sort} ${dir}, ${a}.rowid ${dir}`;
  const select = `SELECT ${spec.select}, ${a}.${spec.sort} AS __sort, ${a}.rowid AS __rowid FROM ${spec.table} ${a}`;
  const few = inScope.length <= PER_TENANT_MAX;
  const fewIds = few ? inScope.map((t) => t.id) : null;
  const textTerms = text?.terms ?? null;
  const matching = text && textTerms !== null ? { ...text, terms: textTerms } : null;

  /** The rowids a text filter keeps (`r`): its full-text candidates of these tenants (null: of any). Null: none. */
  const textSource = (tenantIds: readonly string[] | null): Built | null =>
    matching ? candidates(matching, tenantIds) : null;
  /**
   * A page among a text filter's rowids: each is looked up by rowid (CROSS JOIN keeps the rowids as the outer
   * loop, so the planner never walks the tenant's index instead), sorted on the sort key alone, and only the
   * page's rows are then read with their joins and counters. `rest`: the WHERE (from `WHERE`) and the LIMIT.
   */
  const keyed = (source: Built, rest: string) =>
    `SELECT ${spec.select}, k.__sort, k.__rowid FROM (SELECT ${a}.${spec.sort} AS __sort, ${a}.rowid AS __rowid
       FROM (${source.where.join("")}) cand CROSS JOIN ${spec.table} ${a} ON ${a}.rowid = cand.r ${rest}) k
     JOIN ${spec.table} ${a} ON ${a}.rowid = k.__rowid ${spec.joins}
     ORDER BY k.__sort ${dir}, k.__rowid ${dir}`;

  const one = inScope.length === 1;
  const pages: D1PreparedStatement[] = [];
  const limits = one ? [p.pageSize, offset] : [offset + p.pageSize, 0];
  if (few) {
    for (const t of inScope) {
      if (!text) {
        pages.push(
          ctx.db
            .prepare(`${select} ${spec.joins} WHERE ${a}.tenant_id = ?${where} ${order} LIMIT ? OFFSET ?`)
            .bind(...spec.selectBinds, t.id, ...spec.built.binds, ...limits),
        );
        continue;
      }
      const source = textSource([t.id]);
      if (source === null) continue;
      pages.push(
        ctx.db
          .prepare(keyed(source, `WHERE ${a}.tenant_id = ?${where} ${order} LIMIT ? OFFSET ?`))
          .bind(...spec.selectBinds, ...source.binds, t.id, ...spec.built.binds, ...limits),
      );
    }
  } else if (!text) {
    // no text filter: walk the sort index (agency staff: each row's tenant looked up, not every tenant listed)
    const scoped = allActive ? activeTenant(`${a}.tenant_id`) : `${a}.tenant_id IN (${scopeSql})`;
    pages.push(
      ctx.db
        .prepare(
          `${select} INDEXED BY "idx_${spec.table}_${spec.sort}" ${spec.joins}
           WHERE ${scoped}${where} ${order} LIMIT ? OFFSET ?`,
        )
        .bind(...spec.selectBinds, ...(allActive ? [] : scopeBinds), ...spec.built.binds, p.pageSize, offset),
    );
  } else {
    const source = textSource(null);
    if (source !== null)
      pages.push(
        ctx.db
          .prepare(keyed(source, `WHERE ${a}.tenant_id IN (${scopeSql})${where} ${order} LIMIT ? OFFSET ?`))
          .bind(...spec.selectBinds, ...source.binds, ...scopeBinds, ...spec.built.binds, p.pageSize, offset),
      );
  }
  const countSource = text ? textSource(fewIds) : null;
  // every active tenant and a field summed across them: the agency-wide counter (one row, decision 021)
  const agencyWide = allActive && isAgencyCounted(spec.counter ?? TOTAL);
  const count = spec.counter
    ? agencyWide
      ? ctx.db
          .prepare(
            `SELECT coalesce((SELECT n FROM agency_counts WHERE entity = ? AND field = ? AND value = ?), 0) AS n,
               0 AS c`,
          )
          .bind(spec.table, spec.counter.field, spec.counter.value)
      : ctx.db
          .prepare(
            `SELECT coalesce(sum(n), 0) AS n, 0 AS c FROM record_counts
             WHERE tenant_id IN (${scopeSql}) AND entity = ? AND field = ? AND value = ?`,
          )
          .bind(...scopeBinds, spec.table, spec.counter.field, spec.counter.value)
    : text
      ? countSource &&
        ctx.db
          .prepare(
            // one pass over the candidates: how many there are (more than COUNT_CAP: the rows shown are among the
            // first COUNT_CAP + 1, and the count says "more than") and how many the scope and filters keep
            `SELECT count(${a}.rowid) AS n, count(*) AS c FROM (${countSource.where.join("")}) cand
             LEFT JOIN ${spec.table} ${a} ON ${a}.rowid = cand.r AND ${a}.tenant_id IN (${scopeSql})${where}`,
          )
          .bind(...countSource.binds, ...scopeBinds, ...spec.built.binds)
      : ctx.db
          .prepare(
            // the list's filters are on its own table: the count needs none of its joins
            `SELECT count(*) AS n FROM (SELECT 1 FROM ${spec.table} ${a}
             WHERE ${a}.tenant_id IN (${scopeSql})${where} LIMIT ?)`,
          )
          .bind(...scopeBinds, ...spec.built.binds, COUNT_CAP + 1);
  if (inScope.length === 0 || count === null || pages.length === 0)
    return { rows: [], total: 0, totalCapped: false, ...p, pages: 1 };
  const results = await ctx.db.batch([...pages, count]);
  const counts = results.at(-1)?.results[0] as { n: number; c: number } | undefined;
  const counted = Number(counts?.n ?? 0);
  const merged = results
    .slice(0, -1)
    .flatMap((r) => (r.results ?? []) as Array<T & Keyed>)
    .sort((x, y) => (dir === "ASC" ? compareAsc(x, y) : compareAsc(y, x)));
  const shown = pages.length > 1 || (few && !one) ? merged.slice(offset, offset + p.pageSize) : merged;
  // capped: more rows than counted, or more candidates than a text filter keeps (then the rows shown are among
  // the COUNT_CAP + 1 most recent matches)
  const totalCapped = !spec.counter && (counted > COUNT_CAP || Number(counts?.c ?? 0) > COUNT_CAP);
  // a counter is exact at any size; a count stops at COUNT_CAP
  const total = spec.counter ? counted : Math.min(counted, COUNT_CAP);
  return {
    rows: shown.map(({ __sort, __rowid, ...row }) => row as T),
    total,
    totalCapped,
    page: p.page,
    pageSize: p.pageSize,
    // past the cap, one more page while this one is full
    pages: Math.max(
      1,
      Math.ceil(total / p.pageSize),
      totalCapped && shown.length === p.pageSize ? p.page + 1 : 0,
    ),
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

/** The total's counter of a list: none with a text search, the filtered field's, or the entity's total. */
function counterOf(q: string | undefined, ...set: Array<[string, string | undefined]>): CountKey | null {
  if (q) return null;
  const given = set.filter((e): e is [string, string] => Boolean(e[1]));
  if (given.length > 1) return null;
  const [only] = given;
  return only ? { field: only[0], value: only[1] } : TOTAL;
}

export async function listClients({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  await assertCrm(ctx);
  const q = parse(clientListInput, input ?? {}, "client query");
  const built = filters();
  equals(built, "c.kind", q.kind);
  return page<CrmClient>(
    ctx,
    {
      table: "clients",
      alias: "c",
      joins: "JOIN tenants t ON t.id = c.tenant_id",
      select: `c.id, c.tenant_id, c.kind, c.name, c.email, c.phone, c.organization_id, c.created_at, c.updated_at, ${TENANT_COLS},
        ${countOf("c.tenant_id", "projects", "client_id", "c.id")} AS project_count`,
      selectBinds: [],
      sort: q.sort,
      dir: q.dir,
      built,
      counter: counterOf(q.q, ["kind", q.kind]),
      tenant: q.tenant,
      text: textFilterOf("clients", q.q),
    },
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
  const built = filters();
  equals(built, "l.stage", q.stage);
  return page<CrmLead>(
    ctx,
    {
      table: "leads",
      alias: "l",
      joins: "JOIN tenants t ON t.id = l.tenant_id",
      select: `l.id, l.tenant_id, l.title, l.contact_name, l.email, l.stage, l.value_cents, l.source, l.client_id, l.created_at, l.updated_at, ${TENANT_COLS}`,
      selectBinds: [],
      sort: q.sort,
      dir: q.dir,
      built,
      counter: counterOf(q.q, ["stage", q.stage]),
      tenant: q.tenant,
      text: textFilterOf("leads", q.q),
    },
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

/**
 * Task counts, overdue tasks and last activity per project, from the read counters (one row each, on their
 * unique indexes): the number of tasks a project has never changes what its row costs. `?` is today's date.
 */
export const PROJECT_METRICS = `
  ${countOf("p.tenant_id", "tasks", "project_id", "p.id")} AS tasks_total,
  ${countOf("p.tenant_id", "tasks", "project_status", "p.id || '|done'")} AS tasks_done,
  ${countOf("p.tenant_id", "tasks", "project_id", "p.id")}
    - ${countOf("p.tenant_id", "tasks", "project_status", "p.id || '|done'")} AS tasks_open,
  ${overdueOf("p.tenant_id", "p.id")} AS tasks_overdue,
  coalesce((SELECT ps.last_activity FROM project_stats ps WHERE ps.tenant_id = p.tenant_id AND ps.project_id = p.id),
    p.updated_at) AS last_activity`;

export async function listProjects({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  await assertCrm(ctx);
  const q = parse(projectListInput, input ?? {}, "project query");
  const today = ctx.now().toISOString().slice(0, 10);
  const built = filters();
  equals(built, "p.status", q.status);
  equals(built, "p.phase", q.phase);
  return page<CrmProject>(
    ctx,
    {
      table: "projects",
      alias: "p",
      joins:
        "JOIN tenants t ON t.id = p.tenant_id LEFT JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id",
      select: `${PROJECT_COLUMNS}, ${TENANT_COLS}, ${PROJECT_METRICS}`,
      selectBinds: [today], // the overdue metric's date, bound in the SELECT
      sort: q.sort,
      dir: q.dir,
      built,
      counter: counterOf(q.q, ["status", q.status], ["phase", q.phase]),
      tenant: q.tenant,
      text: textFilterOf("projects", q.q),
    },
    q,
  );
}
