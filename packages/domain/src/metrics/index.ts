/**
 * Project metrics: open and overdue tasks, progress, budget against estimate, last activity. For one project
 * or for the whole tenant. Every query names the tenant and runs on an index that starts with tenant_id
 * (tasks: (tenant_id, project_id, status) or (tenant_id, status, due_date); projects: (tenant_id, id)).
 */
import { z } from "zod";
import { countOf, overdueOf } from "../counters/index.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { assertCan } from "../records/index.ts";

export const projectMetricsInput = z.strictObject({
  projectId: z.uuid({ message: "must be a project id (UUID)" }).optional(),
});

export type ProjectMetrics = {
  scope: "project" | "tenant";
  project_id: string | null;
  projects: number;
  tasks: { total: number; open: number; done: number; overdue: number; progress: number | null };
  budgets: Array<{ currency: string; budget_cents: number | null; estimate_cents: number | null }>;
  last_activity_at: string | null;
};

type Counts = { projects: number; total: number; done: number; overdue: number; last: string | null };
type Budget = { currency: string; budget_cents: number | null; estimate_cents: number | null };

/**
 * Read from the counters (migrations/0010_read_counters.sql): a handful of rows, whatever the tenant holds. A
 * project's last activity includes its tasks' changes and deletions (project_stats).
 */
export async function getProjectMetrics({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: unknown;
}): Promise<ProjectMetrics> {
  const query = parse(projectMetricsInput, input, "metrics query");
  assertCan(ctx, "projects", "read");
  assertCan(ctx, "tasks", "read");
  const projectId = query.projectId ?? null;
  const today = ctx.now().toISOString().slice(0, 10);
  const t = ctx.tenant.id;
  const counts = projectId
    ? ctx.db
        .prepare(
          `SELECT (SELECT count(*) FROM projects WHERE tenant_id = ?2 AND id = ?3) AS projects,
             ${countOf("?2", "tasks", "project_id", "?3")} AS total,
             ${countOf("?2", "tasks", "project_status", "?3 || '|done'")} AS done,
             ${overdueOf("?2", "?3").replace("< ?", "< ?1")} AS overdue,
             (SELECT last_activity FROM project_stats WHERE tenant_id = ?2 AND project_id = ?3) AS last`,
        )
        .bind(today, t, projectId)
    : ctx.db
        .prepare(
          `SELECT ${countOf("?2", "projects", "", "''")} AS projects,
             ${countOf("?2", "tasks", "", "''")} AS total,
             ${countOf("?2", "tasks", "status", "'done'")} AS done,
             ${overdueOf("?2", "''").replace("< ?", "< ?1")} AS overdue,
             max(coalesce((SELECT last_activity FROM project_stats WHERE tenant_id = ?2 AND is_open = 0
                             ORDER BY last_activity DESC LIMIT 1), ''),
                 coalesce((SELECT last_activity FROM project_stats WHERE tenant_id = ?2 AND is_open = 1
                             ORDER BY last_activity DESC LIMIT 1), '')) AS last`,
        )
        .bind(today, t);
  const budgets = projectId
    ? ctx.db
        .prepare("SELECT currency, budget_cents, estimate_cents FROM projects WHERE tenant_id = ? AND id = ?")
        .bind(t, projectId)
    : ctx.db
        .prepare(
          `SELECT value AS currency, sum_a AS budget_cents, sum_b AS estimate_cents FROM record_counts
           WHERE tenant_id = ? AND entity = 'projects' AND field = 'currency' AND n > 0 ORDER BY value LIMIT 20`,
        )
        .bind(t);
  const [countRows, budgetRows] = await ctx.db.batch<Counts | Budget>([counts, budgets]);
  const c = countRows?.results[0] as Counts | undefined;
  if (projectId && !c?.projects)
    throw new DomainError("NOT_FOUND", "No project with this id in this project space.");
  const total = c?.total ?? 0;
  const done = c?.done ?? 0;
  return {
    scope: projectId ? "project" : "tenant",
    project_id: projectId,
    projects: c?.projects ?? 0,
    tasks: {
      total,
      open: total - done,
      done,
      overdue: c?.overdue ?? 0,
      progress: total === 0 ? null : Math.round((done / total) * 1000) / 1000,
    },
    budgets: (budgetRows?.results ?? []) as Budget[],
    last_activity_at: c?.last ? c.last : null,
  };
}
