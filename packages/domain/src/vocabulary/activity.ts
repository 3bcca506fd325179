/**
 * Activity people can read (decision 030): audit rows become lines with a verb, an actor's name, the object's
 * kind, id and name, grouped by the reader's day, and an agent's many calls of a day folded into one line
 * ("Claude a lu 12 tâches"). Pure (the site groups by its reader's zone): the site turns a line into a sentence
 * in French or English and a link; `activity/sql.ts` reads the names with the rows.
 */
import { dayInZone } from "./time.ts";

/**
 * An audit row as the activity queries read it (`activityColumns`): its data cut down to what a line says
 * (title, name, count, ids: how many, outcome, stage, status, phase).
 */
export type ActivityRow = {
  id: string;
  actor_type: string;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  object_name: string | null;
  data: string | null;
  created_at: string;
};

export type ActivityVerb =
  | "create"
  | "update"
  | "delete"
  | "share"
  | "request"
  | "submit"
  | "accept"
  | "reject"
  | "changes"
  | "remind"
  | "ask_approval"
  | "approve"
  | "post"
  | "send"
  | "invite"
  | "join"
  | "revoke"
  | "resend"
  | "role_change"
  | "remove"
  | "read"
  | "search"
  | "add"
  | "intake"
  | "deactivate"
  | "reactivate"
  | "account_settings"
  | "agency_settings"
  | "other";

/** The kinds of objects a line can be about (the entity of the audit row, normalised). */
export type ActivityKind =
  | "tasks"
  | "clients"
  | "leads"
  | "projects"
  | "notes"
  | "documents"
  | "file_requests"
  | "approvals"
  | "messages"
  | "proposals"
  | "invitations"
  | "members"
  | "emails"
  | "accounts"
  | "other";

export type ActivityLine = {
  id: string;
  /** The newest instant of the line (of its last call, for a folded line). */
  at: string;
  actor: { type: "user" | "token" | "system"; name: string | null };
  verb: ActivityVerb;
  kind: ActivityKind;
  object: { id: string | null; name: string | null };
  /** How many objects (a bulk write, the items an agent read) or calls the line stands for. */
  count: number;
  /** Whether `count` counts calls (an agent's calls whose results were not counted) rather than objects. */
  calls: boolean;
  /** A field a change set, when the line says it ("moved to Won"): stage, status, phase. */
  change: { field: string; value: string } | null;
  /** The audit row's action, for a line the vocabulary has no sentence for. */
  action: string;
  /** The call failed (an agent's call refused or in error). */
  failed: boolean;
};

export type ActivityDay = { day: string; lines: ActivityLine[] };

const KINDS: Record<string, ActivityKind> = {
  tasks: "tasks",
  clients: "clients",
  leads: "leads",
  projects: "projects",
  tenants: "projects",
  notes: "notes",
  documents: "documents",
  file_requests: "file_requests",
  approvals: "approvals",
  messages: "messages",
  proposals: "proposals",
  invitations: "invitations",
  memberships: "members",
  members: "members",
  email_outbox: "emails",
  users: "accounts",
};
const kindOf = (entity: string): ActivityKind => KINDS[entity] ?? "other";

/** The verb and kind of the portal's and the platform's named actions (the records' are `entity.verb`). */
const NAMED: Record<string, { verb: ActivityVerb; kind: ActivityKind }> = {
  "document.upload": { verb: "share", kind: "documents" },
  "document.update": { verb: "update", kind: "documents" },
  "document.delete": { verb: "delete", kind: "documents" },
  "request.create": { verb: "request", kind: "file_requests" },
  "request.submit": { verb: "submit", kind: "file_requests" },
  "request.accept": { verb: "accept", kind: "file_requests" },
  "request.changes": { verb: "changes", kind: "file_requests" },
  "request.remind": { verb: "remind", kind: "file_requests" },
  "request.reminder": { verb: "remind", kind: "file_requests" },
  "file_request.reminder": { verb: "remind", kind: "file_requests" },
  "approval.request": { verb: "ask_approval", kind: "approvals" },
  "approval.approve": { verb: "approve", kind: "approvals" },
  "approval.changes": { verb: "changes", kind: "approvals" },
  "message.post": { verb: "post", kind: "messages" },
  "proposal.send": { verb: "send", kind: "proposals" },
  "proposal.sent": { verb: "send", kind: "proposals" },
  "proposal.update": { verb: "update", kind: "proposals" },
  "proposal.accept": { verb: "accept", kind: "proposals" },
  "proposal.changes": { verb: "changes", kind: "proposals" },
  "lead.create": { verb: "intake", kind: "leads" },
  "note.add": { verb: "add", kind: "notes" },
  "email.sent": { verb: "send", kind: "emails" },
  "lead.accept": { verb: "accept", kind: "leads" },
  "lead.reject": { verb: "reject", kind: "leads" },
  "tenant.create": { verb: "create", kind: "projects" },
  "invitation.create": { verb: "invite", kind: "invitations" },
  "invitation.accept": { verb: "join", kind: "members" },
  "invitation.revoke": { verb: "revoke", kind: "invitations" },
  "invitation.resend": { verb: "resend", kind: "invitations" },
  "membership.role_change": { verb: "role_change", kind: "members" },
  "membership.remove": { verb: "remove", kind: "members" },
  "mcp.resource_read": { verb: "read", kind: "projects" },
  "user.deactivate": { verb: "deactivate", kind: "accounts" },
  "user.reactivate": { verb: "reactivate", kind: "accounts" },
  "user.time_zone": { verb: "account_settings", kind: "accounts" },
  "password.change": { verb: "account_settings", kind: "accounts" },
  "password.reset": { verb: "account_settings", kind: "accounts" },
  "mfa.enrolled": { verb: "account_settings", kind: "accounts" },
  "mfa.disabled": { verb: "account_settings", kind: "accounts" },
  "mfa.recovery_codes_regenerated": { verb: "account_settings", kind: "accounts" },
  "agency.time_zone": { verb: "agency_settings", kind: "other" },
  "sso_policy.update": { verb: "agency_settings", kind: "other" },
  "mfa.policy_set": { verb: "agency_settings", kind: "other" },
};

