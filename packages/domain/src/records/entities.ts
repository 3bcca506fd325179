/**
 * The tenant-owned entities that the data API exposes, with their zod schemas and cross-entity references.
 * The tenant gate validates every body against these schemas; the cross-tenant test matrix is generated from
 * this list, so a new entity cannot skip it.
 */
import { z } from "zod";
import type { ExposedEntity } from "../kernel/roles.ts";
import {
  clientKinds,
  leadStages,
  MAX_CENTS,
  projectPhases,
  projectStatuses,
  taskPriorities,
  taskStatuses,
} from "../vocabulary/records.ts";
import { normalizePhone, PHONE_MAX, PHONE_MESSAGE } from "./phone.ts";

export { clientKinds, leadStages, projectPhases, projectStatuses, taskPriorities, taskStatuses };

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const isoDate = z.iso.date({ message: "must be a date formatted YYYY-MM-DD" });
const cents = z.number().int().min(0).max(MAX_CENTS);
const uuid = z.uuid({ message: "must be a UUID" });
/** A phone number (./phone.ts), stored in international format; empty means none. */
const phone = z
  .string()
  .trim()
  .max(PHONE_MAX)
  .nullable()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    if (s === null || s === "") return null;
    const formatted = normalizePhone(s);
    if (formatted === null) {
      ctx.addIssue({ code: "custom", message: PHONE_MESSAGE });
      return z.NEVER;
    }
    return formatted;
  });

/** Why a lead was lost: asked when it moves to "lost" (./rules.ts). */
export const LOST_REASON_MAX = 500;

/** The job title of a contact (a person at a client): the column's bound. */
export const JOB_TITLE_MAX = 120;

export const clientInput = z.strictObject({
  kind: z.enum(clientKinds).default("organization"),
  name: text(200),
  email: z.email().max(254).nullable().optional(),
  phone,
  organization_id: uuid.nullable().optional(),
  notes: optionalText(5000),
  job_title: optionalText(JOB_TITLE_MAX),
});

export const projectInput = z.strictObject({
  client_id: uuid.nullable().optional(),
  name: text(200),
  description: optionalText(10_000),
  status: z.enum(projectStatuses).default("planned"),
  phase: z.enum(projectPhases).default("discovery"),
  start_date: isoDate.nullable().optional(),
  due_date: isoDate.nullable().optional(),
  budget_cents: cents.nullable().optional(),
  estimate_cents: cents.nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
    .default("EUR"),
  contact_id: uuid.nullable().optional(),
});

export const taskInput = z.strictObject({
  project_id: uuid,
  title: text(300),
  description: optionalText(10_000),
  status: z.enum(taskStatuses).default("todo"),
  priority: z.enum(taskPriorities).default("normal"),
  assignee_id: z.number().int().positive().nullable().optional(),
  due_date: isoDate.nullable().optional(),
});

export const leadInput = z.strictObject({
  client_id: uuid.nullable().optional(),
  title: text(300),
  contact_name: optionalText(200),
  email: z.email().max(254).nullable().optional(),
  stage: z.enum(leadStages).default("new"),
  value_cents: cents.nullable().optional(),
  source: optionalText(100),
  notes: optionalText(5000),
  contact_id: uuid.nullable().optional(),
  lost_reason: optionalText(LOST_REASON_MAX),
});

export const noteInput = z
  .strictObject({
    client_id: uuid.nullable().optional(),
    lead_id: uuid.nullable().optional(),
    body: text(10_000),
  })
  .refine((note) => Boolean(note.client_id || note.lead_id), {
    message: "a note is attached to a client or a lead",
    path: ["client_id"],
  });

/** Only set by the system, never accepted from a body. */
export const systemFields = ["id", "tenant_id", "created_at", "updated_at"] as const;

/** How the one search (search/index.ts) reads an entity: the column it matches and shows, its status column. */
type Searchable = { label: string; status: string; project: string };

type EntityDef<S extends z.ZodObject = z.ZodObject> = {
  /** zod schema of a create body (defaults applied). */
  create: S;
  /** zod schema of an update body: every field optional, no defaults. */
  update: z.ZodObject;
  /** Columns a caller may read, filter and sort on. */
  fields: readonly string[];
  /** Columns that point at another tenant-owned entity (same tenant required). */
  references: Readonly<Record<string, ExposedEntity>>;
  /** Reference columns that must name a client of kind `contact` (a person at a client; decision 033). */
  contactReferences: readonly string[];
  /** Columns that point at a user, who must be a member of the same tenant. */
  userReferences: readonly string[];
  /** User-written columns: wrapped as untrusted text whenever an AI agent reads them (tools/shapes.ts). */
  userText: readonly string[];
  /** How the search finds it; absent means it is not searched. */
  search: Searchable | null;
  /** Default sort. */
  sort: string;
};

