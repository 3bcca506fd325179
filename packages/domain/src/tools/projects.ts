/** Tools over a client space's projects and tasks, and its metrics. */
import { z } from "zod";
import { can } from "../kernel/roles.ts";
import { getProjectMetrics } from "../metrics/index.ts";
import { projectPhases, projectStatuses, taskPriorities, taskStatuses } from "../records/entities.ts";
import { createRecord, getRecord, updateRecord } from "../records/index.ts";
import { defineTool, reads, type ToolDescriptor } from "./descriptor.ts";
import {
  id,
  listOf,
  listOut,
  metricsFor,
  metricsOut,
  page,
  projectFor,
  projectOut,
  taskOut,
  wrap,
} from "./shapes.ts";

export const listProjects = defineTool({
  name: "list_projects",
  title: "List projects",
  description:
    "Lists the projects of this client space with their status and phase, newest first. Filter by status, phase or client.",
  scope: "read",
  allowedFor: reads("projects"),
  input: z.strictObject({
    status: z.enum(projectStatuses).optional(),
    phase: z.enum(projectPhases).optional(),
    client_id: id("client").optional(),
    ...page,
  }),
  output: listOut(projectOut),
  handler: ({ ctx, input }) =>
    listOf(ctx, "projects", { status: input.status, phase: input.phase, client_id: input.client_id }, input),
});

export const getProject = defineTool({
  name: "get_project",
  title: "Get a project",
  description: "One project by id: status, phase, dates, budget and estimate.",
  scope: "read",
  allowedFor: reads("projects"),
  input: z.strictObject({ id: id("project") }),
  output: z.object({ project: projectOut }),
  handler: async ({ ctx, input }) => ({
    project: projectFor(ctx, await getRecord({ ctx, input: { entity: "projects", id: input.id } })),
  }),
});

export const listTasks = defineTool({
  name: "list_tasks",
  title: "List tasks",
  description: "Lists tasks, newest first. Filter by project, status, priority or assignee (user id).",
  scope: "read",
  allowedFor: reads("tasks"),
  input: z.strictObject({
    project_id: id("project").optional(),
    status: z.enum(taskStatuses).optional(),
    priority: z.enum(taskPriorities).optional(),
    assignee_id: z.number().int().positive().optional(),
    ...page,
  }),
  output: listOut(taskOut),
  handler: ({ ctx, input }) =>
    listOf(
      ctx,
      "tasks",
      {
        project_id: input.project_id,
        status: input.status,
        priority: input.priority,
        assignee_id: input.assignee_id,
      },
      input,
    ),
});

export const getTask = defineTool({
  name: "get_task",
  title: "Get a task",
  description: "One task by id, with its description.",
  scope: "read",
  allowedFor: reads("tasks"),
  input: z.strictObject({ id: id("task") }),
  output: z.object({ task: taskOut }),
  handler: async ({ ctx, input }) => ({
    task: wrap("tasks")(await getRecord({ ctx, input: { entity: "tasks", id: input.id } })),
  }),
});

export const createTask = defineTool({
  name: "create_task",
  title: "Create a task",
  description:
    "Creates a task in a project (status todo unless given). Needs a token with write access and a project manager or admin role.",
  scope: "write",
  idempotent: false,
  allowedFor: (role) => can(role, "tasks", "create"),
  input: z.strictObject({
    project_id: id("project"),
    title: z.string().trim().min(1).max(300),
    description: z.string().trim().max(10_000).optional(),
    status: z.enum(taskStatuses).optional(),
    priority: z.enum(taskPriorities).optional(),
    due_date: z.iso.date({ message: "must be a date formatted YYYY-MM-DD" }).optional(),
    assignee_id: z.number().int().positive().optional(),
  }),
  output: z.object({ task: taskOut }),
  handler: async ({ ctx, input }) => ({
    task: wrap("tasks")(await createRecord({ ctx, input: { entity: "tasks", data: input } })),
  }),
});

export const updateTaskStatus = defineTool({
  name: "update_task_status",
  title: "Change a task's status",
  description:
    "Moves a task to todo, in_progress, review or done. Needs a token with write access and a project manager or admin role.",
  scope: "write",
  idempotent: true,
  allowedFor: (role) => can(role, "tasks", "update"),
  input: z.strictObject({ id: id("task"), status: z.enum(taskStatuses) }),
  output: z.object({ task: taskOut }),
  handler: async ({ ctx, input }) => ({
    task: wrap("tasks")(
      await updateRecord({ ctx, input: { entity: "tasks", id: input.id, data: { status: input.status } } }),
    ),
  }),
});

export const projectMetrics = defineTool({
  name: "get_project_metrics",
  title: "Project metrics",
  description:
    "Open, done and overdue tasks, progress, budget against estimate and last activity — for one project (project_id) or for the whole client space.",
  scope: "read",
  allowedFor: (role) => can(role, "projects", "read") && can(role, "tasks", "read"),
  input: z.strictObject({ project_id: id("project").optional() }),
  output: metricsOut,
  handler: async ({ ctx, input }) =>
    metricsFor(
      ctx,
      await getProjectMetrics({ ctx, input: input.project_id ? { projectId: input.project_id } : {} }),
    ),
});

/** This area's tools, in the order an agent sees them (tools/index.ts puts the areas together). */
export const projectTools: readonly ToolDescriptor[] = [
  listProjects,
  getProject,
  listTasks,
  getTask,
  createTask,
  updateTaskStatus,
  projectMetrics,
];
