/**
 * Tasks due tomorrow or overdue, told to their assignee (the cron, once an hour; decision 027). "Tomorrow" is
 * the agency's calendar day after today (kernel/time.ts). Each task is told once per due date and state: the
 * row's dedupe key makes later passes no-ops. Project by project, on the (tenant_id, status, due_date) index.
 */
import { agencyTimeZone, dayInZone } from "../kernel/time.ts";
import { listPortalProjects } from "../portal/reminders.ts";
import { notifyUser } from "./write.ts";

/** Tasks looked at per project and pass. */
export const DUE_TASKS_MAX = 200;

export async function notifyTasksDue({
  db,
  now,
}: {
  db: D1Database;
  now: Date;
}): Promise<{ notified: number; failed: Array<{ tenantId: string; error: unknown }> }> {
  const zone = await agencyTimeZone(db);
  const today = dayInZone(now, zone);
  const tomorrow = dayInZone(new Date(now.getTime() + 24 * 3600 * 1000), zone);
  const failed: Array<{ tenantId: string; error: unknown }> = [];
  let notified = 0;
  for (const tenant of await listPortalProjects(db)) {
    try {
      const { results } = await db
        .prepare(
          `SELECT id, title, assignee_id, due_date FROM tasks
           WHERE tenant_id = ? AND status IN ('todo', 'in_progress', 'review') AND due_date <= ? AND assignee_id IS NOT NULL
           ORDER BY due_date DESC LIMIT ?`,
        )
        .bind(tenant.id, tomorrow, DUE_TASKS_MAX)
        .all<{ id: string; title: string; assignee_id: number; due_date: string }>();
      if (results.length === 0) continue;
      const scope = { db, tenantId: tenant.id, actorId: null, at: now.toISOString() };
      const statements = results
        .filter((t) => t.due_date === tomorrow || t.due_date < today)
        .map((t) => {
          const variant = t.due_date === tomorrow ? "due_tomorrow" : "overdue";
          return notifyUser(
            scope,
            t.assignee_id,
            ["partner", "project_manager", "admin"],
            {
              kind: "task_due",
              object: { type: "task", id: t.id },
              title: t.title,
              variant,
              actorName: null,
            },
            `task_due:${t.id}:${t.due_date}:${variant}`,
          );
        });
      if (statements.length === 0) continue;
      const res = await db.batch(statements);
      notified += res.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
    } catch (error) {
      failed.push({ tenantId: tenant.id, error });
    }
  }
  return { notified, failed };
}
