/**
 * MCP resources: the summary of one project (the project, its metrics and its open tasks), and the list of
 * projects whose summaries an agent may read.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { can, type TenantRole } from "../kernel/roles.ts";
import { getProjectMetrics } from "../metrics/index.ts";
import { getRecord } from "../records/index.ts";
import { id, metricsFor, metricsOut, projectFor, projectOut, taskOut, wrap } from "./shapes.ts";
import { wrapFields } from "./untrusted.ts";

const summaryInput = z.strictObject({ id: id("project") });

/** The summary of one project: the project, its metrics and up to 20 open tasks (most urgent first). */
export async function projectSummary({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { id: projectId } = parse(summaryInput, input, "project summary");
  const project = await getRecord({ ctx, input: { entity: "projects", id: projectId } });
  const metrics = metricsFor(ctx, await getProjectMetrics({ ctx, input: { projectId } }));
  const open = await ctx.db
    .prepare(
      `SELECT * FROM tasks WHERE tenant_id = ? AND project_id = ? AND status IN ('todo', 'in_progress', 'review')
       ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                coalesce(due_date, '9999-12-31'), id
       LIMIT 20`,
    )
    .bind(ctx.tenant.id, projectId)
    .all<Record<string, unknown>>();
  return {
    tenant: { subdomain: ctx.tenant.subdomain, name: wrapFields({ name: ctx.tenant.name }, ["name"]).name },
    project: projectOut.parse(projectFor(ctx, project)),
    metrics: metricsOut.parse(metrics),
    open_tasks: open.results.map((t) => taskOut.parse(wrap("tasks")(t))),
  };
}

/** At most this many tenants, and this many newest projects in each, are listed as resources. */
export const RESOURCE_TENANTS_MAX = 25;
export const RESOURCE_PROJECTS_MAX = 20;

type ReachedTenant = { id: string; subdomain: string; role: TenantRole };

/**
 * The newest projects of the tenants a token reaches (as listTokenTenants resolved them, with the user's role in
 * each), in one batch; tenants where the role may not read projects are left out. Names are the user's text:
 * the transport wraps them.
 */
export async function listProjectResources({
  db,
  tenants,
}: {
  db: D1Database;
  tenants: readonly ReachedTenant[];
}): Promise<Array<{ tenant: ReachedTenant; projects: Array<{ id: string; name: string }> }>> {
  const readable = tenants.filter((t) => can(t.role, "projects", "read")).slice(0, RESOURCE_TENANTS_MAX);
  if (readable.length === 0) return [];
  const rows = await db.batch<{ id: string; name: string }>(
    readable.map((t) =>
      db
        .prepare(
          "SELECT id, name FROM projects WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
        )
        .bind(t.id, RESOURCE_PROJECTS_MAX),
    ),
  );
  return readable.map((tenant, i) => ({ tenant, projects: rows[i]?.results ?? [] }));
}
