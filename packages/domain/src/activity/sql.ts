/**
 * The SQL side of readable activity (decision 030; the lines themselves are vocabulary/activity.ts): the
 * names read with the audit rows, one primary-key lookup per row, so the cost stays bounded by the page.
 */
export {
  type ActivityDay,
  type ActivityKind,
  type ActivityLine,
  type ActivityRow,
  type ActivityVerb,
  activityDays,
  lineOf,
} from "../vocabulary/activity.ts";

/**
 * The columns of an activity query on `audit_log a` (the actor's id stays on the server): the actor's name (a person's name, or their address when
 * `emails`, i.e. for readers who see the project's people; a token's name) and the object's current name (a
 * primary-key lookup in the row's own tenant, so a name never comes from another tenant).
 */
export function activityColumns({ emails }: { emails: boolean }): string {
  const person = emails ? "coalesce(u.name, u.email)" : "u.name";
  const named = (table: string, column: string) =>
    `(SELECT x.${column} FROM ${table} x WHERE x.tenant_id = a.tenant_id AND x.id = a.entity_id)`;
  // of the row's data, only what a line says (never a call's arguments or a row's other fields)
  const field = (f: string) => `coalesce(json_extract(a.data, '$.set.${f}'), json_extract(a.data, '$.${f}'))`;
  const data = `json_object('title', ${field("title")}, 'name', ${field("name")},
      'count', json_extract(a.data, '$.count'), 'ids', json_array_length(json_extract(a.data, '$.ids')),
      'outcome', json_extract(a.data, '$.outcome'),
      'stage', ${field("stage")}, 'status', ${field("status")}, 'phase', ${field("phase")})`;
  return `a.id, a.actor_type, a.action, a.entity, a.entity_id, ${data} AS data, a.created_at,
    CASE a.actor_type
      WHEN 'user' THEN (SELECT ${person} FROM users u WHERE u.id = CAST(a.actor_id AS INTEGER))
      WHEN 'token' THEN (SELECT t.name FROM access_tokens t WHERE t.id = a.actor_id)
    END AS actor_name,
    CASE a.entity
      WHEN 'tasks' THEN ${named("tasks", "title")}
      WHEN 'clients' THEN ${named("clients", "name")}
      WHEN 'leads' THEN ${named("leads", "title")}
      WHEN 'projects' THEN ${named("projects", "name")}
      WHEN 'documents' THEN ${named("documents", "title")}
      WHEN 'file_requests' THEN ${named("file_requests", "title")}
      WHEN 'proposals' THEN ${named("proposals", "title")}
      WHEN 'notes' THEN (SELECT substr(x.body, 1, 80) FROM notes x WHERE x.tenant_id = a.tenant_id AND x.id = a.entity_id)
      WHEN 'approvals' THEN (SELECT d.title FROM approvals p
        JOIN documents d ON d.tenant_id = p.tenant_id AND d.id = p.document_id
        WHERE p.tenant_id = a.tenant_id AND p.id = a.entity_id)
    END AS object_name`;
}
