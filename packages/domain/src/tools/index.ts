/**
 * Tool descriptors: the domain verbs an AI agent may call, with what a transport needs to expose them
 * (name, description, read or write scope, destructive flag, zod input and output) and a `run` that checks
 * the role and the token scope again, validates the input, calls the verb and shapes the output.
 *
 * No raw tables: every tool goes through a verb (records, metrics, search), which names the tenant in every
 * statement and checks the role itself. User-written text comes back wrapped (./untrusted.ts).
 *
 * Portal tools: `list_documents` (metadata only, never file contents or links) and `post_message` (to the
 * project's thread; delivered live by the transport).
 */
import { z } from "zod";
import { leadAnalysis } from "../intake/leads.ts";
import { analysisSchema } from "../intake/schema.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { can, type ExposedEntity, hasCapability, hiddenFieldsFor, type TenantRole } from "../kernel/roles.ts";
import { getProjectMetrics } from "../metrics/index.ts";
import { documentVisibilities, listDocuments, postMessage } from "../portal/index.ts";
import {
  clientKinds,
  leadStages,
  projectPhases,
  projectStatuses,
  taskPriorities,
  taskStatuses,
} from "../records/entities.ts";
import { createRecord, getRecord, listRecords, updateRecord } from "../records/index.ts";
import { searchEverything } from "../search/index.ts";
import { assertActorMayWrite } from "../tokens/index.ts";
import { untrusted, wrapFields } from "./untrusted.ts";

export * from "./untrusted.ts";

export type ToolScope = "read" | "write";

export type ToolDescriptor = {
  name: string;
  title: string;
  description: string;
  scope: ToolScope;
  /** May destroy or overwrite data the caller can't get back (MCP `destructiveHint`). */
  destructive: boolean;
  /** Calling it twice with the same input has no further effect (MCP `idempotentHint`). */
  idempotent: boolean;
  /** The tenant roles that may call it; the verb checks again. */
  allowedFor: (role: TenantRole) => boolean;
  input: z.ZodObject;
  output: z.ZodObject;
  /** Checks role and scope, validates the input, runs the verb, returns the output (parsed: no extra field). */
  run: (args: { ctx: Ctx; input: unknown }) => Promise<Record<string, unknown>>;
};

function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: {
  name: string;
  title: string;
  description: string;
  scope: ToolScope;
  destructive?: boolean;
  idempotent?: boolean;
  allowedFor: (role: TenantRole) => boolean;
  input: I;
  output: O;
  /** Rows from D1 are untyped: the output schema is checked on every result instead (see `run`). */
  handler: (args: { ctx: Ctx; input: z.output<I> }) => Promise<unknown>;
}): ToolDescriptor {
  const { handler, ...rest } = def;
  return {
    ...rest,
    destructive: def.destructive ?? false,
    idempotent: def.idempotent ?? def.scope === "read",
    run: async ({ ctx, input }) => {
      if (!def.allowedFor(ctx.role)) {
        throw new DomainError(
          "FORBIDDEN",
          `Your role (${ctx.role}) may not use ${def.name} in this project.`,
        );
      }
      if (def.scope === "write") assertActorMayWrite(ctx.actor);
      const parsed = def.input.safeParse(input ?? {});
      if (!parsed.success) throw validationError(parsed.error.issues, `Invalid arguments for ${def.name}`);
      const result = await handler({ ctx, input: parsed.data });
      const out = def.output.safeParse(result);
      if (!out.success) {
        throw new DomainError("INTERNAL", `The result of ${def.name} did not match its schema.`, {
          cause: out.error,
        });
      }
      return out.data as Record<string, unknown>;
    },
  };
}

const reads = (entity: ExposedEntity) => (role: TenantRole) => can(role, entity, "read");

// --- shared schemas -------------------------------------------------------------------------------------

const id = (what: string) => z.uuid({ message: `must be a ${what} id (UUID)` });
const page = {
  limit: z.number().int().min(1).max(100).default(20).describe("At most 100 rows per call."),
  offset: z.number().int().min(0).max(10_000).default(0),
};
const userText = (what: string) => z.string().describe(`${what}, wrapped in <untrusted-user-content>.`);
const optionalUserText = (what: string) => userText(what).nullable();
const timestamps = { created_at: z.string(), updated_at: z.string() };

