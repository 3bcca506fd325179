/**
 * The MCP tools as the tests see them: one entry per tool, so a new tool is one entry here (the tool tests,
 * the MCP tests and the MCP isolation matrix fail until it has one). `writes` and `clients` are the
 * specification the descriptors are checked against, written by hand on purpose: they are not read from the
 * descriptors they check.
 */
import { entities, exposedEntityNames } from "../src/records/entities.ts";
import type { Refs } from "./scenario.ts";

export type ToolCase = {
  /** Valid arguments in a tenant whose rows are `r`. */
  args: (r: Refs) => Record<string, unknown>;
  /** What the isolation matrix sends with another tenant's rows (default: `args`). */
  attack?: (r: Refs) => Record<string, unknown>;
  /** A write tool: only for write tokens. */
  writes: boolean;
  /** Whether a client of the project may use it. */
  clients: boolean;
  /** A list tool: the table whose rows its `total` counts. */
  counts?: string;
  /** No id argument to point at another tenant's rows. */
  noIds?: boolean;
};

export const toolCases: Readonly<Record<string, ToolCase>> = {
  list_projects: {
    args: () => ({ status: "planned" }),
    attack: (r) => ({ client_id: r.clients }),
    writes: false,
    clients: true,
    counts: "projects",
  },
  get_project: { args: (r) => ({ id: r.projects }), writes: false, clients: true },
  list_tasks: { args: (r) => ({ project_id: r.projects }), writes: false, clients: true, counts: "tasks" },
  get_task: { args: (r) => ({ id: r.tasks }), writes: false, clients: true },
  create_task: {
    args: (r) => ({ project_id: r.projects, title: "Written by an agent", priority: "high" }),
    writes: true,
    clients: false,
  },
  update_task_status: {
    args: (r) => ({ id: r.tasks, status: "in_progress" }),
    attack: (r) => ({ id: r.tasks, status: "done" }),
    writes: true,
    clients: false,
  },
  list_clients: {
    args: () => ({}),
    attack: (r) => ({ organization_id: r.clients }),
    writes: false,
    clients: false,
    counts: "clients",
  },
  get_client: { args: (r) => ({ id: r.clients }), writes: false, clients: false },
  list_leads: {
    args: () => ({ stage: "new" }),
    attack: (r) => ({ client_id: r.clients }),
    writes: false,
    clients: false,
    counts: "leads",
  },
  get_lead: { args: (r) => ({ id: r.leads }), writes: false, clients: false },
  list_notes: {
    args: (r) => ({ client_id: r.clients }),
    attack: (r) => ({ lead_id: r.leads }),
    writes: false,
    clients: false,
    counts: "notes",
  },
  add_note: {
    args: (r) => ({ lead_id: r.leads, body: "Written by an agent" }),
    attack: (r) => ({ client_id: r.clients, lead_id: r.leads, body: "matrix" }),
    writes: true,
    clients: false,
  },
  get_project_metrics: { args: (r) => ({ project_id: r.projects }), writes: false, clients: true },
  search: { args: () => ({ query: "Task" }), writes: false, clients: true, noIds: true },
  list_documents: {
    args: () => ({}),
    attack: () => ({ visibility: "internal" }),
    writes: false,
    clients: true,
    counts: "documents",
  },
  post_message: { args: () => ({ body: "Written by an agent" }), writes: true, clients: true, noIds: true },
  // money (decision 028): clients see their project's issued invoices; partners none
  list_invoices: { args: () => ({}), writes: false, clients: true, noIds: true },
  // the token's own person's notifications in this project (decision 027)
  list_notifications: { args: () => ({}), writes: false, clients: true, noIds: true },
};

/** The names of the tools a case table entry says something about. */
export const toolNamesWhere = (pick: (c: ToolCase) => boolean): string[] =>
  Object.entries(toolCases)
    .filter(([, c]) => pick(c))
    .map(([name]) => name)
    .sort();

/**
 * What would reveal a tenant's rows in an answer: the column each entity is searched and shown by
 * (records/entities.ts), for every entity that has one.
 */
export async function labelsOf(db: D1Database, tenantId: string): Promise<string[]> {
  const selects = exposedEntityNames.flatMap((e) => {
    const label = entities[e].search?.label;
    return label ? [`SELECT ${label} AS label FROM ${e} WHERE tenant_id = ?1`] : [];
  });
  const { results } = await db.prepare(selects.join(" UNION ALL ")).bind(tenantId).all<{ label: string }>();
  return results.map((r) => r.label);
}