/** What an agent's tool does, as a verb on a kind (packages/domain/src/tools). */
const TOOLS: Record<string, { verb: ActivityVerb; kind: ActivityKind }> = {
  list_tasks: { verb: "read", kind: "tasks" },
  get_task: { verb: "read", kind: "tasks" },
  list_clients: { verb: "read", kind: "clients" },
  get_client: { verb: "read", kind: "clients" },
  list_leads: { verb: "read", kind: "leads" },
  get_lead: { verb: "read", kind: "leads" },
  list_notes: { verb: "read", kind: "notes" },
  list_documents: { verb: "read", kind: "documents" },
  list_projects: { verb: "read", kind: "projects" },
  get_project: { verb: "read", kind: "projects" },
  get_project_metrics: { verb: "read", kind: "projects" },
  search: { verb: "search", kind: "other" },
  create_task: { verb: "create", kind: "tasks" },
  update_task_status: { verb: "update", kind: "tasks" },
  add_note: { verb: "create", kind: "notes" },
  post_message: { verb: "post", kind: "messages" },
  echo_message: { verb: "post", kind: "messages" },
};

const RECORD_VERBS: Record<string, { verb: ActivityVerb; many: boolean }> = {
  create: { verb: "create", many: false },
  update: { verb: "update", many: false },
  delete: { verb: "delete", many: false },
  create_many: { verb: "create", many: true },
  update_many: { verb: "update", many: true },
  delete_many: { verb: "delete", many: true },
};

/** The fields whose new value a line says (a lead's stage, a task's status, a project's phase). */
const SAID_FIELDS = ["stage", "status", "phase"] as const;

type Data = Record<string, unknown>;
const isData = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v);
function parseData(text: string | null): Data {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return isData(v) ? v : {};
  } catch {
    return {};
  }
}
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** One audit row as a line (before folding). */
export function lineOf(row: ActivityRow): ActivityLine {
  const data = parseData(row.data);
  const actorType = row.actor_type === "user" || row.actor_type === "token" ? row.actor_type : "system";
  const base = {
    id: row.id,
    at: row.created_at,
    actor: { type: actorType, name: str(row.actor_name) },
    object: { id: row.entity_id, name: str(row.object_name) ?? str(data.title) ?? str(data.name) },
    count: 1,
    calls: false,
    change: null,
    action: row.action,
    failed: data.outcome === "error",
  } satisfies Omit<ActivityLine, "verb" | "kind">;
  if (row.action === "mcp.tool_call") {
    const tool = TOOLS[row.entity_id ?? ""] ?? { verb: "other", kind: "other" };
    const items = num(data.count);
    return {
      ...base,
      ...tool,
      object: { id: null, name: tool.verb === "other" ? row.entity_id : null },
      count: items ?? 1,
      calls: items === null,
    };
  }
  const named = NAMED[row.action];
  if (named) return { ...base, ...named };
  const dot = row.action.lastIndexOf(".");
  const record = RECORD_VERBS[row.action.slice(dot + 1)];
  if (!record) return { ...base, verb: "other", kind: kindOf(row.entity) };
  const count = record.many ? (num(data.count) ?? num(data.ids) ?? 1) : 1;
  const field = SAID_FIELDS.find((f) => str(data[f]) !== null);
  const value = field ? str(data[field]) : null;
  return {
    ...base,
    verb: record.verb,
    kind: kindOf(row.entity),
    count,
    object: count > 1 ? { id: null, name: null } : base.object,
    change: field && value && record.verb === "update" ? { field, value } : null,
  };
}

/**
 * Rows (newest first) as days (the reader's calendar days, newest first) of lines; within a day, an agent's
 * calls with the same verb on the same kind fold into one line at its newest call, their counts added.
 */
export function activityDays(rows: readonly ActivityRow[], timeZone: string): ActivityDay[] {
  const days: ActivityDay[] = [];
  const folded = new Map<string, ActivityLine>();
  for (const row of rows) {
    const line = lineOf(row);
    const day = dayInZone(line.at, timeZone);
    let current = days[days.length - 1];
    if (!current || current.day !== day) {
      current = { day, lines: [] };
      days.push(current);
    }
    if (line.actor.type === "token" && (line.verb === "read" || line.verb === "search")) {
      const key = [day, line.actor.name, line.verb, line.kind, line.failed].join("|");
      const into = folded.get(key);
      if (into) {
        into.count += line.count;
        into.calls = into.calls && line.calls;
        continue;
      }
      folded.set(key, line);
    }
    current.lines.push(line);
  }
  return days;
}