const projectOut = z.object({
  id: z.string(),
  name: userText("Project name"),
  description: optionalUserText("Description"),
  status: z.enum(projectStatuses),
  phase: z.enum(projectPhases),
  client_id: z.string().nullable(),
  start_date: z.string().nullable(),
  due_date: z.string().nullable(),
  budget_cents: z.number().nullable(),
  estimate_cents: z.number().nullable(),
  currency: z.string(),
  ...timestamps,
});
const taskOut = z.object({
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
const clientOut = z.object({
  id: z.string(),
  kind: z.enum(clientKinds),
  name: userText("Name"),
  email: z.string().nullable(),
  phone: optionalUserText("Phone"),
  organization_id: z.string().nullable(),
  notes: optionalUserText("Notes"),
  ...timestamps,
});
const leadOut = z.object({
  id: z.string(),
  client_id: z.string().nullable(),
  title: userText("Lead title"),
  contact_name: optionalUserText("Contact name"),
  email: z.string().nullable(),
  stage: z.enum(leadStages),
  value_cents: z.number().nullable(),
  source: optionalUserText("Source"),
  notes: optionalUserText("Notes"),
  ...timestamps,
});

/** The user-written columns of each entity, wrapped on the way out. */
export const userTextFields: Record<ExposedEntity, readonly string[]> = {
  projects: ["name", "description"],
  tasks: ["title", "description"],
  clients: ["name", "phone", "notes"],
  leads: ["title", "contact_name", "source", "notes"],
};

const wrap = (entity: ExposedEntity) => (row: Record<string, unknown>) =>
  wrapFields(row, userTextFields[entity]);

/**
 * A row as the caller's role may see it: user text wrapped, fields hidden from the role (roles.ts
 * `hiddenFields`: clients see no money, as in their portal and the data API) set to null.
 */
function rowFor(ctx: Ctx, entity: ExposedEntity) {
  const hidden = hiddenFieldsFor(entity, ctx.role);
  return (row: Record<string, unknown>): Record<string, unknown> => {
    const out = wrap(entity)(row);
    for (const f of hidden) if (f in out) out[f] = null;
    return out;
  };
}

const projectFor = (ctx: Ctx, row: Record<string, unknown>) => rowFor(ctx, "projects")(row);

const listOut = <T extends z.ZodObject>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

function filterOf(values: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string | number] => e[1] !== undefined),
  );
}

async function listOf(
  ctx: Ctx,
  entity: ExposedEntity,
  filter: Record<string, string | number | undefined>,
  paging: { limit: number; offset: number },
) {
  const { limit, offset } = paging;
  const res = await listRecords({ ctx, input: { entity, filter: filterOf(filter), limit, offset } });
  return {
    items: res.data.map(rowFor(ctx, entity)),
    total: res.meta.total,
    limit: res.meta.limit,
    offset: res.meta.offset,
  };
}

// --- the tools ------------------------------------------------------------------------------------------

