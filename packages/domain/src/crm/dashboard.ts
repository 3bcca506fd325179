/**
 * The CRM dashboard: per-project metrics (open and overdue tasks, progress, budget against estimate, last
 * activity) and the lead pipeline by stage, over the caller's scope, from the read counters: what it reads does
 * not grow with the number of tasks, leads or projects (docs/decisions/015-read-counters.md).
 */
import { leadStages } from "../records/entities.ts";
import { type CrmProject, PER_TENANT_MAX, PROJECT_COLUMNS, PROJECT_METRICS, TENANT_COLS } from "./lists.ts";
import { activeTenant, assertCrm, type CrmCtx, managedTenants, seesAllActiveTenants } from "./scope.ts";

export type LeadStageSummary = { stage: (typeof leadStages)[number]; count: number; value_cents: number };

export type Dashboard = {
  projects: CrmProject[];
  leads: LeadStageSummary[];
  totals: {
    projects: number;
    activeProjects: number;
    openTasks: number;
    overdueTasks: number;
    budgetCents: number;
    estimateCents: number;
    pipelineCents: number;
  };
};

export const DASHBOARD_PROJECTS = 50;

export async function getDashboard({ ctx }: { ctx: CrmCtx }): Promise<Dashboard> {
  await assertCrm(ctx);
  const today = ctx.now().toISOString().slice(0, 10);
  const scope = managedTenants(ctx.identity);
  // agency staff: each walked row's tenant looked up, and the pipeline from agency_counts (decision 021)
  const allActive = seesAllActiveTenants(ctx.identity);
  const { results: inScope } = await ctx.db
    .prepare(`SELECT id FROM (${scope.sql}) LIMIT ${PER_TENANT_MAX + 1}`)
    .bind(...scope.binds)
    .all<{ id: string }>();
  // The open projects with the latest activity: project_stats' (tenant_id, is_open, last_activity) index for a
  // few tenants (merged here), its (is_open, last_activity) index for more. Each reads about 50 rows.
  const select = (
    hint = "",
  ) => `SELECT ${PROJECT_COLUMNS}, ${TENANT_COLS}, ${PROJECT_METRICS}, s.rowid AS __rowid
    FROM project_stats s ${hint} CROSS JOIN projects p ON p.tenant_id = s.tenant_id AND p.id = s.project_id
    JOIN tenants t ON t.id = p.tenant_id
    LEFT JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id`;
  // rowid breaks ties: both indexes end with it, so the walk stops after 50 rows
  const order = `ORDER BY s.last_activity DESC, s.rowid DESC LIMIT ${DASHBOARD_PROJECTS}`;
  const pages =
    inScope.length <= PER_TENANT_MAX
      ? inScope.map((t) =>
          ctx.db.prepare(`${select()} WHERE s.tenant_id = ? AND s.is_open = 1 ${order}`).bind(today, t.id),
        )
      : [
          ctx.db
            .prepare(
              `${select('INDEXED BY "idx_project_stats_is_open_last_activity"')}
               WHERE s.is_open = 1 AND ${allActive ? activeTenant("s.tenant_id") : `s.tenant_id IN (${scope.sql})`}
               ${order}`,
            )
            .bind(today, ...(allActive ? [] : scope.binds)),
        ];
  // the pipeline: for agency staff over every active tenant, agency_counts' lead stages (a row per stage,
  // decision 021); for others each tenant's lead counters by stage (a row per tenant and stage)
  const stages = allActive
    ? ctx.db.prepare(
        `SELECT value AS stage, n AS count, sum_a AS value_cents FROM agency_counts
         WHERE entity = 'leads' AND field = 'stage'`,
      )
    : ctx.db
        .prepare(
          `SELECT value AS stage, sum(n) AS count, sum(sum_a) AS value_cents FROM record_counts
           WHERE tenant_id IN (${scope.sql}) AND entity = 'leads' AND field = 'stage' GROUP BY value`,
        )
        .bind(...scope.binds);
  const results = inScope.length === 0 ? [] : await ctx.db.batch([...pages, stages]);
  const leads = results.at(-1);
  const projects = {
    results: results
      .slice(0, -1)
      .flatMap((r) => (r.results ?? []) as Array<CrmProject & { __rowid: number }>)
      .sort((a, b) =>
        a.last_activity === b.last_activity
          ? b.__rowid - a.__rowid
          : a.last_activity < b.last_activity
            ? 1
            : -1,
      )
      .slice(0, DASHBOARD_PROJECTS)
      .map(({ __rowid, ...project }) => project),
  };
  const rows = (projects?.results ?? []) as CrmProject[];
  const byStage = new Map(((leads?.results ?? []) as LeadStageSummary[]).map((l) => [l.stage, l] as const));
  const leadSummary = leadStages.map((stage) => ({
    stage,
    count: Number(byStage.get(stage)?.count ?? 0),
    value_cents: Number(byStage.get(stage)?.value_cents ?? 0),
  }));
  const sum = (f: (p: CrmProject) => number | null) => rows.reduce((n, p) => n + (f(p) ?? 0), 0);
  return {
    projects: rows,
    leads: leadSummary,
    totals: {
      projects: rows.length,
      activeProjects: rows.filter((p) => p.status === "active").length,
      openTasks: sum((p) => p.tasks_open),
      overdueTasks: sum((p) => p.tasks_overdue),
      budgetCents: sum((p) => p.budget_cents),
      estimateCents: sum((p) => p.estimate_cents),
      pipelineCents: leadSummary
        .filter((l) => l.stage !== "won" && l.stage !== "lost")
        .reduce((n, l) => n + l.value_cents, 0),
    },
  };
}
