/**
 * Project metrics: open and overdue tasks, progress, budget against estimate, last activity. For one project
 * or for the whole tenant. Every query names the tenant and runs on an index that starts with tenant_id
 * (tasks: (tenant_id, project_id, status) or (tenant_id, status, due_date); projects: (tenant_id, id)).
 */
import { z } from "zod";
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

type TaskAgg = { total: number; done: number | null; overdue: number | null; last: string | null };
type Budget = { currency: string; budget_cents: number | null; estimate_cents: number | null };
type ProjectAgg = { n: number; last: string | null };

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
  const onProject = projectId ? " AND project_id = ?" : "";
  const binds = projectId ? [t, projectId] : [t];
  const [projects, tasks, budgets] = await ctx.db.batch<ProjectAgg | TaskAgg | Budget>([
    ctx.db
      .prepare(
        `SELECT count(*) AS n, max(updated_at) AS last FROM projects WHERE tenant_id = ?${projectId ? " AND id = ?" : ""}`,
      )
      .bind(...binds),
    ctx.db
      .prepare(
        `SELECT count(*) AS total,
                sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,
                sum(CASE WHEN status != 'done' AND due_date IS NOT NULL AND due_date < ? THEN 1 ELSE 0 END) AS overdue,
                max(updated_at) AS last
         FROM tasks WHERE tenant_id = ?${onProject}`,
      )
      .bind(today, ...binds),
    ctx.db
      .prepare(
        `SELECT currency, sum(budget_cents) AS budget_cents, sum(estimate_cents) AS estimate_cents
         FROM projects WHERE tenant_id = ?${projectId ? " AND id = ?" : ""}
         GROUP BY currency ORDER BY currency LIMIT 20`,
      )
      .bind(...binds),
  ]);
  const p = projects?.results[0] as ProjectAgg | undefined;
  if (projectId && !p?.n)
    throw new DomainError("NOT_FOUND", "No project with this id in this project space.");
  const agg = tasks?.results[0] as TaskAgg | undefined;
  const total = agg?.total ?? 0;
  const done = agg?.done ?? 0;
  const last = [p?.last ?? null, agg?.last ?? null].filter((v): v is string => v !== null).sort();
  return {
    scope: projectId ? "project" : "tenant",
    project_id: projectId,
    projects: p?.n ?? 0,
    tasks: {
      total,
      open: total - done,
      done,
      overdue: agg?.overdue ?? 0,
      progress: total === 0 ? null : Math.round((done / total) * 1000) / 1000,
    },
    budgets: (budgets?.results ?? []) as Budget[],
    last_activity_at: last.at(-1) ?? null,
  };
}
