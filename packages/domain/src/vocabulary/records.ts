/**
 * The values of the tenant-owned records' fixed fields (records/entities.ts builds its zod schemas from them),
 * the money bound of their amounts, and the deadline rules the lists and the dashboard count by.
 */

export const clientKinds = ["organization", "contact"] as const;
export type ClientKind = (typeof clientKinds)[number];

export const projectStatuses = ["planned", "active", "on_hold", "completed", "cancelled"] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const projectPhases = ["discovery", "design", "build", "launch", "support"] as const;
export type ProjectPhase = (typeof projectPhases)[number];

export const taskStatuses = ["todo", "in_progress", "review", "done"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const taskPriorities = ["low", "normal", "high", "urgent"] as const;
export type TaskPriority = (typeof taskPriorities)[number];

export const leadStages = ["new", "qualified", "proposal", "won", "lost"] as const;
export type LeadStage = (typeof leadStages)[number];

/** The largest amount a record holds, in cents (a budget, an estimate, a lead's value). */
export const MAX_CENTS = 1_000_000_000_000;

/** A project in one of these statuses has no deadline left to miss. */
export const closedProjectStatuses: readonly ProjectStatus[] = ["completed", "cancelled"];

/** The calendar day (UTC, YYYY-MM-DD) that due dates are compared with: what the SQL metrics bind too. */
export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

/**
 * A task is overdue when it is not done and its due date is before today (the day it is due is not late).
 * The same rule as the `tasks_overdue` and `overdue` counts of crm/lists.ts and metrics/.
 */
export function isTaskOverdue(
  task: { status: string; due_date: string | null | undefined },
  today: string,
): boolean {
  return task.status !== "done" && typeof task.due_date === "string" && task.due_date < today;
}

/** A project is late when its due date has passed and it is neither completed nor cancelled. */
export function isProjectOverdue(
  project: { status: string; due_date: string | null | undefined },
  today: string,
): boolean {
  return (
    typeof project.due_date === "string" &&
    project.due_date < today &&
    !(closedProjectStatuses as readonly string[]).includes(project.status)
  );
}

/** The most rows one bulk update or delete of the data API may change (a larger one is refused as a whole). */
export const MAX_BULK_ROWS = 500;
