/**
 * The shapes tools share: ids and paging in, rows out. User-written text comes back wrapped (./untrusted.ts),
 * and fields hidden from the caller's role (roles.ts `hiddenFields`: clients see no money) come back null.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { type ExposedEntity, hiddenFieldsFor } from "../kernel/roles.ts";
import {
  clientKinds,
  entities,
  leadStages,
  projectPhases,
  projectStatuses,
  taskPriorities,
  taskStatuses,
} from "../records/entities.ts";
import { listRecords } from "../records/index.ts";
import { wrapFields } from "./untrusted.ts";

export const id = (what: string) => z.uuid({ message: `must be a ${what} id (UUID)` });
export const page = {
  limit: z.number().int().min(1).max(100).default(20).describe("At most 100 rows per call."),
  offset: z.number().int().min(0).max(10_000).default(0),
  cursor: z
    .string()
    .max(400)
    .optional()
    .describe("The `next` of the previous page: the following page, read without skipping rows."),
};
export const userText = (what: string) =>
  z.string().describe(`${what}, wrapped in <untrusted-user-content>.`);
const optionalUserText = (what: string) => userText(what).nullable();
const timestamps = { created_at: z.string(), updated_at: z.string() };

export const projectOut = z.object({
  id: z.string(),
  name: userText("Project name"),
  description: optionalUserText("Description"),
  status: z.enum(projectStatuses),
  phase: z.enum(projectPhases),
  client_id: z.string().nullable(),
  contact_id: z.string().nullable().describe("The contact (a client of kind contact) of the project."),
  start_date: z.string().nullable(),
  due_date: z.string().nullable(),
  budget_cents: z.number().nullable(),
  estimate_cents: z.number().nullable(),
  currency: z.string(),
  ...timestamps,
});
export const taskOut = z.object({
  id: z.string(),
  project_id: z.string(),
  title: userText("Task title"),
  description: optionalUserText("Description"),
  status: z.enum(taskStatuses),
  priority: z.enum(taskPriorities),
  assignee_id: z.number().nullable(),
  due_date: z.string().nullable(),
  ...timestamps,
});
export const clientOut = z.object({
  id: z.string(),
  kind: z.enum(clientKinds),
  name: userText("Name"),
  email: z.string().nullable(),
  phone: optionalUserText("Phone"),
  organization_id: z.string().nullable(),
  notes: optionalUserText("Notes"),
  job_title: optionalUserText("Job title (a contact)"),
  ...timestamps,
});
export const leadOut = z.object({
  id: z.string(),
  client_id: z.string().nullable(),
  title: userText("Lead title"),
  contact_name: optionalUserText("Contact name"),
  email: z.string().nullable(),
  stage: z.enum(leadStages),
  value_cents: z.number().nullable(),
  source: optionalUserText("Source"),
  notes: optionalUserText("Notes"),
  contact_id: z.string().nullable().describe("The contact (a client of kind contact) this lead is with."),
  lost_reason: optionalUserText("Why the lead was lost"),
  ...timestamps,
});

export const metricsOut = z.object({
  scope: z.enum(["project", "tenant"]),
  project_id: z.string().nullable(),
  projects: z.number(),
  tasks: z.object({
    total: z.number(),
    open: z.number(),
    done: z.number(),
    overdue: z.number(),
    progress: z.number().nullable().describe("done / total, between 0 and 1; null without tasks."),
  }),
  budgets: z.array(
    z.object({
      currency: z.string(),
      budget_cents: z.number().nullable(),
      estimate_cents: z.number().nullable(),
    }),
  ),
  last_activity_at: z.string().nullable(),
});

/** The user-written columns of each entity (declared with the entity), wrapped on the way out. */
export const userTextFields = (entity: ExposedEntity): readonly string[] => entities[entity].userText;

export const wrap = (entity: ExposedEntity) => (row: Record<string, unknown>) =>
  wrapFields(row, userTextFields(entity));

/** A row as the caller's role may see it: user text wrapped, fields hidden from the role set to null. */
export function rowFor(ctx: Ctx, entity: ExposedEntity) {
  const hidden = hiddenFieldsFor(entity, ctx.role);
  return (row: Record<string, unknown>): Record<string, unknown> => {
    const out = wrap(entity)(row);
    for (const f of hidden) if (f in out) out[f] = null;
    return out;
  };
}

export const projectFor = (ctx: Ctx, row: Record<string, unknown>) => rowFor(ctx, "projects")(row);

export const listOut = <T extends z.ZodObject>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number(),
    /** True when there are more than `total` rows: a filter without a counter counts up to 1,000. */
    total_capped: z.boolean(),
    limit: z.number(),
    offset: z.number(),
    next: z.string().nullable(),
  });

function filterOf(values: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string | number] => e[1] !== undefined),
  );
}

export async function listOf(
  ctx: Ctx,
  entity: ExposedEntity,
  filter: Record<string, string | number | undefined>,
  paging: { limit: number; offset: number; cursor?: string | undefined },
) {
  const { limit, offset, cursor } = paging;
  const res = await listRecords({ ctx, input: { entity, filter: filterOf(filter), limit, offset, cursor } });
  return {
    items: res.data.map(rowFor(ctx, entity)),
    total: res.meta.total,
    total_capped: res.meta.totalCapped,
    limit: res.meta.limit,
    offset: res.meta.offset,
    next: res.meta.next,
  };
}

/** Metrics as the caller's role may see them: clients and partners see no budgets (as in their portal). */
export const metricsFor = <M extends { budgets: unknown[] }>(ctx: Ctx, metrics: M): M =>
  hiddenFieldsFor("projects", ctx.role).includes("budget_cents") ? { ...metrics, budgets: [] } : metrics;
