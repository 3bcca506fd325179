/**
 * MCP prompts (issue 21): the agency's everyday questions as ready-made requests to the assistant. A prompt reads
 * only through read tools (./index.ts `tools`), run by the transport with the caller's own context, so it shows
 * nothing its caller could not read with those tools; a prompt is offered only where all its tools are. The data
 * it embeds keeps the tools' untrusted envelopes (./untrusted.ts).
 */
import { z } from "zod";
import { UNTRUSTED_NOTICE } from "./untrusted.ts";

/** Runs one read tool in the prompt's tenant, as the caller; its output, or a domain error. */
export type PromptRead = (tool: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export type PromptDescriptor = {
  name: string;
  title: string;
  description: string;
  /** The read tools it runs: the prompt is listed only where the caller may use every one of them. */
  uses: readonly string[];
  /** Its arguments besides `tenant` (which the transport handles as it does for tools). */
  input: z.ZodObject;
  /** The argument list as MCP shows it (every value is a string there). */
  arguments: ReadonlyArray<{ name: string; description: string; required: boolean }>;
  build: (args: {
    read: PromptRead;
    input: Record<string, unknown>;
  }) => Promise<{ description: string; text: string }>;
};

const language = z.enum(["fr", "en"]).default("fr");
const uuid = z.uuid({ message: "must be an id (UUID)" });
const json = (v: unknown) => JSON.stringify(v, null, 2);
const answerIn = (lang: "fr" | "en") => (lang === "fr" ? "Réponds en français." : "Answer in English.");

const weeklyInput = z.strictObject({ project_id: uuid, language });
const weeklyStatus: PromptDescriptor = {
  name: "weekly_status",
  title: "Weekly status report of a project",
  description:
    "A status report of one project for its client: progress, what was done, what is in progress, what is late, and the next steps.",
  uses: ["get_project", "get_project_metrics", "list_tasks"],
  input: weeklyInput,
  arguments: [
    {
      name: "tenant",
      description: "The project's space (subdomain), when the connection reaches several.",
      required: false,
    },
    { name: "project_id", description: "The project's id (list_projects gives it).", required: true },
    { name: "language", description: "fr (default) or en.", required: false },
  ],
  build: async ({ read, input }) => {
    const { project_id, language: lang } = weeklyInput.parse(input);
    const project = await read("get_project", { id: project_id });
    const metrics = await read("get_project_metrics", { project_id });
    const open = await read("list_tasks", { project_id, limit: 50 });
    return {
      description: `Weekly status report of project ${project_id}`,
      text: [
        "Write this week's status report of the project below, for its client: one paragraph on progress (use the",
        "metrics), then short lists of what is done, what is in progress, what is late (due date passed, not done)",
        "and the next steps. Keep it factual and short; name tasks by their titles. If something needs the",
        `client, say what and by when. ${answerIn(lang)}`,
        "",
        UNTRUSTED_NOTICE,
        "",
        `Project:\n${json(project)}`,
        `Metrics:\n${json(metrics)}`,
        `Tasks (the 50 most recent):\n${json(open)}`,
      ].join("\n"),
    };
  },
};

const overdueInput = z.strictObject({ language });
const overdueItems: PromptDescriptor = {
  name: "overdue_items",
  title: "Overdue items of every project",
  description:
    "Every project this connection reaches with its overdue and open tasks, to review what is late and who should act.",
  uses: ["list_projects", "get_project_metrics"],
  input: overdueInput,
  arguments: [
    {
      name: "tenant",
      description: "One space (subdomain) only; otherwise the one the connection is pinned to or reaches.",
      required: false,
    },
    { name: "language", description: "fr (default) or en.", required: false },
  ],
  build: async ({ read, input }) => {
    const { language: lang } = overdueInput.parse(input);
    const listed = await read("list_projects", { limit: 20 });
    const items = z.array(z.looseObject({ id: z.string() })).parse(listed.items);
    const rows: unknown[] = [];
    for (const p of items)
      rows.push({ project: p, metrics: await read("get_project_metrics", { project_id: p.id }) });
    return {
      description: "Overdue items of every project",
      text: [
        "Below are the projects of this space with their task metrics. List the projects that have overdue tasks,",
        "most overdue first; for each, call list_tasks to name the late tasks and their assignees, and suggest who",
        `should act. Then list projects with no overdue task in one line. ${answerIn(lang)}`,
        "",
        UNTRUSTED_NOTICE,
        "",
        `Projects and metrics (the 20 most recent projects):\n${json(rows)}`,
      ].join("\n"),
    };
  },
};

const proposalInput = z.strictObject({ lead_id: uuid, language });
const proposalDraft: PromptDescriptor = {
  name: "proposal_draft",
  title: "Proposal draft from a lead's intake answers",
  description:
    "A first draft of a proposal for a lead, from the intake form's answers and their analysis (scope, phases, effort and budget ranges, open questions).",
  uses: ["get_lead"],
  input: proposalInput,
  arguments: [
    {
      name: "tenant",
      description: "The agency's space (subdomain), when the connection reaches several.",
      required: false,
    },
    { name: "lead_id", description: "The lead's id (list_leads gives it).", required: true },
    { name: "language", description: "fr (default) or en.", required: false },
  ],
  build: async ({ read, input }) => {
    const { lead_id, language: lang } = proposalInput.parse(input);
    const lead = await read("get_lead", { id: lead_id });
    return {
      description: `Proposal draft for lead ${lead_id}`,
      text: [
        "Draft a proposal for this lead: context and goals in the client's words, the scope as phases with",
        "deliverables, what is out of scope, a timeline, and a price range per phase taken from the analysis (never",
        "invent figures it does not give). End with the open questions to settle before the client signs. Mark",
        `the draft as a draft for the agency to review. ${answerIn(lang)}`,
        "",
        UNTRUSTED_NOTICE,
        "",
        `Lead and its intake analysis:\n${json(lead)}`,
      ].join("\n"),
    };
  },
};

export const prompts: readonly PromptDescriptor[] = [weeklyStatus, overdueItems, proposalDraft];
export const promptsByName: ReadonlyMap<string, PromptDescriptor> = new Map(prompts.map((p) => [p.name, p]));
