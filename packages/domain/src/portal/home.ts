/**
 * The client portal's home: the project's name, status, current phase and timeline, and task progress.
 * Everyone with access to the tenant sees it; money (budget, estimate) is left out for clients.
 */
import { countOf } from "../counters/index.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { hasCapability, hiddenFieldsFor } from "../kernel/roles.ts";
import { projectPhases, type projectStatuses } from "../records/entities.ts";
import { touchActive } from "./counters.ts";
import { assertPortalTenant } from "./tenant.ts";

export type PortalProject = {
  id: string;
  name: string;
  description: string | null;
  status: (typeof projectStatuses)[number];
  phase: (typeof projectPhases)[number];
  start_date: string | null;
  due_date: string | null;
  tasks_total: number;
  tasks_done: number;
  budget_cents?: number | null;
  currency?: string;
};

export type PortalHome = {
  tenant: Ctx["tenant"];
  role: Ctx["role"];
  projects: PortalProject[];
  phases: typeof projectPhases;
};

export async function getPortalHome({ ctx }: { ctx: Ctx }): Promise<PortalHome> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "tenant.read"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  // Money only for roles that may see it (roles.ts `hiddenFields`).
  const money = hiddenFieldsFor("projects", ctx.role).includes("budget_cents")
    ? ""
    : ", p.budget_cents, p.currency";
  const { results } = await ctx.db
    .prepare(
      `SELECT p.id, p.name, p.description, p.status, p.phase, p.start_date, p.due_date${money},
         ${countOf("p.tenant_id", "tasks", "project_id", "p.id")} AS tasks_total,
         ${countOf("p.tenant_id", "tasks", "project_status", "p.id || '|done'")} AS tasks_done
       FROM projects p WHERE p.tenant_id = ? ORDER BY p.created_at LIMIT 20`,
    )
    .bind(ctx.tenant.id)
    .all<PortalProject>();
  // Opening the portal counts the person as active today (counters.ts: active users).
  const active = touchActive(ctx);
  if (active) await active.run();
  return { tenant: ctx.tenant, role: ctx.role, projects: results, phases: projectPhases };
}
