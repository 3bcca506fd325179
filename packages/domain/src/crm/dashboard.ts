/**
 * The CRM dashboard: per-project metrics (open and overdue tasks, progress, budget against estimate, last
 * activity) and the lead pipeline by stage, over the caller's scope. Two statements in one batch.
 */
import { leadStages } from "../records/entities.ts";
import { type CrmProject, PROJECT_COLUMNS, PROJECT_METRICS, TENANT_COLS } from "./lists.ts";
import { assertCrm, type CrmCtx, managedTenants } from "./scope.ts";

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
  const [projects, leads] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT ${PROJECT_COLUMNS}, ${TENANT_COLS}, ${PROJECT_METRICS}
         FROM projects p JOIN tenants t ON t.id = p.tenant_id
         LEFT JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
         WHERE p.tenant_id IN (${scope.sql}) AND p.status IN ('planned', 'active', 'on_hold')
         ORDER BY last_activity DESC LIMIT ${DASHBOARD_PROJECTS}`,
      )
      .bind(today, ...scope.binds),
    ctx.db
      .prepare(
        `SELECT stage, count(*) AS count, coalesce(sum(value_cents), 0) AS value_cents FROM leads
         WHERE tenant_id IN (${scope.sql}) GROUP BY stage`,
      )
      .bind(...scope.binds),
  ]);
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
