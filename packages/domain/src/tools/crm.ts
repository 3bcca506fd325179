/**
 * Tools over the CRM's clients, leads and their notes (not for clients). A lead from the intake form comes with its
 * analysis: free text wrapped as user-written, the enums (type, complexity, sources, phases) left readable.
 */
import { z } from "zod";
import { leadAnalysis } from "../intake/leads.ts";
import { analysisSchema } from "../intake/schema.ts";
import { can } from "../kernel/roles.ts";
import { clientKinds, leadStages } from "../records/entities.ts";
import { createRecord, getRecord } from "../records/index.ts";
import { defineTool, reads, type ToolDescriptor } from "./descriptor.ts";
import { clientOut, id, leadOut, listOf, listOut, page, userText, wrap } from "./shapes.ts";
import { untrusted } from "./untrusted.ts";

export const listClients = defineTool({
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

export const getClient = defineTool({
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

export const listLeads = defineTool({
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

const noteOut = z.object({
  id: z.string(),
  client_id: z.string().nullable(),
  lead_id: z.string().nullable(),
  body: userText("Note"),
  created_at: z.string(),
  updated_at: z.string(),
});

export const listNotes = defineTool({
  name: "list_notes",
  title: "List notes",
  description:
    "Lists the notes written on clients and leads, newest first. Filter by client or lead. Not available to clients.",
  scope: "read",
  allowedFor: reads("notes"),
  input: z.strictObject({ client_id: id("client").optional(), lead_id: id("lead").optional(), ...page }),
  output: listOut(noteOut),
  handler: ({ ctx, input }) =>
    listOf(ctx, "notes", { client_id: input.client_id, lead_id: input.lead_id }, input),
});

export const addNote = defineTool({
  name: "add_note",
  title: "Add a note",
  description:
    "Writes a note on a client, a lead or both (at least one). Needs a token with write access and a project manager or admin role.",
  scope: "write",
  idempotent: false,
  allowedFor: (role) => can(role, "notes", "create"),
  input: z.strictObject({
    client_id: id("client").optional(),
    lead_id: id("lead").optional(),
    body: z.string().trim().min(1).max(10_000),
  }),
  output: z.object({ note: noteOut }),
  handler: async ({ ctx, input }) => ({
    note: wrap("notes")(await createRecord({ ctx, input: { entity: "notes", data: input } })),
  }),
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

export const getLead = defineTool({
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
    const wrapped = wrapAnalysis(rest);
    return {
      lead,
      // The output schema checks the wrapped analysis on the way out (defineTool's `run`).
      analysis:
        typeof wrapped === "object" && wrapped !== null ? { ...wrapped, analyser, analyser_note } : null,
      analysis_note: analyser_note
        ? `Analysed by ${analyser} (${analyser_note}).`
        : `Analysed by ${analyser}.`,
    };
  },
});

/** This area's tools, in the order an agent sees them (tools/index.ts puts the areas together). */
export const crmTools: readonly ToolDescriptor[] = [
  listClients,
  getClient,
  listLeads,
  getLead,
  listNotes,
  addNote,
];