function def<S extends z.ZodObject>(
  create: S,
  opts: {
    references?: Record<string, ExposedEntity>;
    contactReferences?: string[];
    userReferences?: string[];
    userText: string[];
    search?: Searchable;
  },
): EntityDef<S> {
  // An update accepts the same fields without their defaults.
  const shape = Object.fromEntries(
    Object.entries(create.shape).map(([k, v]) => {
      const inner = v instanceof z.ZodDefault ? v.unwrap() : v;
      return [k, (inner as z.ZodType).optional()];
    }),
  );
  return {
    create,
    update: z.strictObject(shape),
    fields: [...systemFields, ...Object.keys(create.shape)],
    references: opts.references ?? {},
    contactReferences: opts.contactReferences ?? [],
    userReferences: opts.userReferences ?? [],
    userText: opts.userText,
    search: opts.search ?? null,
    sort: "-created_at",
  };
}

/**
 * Every entity of the data API. Adding one here (and its grants in kernel/roles.ts) puts it in the data API,
 * the write path, the isolation matrices, the fuzz and query-plan tests, the search and the backups.
 */
export const entities = {
  clients: def(clientInput, {
    references: { organization_id: "clients" },
    userText: ["name", "phone", "notes", "job_title"],
    search: { label: "name", status: "kind", project: "NULL" },
  }),
  projects: def(projectInput, {
    references: { client_id: "clients", contact_id: "clients" },
    contactReferences: ["contact_id"],
    userText: ["name", "description"],
    search: { label: "name", status: "status", project: "NULL" },
  }),
  tasks: def(taskInput, {
    references: { project_id: "projects" },
    userReferences: ["assignee_id"],
    userText: ["title", "description"],
    search: { label: "title", status: "status", project: "project_id" },
  }),
  leads: def(leadInput, {
    references: { client_id: "clients", contact_id: "clients" },
    contactReferences: ["contact_id"],
    userText: ["title", "contact_name", "source", "notes", "lost_reason"],
    search: { label: "title", status: "stage", project: "NULL" },
  }),
  notes: def(noteInput, {
    references: { client_id: "clients", lead_id: "leads" },
    userText: ["body"],
    search: { label: "body", status: "NULL", project: "NULL" },
  }),
} as const satisfies Record<ExposedEntity, EntityDef>;

/** What a create body of `E` holds once parsed (defaults applied). */
export type EntityInput<E extends ExposedEntity> = z.output<(typeof entities)[E]["create"]>;

export const exposedEntityNames = Object.keys(entities) as ExposedEntity[];

export function isExposedEntity(name: string): name is ExposedEntity {
  return Object.hasOwn(entities, name);
}

export type ClientInput = z.infer<typeof clientInput>;
export type ProjectInput = z.infer<typeof projectInput>;
export type TaskInput = z.infer<typeof taskInput>;
export type LeadInput = z.infer<typeof leadInput>;
export type NoteInput = z.infer<typeof noteInput>;

/**
 * Tables whose rows are derived from the others by triggers (migrations/0010_read_counters.sql and
 * 0012_bootcamp_reads.sql): never exposed, never in a backup (an import rebuilds them), recomputed by
 * `pnpm counters:repair`.
 */
export const derivedTables = [
  "record_counts",
  "task_due_counts",
  "project_stats",
  "bootcamp_counts",
] as const;

/**
 * Derived tables without a tenant_id (migrations/0013_agency_counts.sql: the active tenants' record_counts
 * summed): global, so never in a tenant's backup; kept by triggers on record_counts and tenants, recomputed by
 * `pnpm counters:repair`.
 */
export const globalDerivedTables = ["agency_counts"] as const;

/** Every tenant-owned table in the database (exposed or not): the schema lint and the matrix use this. */
export const tenantOwnedTables = [
  "memberships",
  "invitations",
  "clients",
  "projects",
  "tasks",
  "leads",
  "notes",
  "audit_log",
  "intakes",
  "project_phases",
  "proposals",
  // money (migrations/0021_money.sql): never exposed through the data API, only /api/app/portal/invoices
  "proposal_acceptances",
  "invoices",
  "invoice_payments",
  // The bootcamp (migrations/0008_bootcamp.sql): never exposed through the data API, only /api/app/bootcamp.
  "bootcamp_courses",
  "bootcamp_modules",
  "bootcamp_lessons",
  "bootcamp_assignments",
  "bootcamp_cohorts",
  "bootcamp_cohort_instructors",
  "bootcamp_enrolments",
  "bootcamp_progress",
  "bootcamp_submissions",
  "bootcamp_certificates",
  // the bootcamp's player and quizzes (migrations/0026_bootcamp_depth.sql)
  "bootcamp_lesson_views",
  "bootcamp_quizzes",
  "bootcamp_quiz_attempts",
  // the client portal (migrations/0006_portal.sql)
  "documents",
  "document_versions",
  "file_requests",
  "approvals",
  "messages",
  "message_reads",
  // notifications (migrations/0020_notifications.sql): one row per recipient, only through /api/app/notifications
  "notifications",
  "tenant_counters",
  "tenant_active_days",
  // counters kept by triggers (migrations/0010_read_counters.sql, 0012_bootcamp_reads.sql): derived from the rows above
  ...derivedTables,
] as const;