const listProjects = defineTool({
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

const getProject = defineTool({
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

const listTasks = defineTool({
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

const getTask = defineTool({
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

const createTask = defineTool({
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

const updateTaskStatus = defineTool({
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

const listClients = defineTool({
  name: "list_clients",
  title: "List clients",
  description: "Lists the CRM's organisations and contacts, newest first. Not available to clients.",
  scope: "read",
  allowedFor: reads("clients"),
  input: z.strictObject({
    kind: z.enum(clientKinds).optional(),
    organization_id: id("organisation").optional(),
    ...page,
  }),
  output: listOut(clientOut),
  handler: ({ ctx, input }) =>
    listOf(ctx, "clients", { kind: input.kind, organization_id: input.organization_id }, input),
});

const getClient = defineTool({
  name: "get_client",
  title: "Get a client",
  description: "One organisation or contact by id, with its notes. Not available to clients.",
  scope: "read",
  allowedFor: reads("clients"),
  input: z.strictObject({ id: id("client") }),
  output: z.object({ client: clientOut }),
  handler: async ({ ctx, input }) => ({
    client: wrap("clients")(await getRecord({ ctx, input: { entity: "clients", id: input.id } })),
  }),
});

const listLeads = defineTool({
  name: "list_leads",
  title: "List leads",
  description: "Lists sales leads, newest first. Filter by stage or client. Not available to clients.",
  scope: "read",
  allowedFor: reads("leads"),
  input: z.strictObject({
    stage: z.enum(leadStages).optional(),
    client_id: id("client").optional(),
    ...page,
  }),
  output: listOut(leadOut),
  handler: ({ ctx, input }) =>
    listOf(ctx, "leads", { stage: input.stage, client_id: input.client_id }, input),
});

export const LEAD_WITHOUT_INTAKE = "This lead did not come from the intake form: it has no analysis.";

/** Every string inside (an analysis quotes the intake's answers), wrapped as user-written text. */
function wrapStrings(value: unknown): unknown {
  if (typeof value === "string") return untrusted(value);
  if (Array.isArray(value)) return value.map(wrapStrings);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrapStrings(v)]));
  }
  return value;
}

const ENUM_FIELDS = new Set(["project_type", "complexity", "source", "phase"]);

/** The analysis for an agent: free text wrapped, enums (type, complexity, sources, phases) left readable. */
function wrapAnalysis(value: unknown, key = ""): unknown {
  if (typeof value === "string") return ENUM_FIELDS.has(key) ? value : wrapStrings(value);
  if (Array.isArray(value)) return value.map((v) => wrapAnalysis(v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrapAnalysis(v, k)]));
  }
  return value;
}

const getLead = defineTool({
  name: "get_lead",
  title: "Get a lead",
  description:
    "One lead by id, with its notes and, for a lead from the intake form, its analysis (summary, requirements citing the answers, risks, open questions, complexity, effort and budget ranges, phases). Not available to clients.",
  scope: "read",
  allowedFor: reads("leads"),
  input: z.strictObject({ id: id("lead") }),
  output: z.object({
    lead: leadOut,
    analysis: analysisSchema
      .extend({ analyser: z.string(), analyser_note: z.string().nullable() })
      .nullable()
      .describe("null when the lead did not come from the intake form."),
    analysis_note: z.string(),
  }),
  handler: async ({ ctx, input }) => {
    const lead = wrap("leads")(await getRecord({ ctx, input: { entity: "leads", id: input.id } }));
    const analysis = await leadAnalysis(ctx, input.id);
    if (!analysis) return { lead, analysis: null, analysis_note: LEAD_WITHOUT_INTAKE };
    const { analyser, analyser_note, ...rest } = analysis;
    return {
      lead,
      analysis: {
        ...(wrapAnalysis(rest) as typeof rest),
        analyser,
        analyser_note,
      },
      analysis_note: analyser_note
        ? `Analysed by ${analyser} (${analyser_note}).`
        : `Analysed by ${analyser}.`,
    };
  },
});

const metricsOut = z.object({
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

const projectMetrics = defineTool({
  name: "get_project_metrics",
  title: "Project metrics",
  description:
    "Open, done and overdue tasks, progress, budget against estimate and last activity — for one project (project_id) or for the whole client space.",
  scope: "read",
  allowedFor: (role) => can(role, "projects", "read") && can(role, "tasks", "read"),
  input: z.strictObject({ project_id: id("project").optional() }),
  output: metricsOut,
  handler: async ({ ctx, input }) => {
    const metrics = await getProjectMetrics({
      ctx,
      input: input.project_id ? { projectId: input.project_id } : {},
    });
    return ctx.role === "client" ? { ...metrics, budgets: [] } : metrics;
  },
});

const search = defineTool({
  name: "search",
  title: "Search",
  description:
    "Searches everything you may see in this client space by name or title: projects and tasks, and for the team also clients and leads.",
  scope: "read",
  allowedFor: () => true,
  input: z.strictObject({
    query: z.string().trim().min(2, "must be at least 2 characters").max(100),
    limit: z.number().int().min(1).max(50).default(10).describe("Per kind of record."),
  }),
  output: z.object({
    query: z.string(),
    searched: z.array(z.string()),
    results: z.array(
      z.object({
        entity: z.string(),
        id: z.string(),
        label: userText("Name or title"),
        status: z.string().nullable(),
        project_id: z.string().nullable(),
        updated_at: z.string(),
      }),
    ),
  }),
  handler: async ({ ctx, input }) => {
    const res = await searchEverything({ ctx, input });
    return { ...res, results: res.results.map((r) => wrapFields(r, ["label"])) };
  },
});

const listDocumentsTool = defineTool({
  name: "list_documents",
  title: "List documents",
  description:
    "Lists the project's documents (metadata only: title, visibility, current version, file name, type, size, SHA-256, approval state). Clients see client-facing documents only. Files are downloaded in the portal, not through this tool.",
  scope: "read",
  allowedFor: (role) => hasCapability(role, "documents.read_client_facing"),
  input: z.strictObject({
    visibility: z
      .enum(documentVisibilities)
      .optional()
      .describe("The team may filter; clients always get client-facing ones."),
    limit: z.number().int().min(1).max(100).default(50),
  }),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        title: userText("Document title"),
        visibility: z.enum(documentVisibilities),
        current_version: z.number(),
        file_name: userText("File name"),
        mime_type: z.string(),
        size_bytes: z.number(),
        sha256: z.string(),
        approval_status: z.string().nullable(),
        updated_at: z.string(),
      }),
    ),
    total: z.number(),
  }),
  handler: async ({ ctx, input }) => {
    const res = await listDocuments({ ctx, input });
    return {
      total: res.total,
      items: res.rows.map((d) =>
        wrapFields(
          {
            id: d.id,
            title: d.title,
            visibility: d.visibility,
            current_version: d.current_version,
            file_name: d.latest.file_name,
            mime_type: d.latest.mime_type,
            size_bytes: d.latest.size_bytes,
            sha256: d.latest.sha256,
            approval_status: d.approval?.status ?? null,
            updated_at: d.updated_at,
          },
          ["title", "file_name"],
        ),
      ),
    };
  },
});

const postMessageTool = defineTool({
  name: "post_message",
  title: "Post a message",
  description:
    "Posts a message to the project's thread between the client and the project managers. Everyone with the portal open sees it at once. Signed with the token owner's name.",
  scope: "write",
  idempotent: false,
  allowedFor: (role) => hasCapability(role, "messages.send"),
  input: z.strictObject({
    body: z.string().trim().min(1).max(5000).describe("Plain text, up to 5000 characters."),
  }),
  output: z.object({ id: z.string(), seq: z.number(), created_at: z.string() }),
  handler: async ({ ctx, input }) => {
    const m = await postMessage({ ctx, input });
    return { id: m.id, seq: m.seq, created_at: m.created_at };
  },
});

/** Every tool, in the order an agent sees them. */
export const tools: readonly ToolDescriptor[] = [
  listProjects,
  getProject,
  listTasks,
  getTask,
  createTask,
  updateTaskStatus,
  listClients,
  getClient,
  listLeads,
  getLead,
  projectMetrics,
  search,
  listDocumentsTool,
  postMessageTool,
];

export const toolsByName: ReadonlyMap<string, ToolDescriptor> = new Map(tools.map((t) => [t.name, t]));

/** Tools a token may see in a tenant where its user has `role`: write tools only for write tokens. */
export function toolsFor(role: TenantRole, scope: ToolScope): ToolDescriptor[] {
  return tools.filter((t) => t.allowedFor(role) && (t.scope === "read" || scope === "write"));
}

// --- resources ------------------------------------------------------------------------------------------

/** The summary of one project: the project, its metrics and up to 20 open tasks (most urgent first). */
export async function projectSummary({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const parsed = z.strictObject({ id: id("project") }).safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid project summary");
  const project = await getRecord({ ctx, input: { entity: "projects", id: parsed.data.id } });
  const all = await getProjectMetrics({ ctx, input: { projectId: parsed.data.id } });
  const metrics = ctx.role === "client" ? { ...all, budgets: [] } : all;
  const open = await ctx.db
    .prepare(
      `SELECT * FROM tasks WHERE tenant_id = ? AND project_id = ? AND status IN ('todo', 'in_progress', 'review')
       ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                coalesce(due_date, '9999-12-31'), id
       LIMIT 20`,
    )
    .bind(ctx.tenant.id, parsed.data.id)
    .all<Record<string, unknown>>();
  return {
    tenant: { subdomain: ctx.tenant.subdomain, name: untrustedName(ctx.tenant.name) },
    project: projectOut.parse(projectFor(ctx, project)),
    metrics: metricsOut.parse(metrics),
    open_tasks: open.results.map((t) => taskOut.parse(wrap("tasks")(t))),
  };
}

function untrustedName(name: string): string {
  return wrapFields({ name }, ["name"]).name;
}
