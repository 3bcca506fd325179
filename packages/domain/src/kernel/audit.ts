import { BOOTCAMP_SUBDOMAIN } from "../vocabulary/subdomains.ts";
import { type Actor, actorId, type Ctx } from "./context.ts";
import { newId, nowIso } from "./ids.ts";

/**
 * One audit row, for any tenant and actor: verbs that act before a tenant context exists (the public intake,
 * accepting an invitation) or across tenants (the CRM). `when` makes the row conditional on a SQL condition
 * evaluated inside the batch (e.g. `changes() = 1`: only if the statement just before it changed a row).
 */
export type AuditRow = {
  tenantId: string;
  actorType: Actor["type"];
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  data?: unknown;
  at: string;
  when?: { sql: string; binds?: readonly unknown[] };
};

export function auditRow(db: D1Database, row: AuditRow): D1PreparedStatement {
  const data = row.data === undefined || row.data === null ? null : JSON.stringify(row.data);
  const values = [
    newId(),
    row.tenantId,
    row.actorType,
    row.actorId,
    row.action,
    row.entity,
    row.entityId,
    data,
    row.at,
  ];
  const columns = AUDIT_COLUMNS;
  if (!row.when) return db.prepare(`${columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).bind(...values);
  return db
    .prepare(`${columns} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${row.when.sql}`)
    .bind(...values, ...(row.when.binds ?? []));
}

const AUDIT_COLUMNS =
  "INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)";
/** Rows per multi-row INSERT: 9 values each, under D1's 100 bound parameters per statement. */
const ROWS_PER_INSERT = 11;

/**
 * Many unconditional audit rows (any tenants, any actors) as few statements as D1 allows, for one batch: what
 * the worker writes after the answer for calls that read (MCP tool calls, decision 017).
 */
export function auditInserts(db: D1Database, rows: readonly AuditRow[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const values = chunk.flatMap((row) => [
      newId(),
      row.tenantId,
      row.actorType,
      row.actorId,
      row.action,
      row.entity,
      row.entityId,
      row.data === undefined || row.data === null ? null : JSON.stringify(row.data),
      row.at,
    ]);
    const placeholders = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
    out.push(db.prepare(`${AUDIT_COLUMNS} VALUES ${placeholders}`).bind(...values));
  }
  return out;
}

/** The audit row of an action in a tenant context, as data (`auditStatement` makes it a statement). */
export function auditRowOf(
  ctx: Ctx,
  action: string,
  entity: string,
  entityId: string | null,
  data: unknown = null,
): AuditRow {
  return {
    tenantId: ctx.tenant.id,
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    action,
    entity,
    entityId,
    data,
    at: nowIso(ctx.now()),
  };
}

/** An audit row, as a statement to put in the same D1 batch as the write it records. */
export function auditStatement(
  ctx: Ctx,
  action: string,
  entity: string,
  entityId: string | null,
  data: unknown = null,
): D1PreparedStatement {
  return auditRow(ctx.db, auditRowOf(ctx, action, entity, entityId, data));
}

export type AuditEntry = { action: string; entity: string; entityId: string | null; data?: unknown };

/**
 * The one way a verb writes: the change and its audit row in one D1 batch, so both commit or neither does.
 * `statements` may carry anything else that belongs to the change (queued mail, counters).
 */
export function writeWithAudit(
  ctx: Ctx,
  statements: readonly D1PreparedStatement[],
  audit: AuditEntry,
): Promise<D1Result[]> {
  return ctx.db.batch([
    ...statements,
    auditStatement(ctx, audit.action, audit.entity, audit.entityId, audit.data ?? null),
  ]);
}

/**
 * The audit row of an event on an account, which belongs to no tenant (a password reset or change, a second
 * factor turned on or off, the agency's sign-in policy): it goes to the agency's workspace, the oldest active
 * agency tenant that is not the bootcamp's (as the intake does), whose admins watch the platform. One
 * INSERT … SELECT, so it joins the batch of the change; `onlyIfChanged`: only when the statement just before it
 * in the batch changed a row.
 */
export function accountAuditRow(
  db: D1Database,
  row: {
    action: string;
    /** The person acting (null and `system` for an anonymous request, e.g. a reset asked for). */
    actorType: Actor["type"];
    actorId: string | null;
    entity: string;
    entityId: string;
    data?: unknown;
    at: string;
    onlyIfChanged?: boolean;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
       SELECT ?1, t.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM tenants t
       WHERE t.kind = 'agency' AND t.status = 'active' AND t.subdomain <> ?9 ${row.onlyIfChanged ? "AND changes() = 1" : ""}
       ORDER BY t.created_at, t.id LIMIT 1`,
    )
    .bind(
      newId(),
      row.actorType,
      row.actorId,
      row.action,
      row.entity,
      row.entityId,
      row.data === undefined ? null : JSON.stringify(row.data),
      row.at,
      BOOTCAMP_SUBDOMAIN,
    );
}
