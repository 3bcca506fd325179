/**
 * The notification engine's one write (docs/decisions/027-notifications.md): a statement to put in the batch
 * of the change that causes it, so both commit or neither does. Recipients are computed inside that statement
 * from the tenant's memberships (INSERT … SELECT), by role, never from anything in the request; the actor is
 * never among them; people whose account is not active, or who turned the kind off, get nothing. Each row
 * carries the channel its recipient chose (or their role's default) and, when that channel e-mails, a pending
 * e-mail for the cron (./email.ts).
 */
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { type TenantRole, tenantRoles } from "../kernel/roles.ts";
import { defaultChannel, type NotificationKind } from "../vocabulary/notifications.ts";

export type NotificationObject =
  | "message"
  | "file_request"
  | "approval"
  | "proposal"
  | "task"
  | "membership"
  | "enrolment"
  | "submission";

export type NotificationSpec = {
  kind: NotificationKind;
  object: { type: NotificationObject; id: string };
  /** The object's own name (a document's title, the project's name for a message…), readable by every recipient. */
  title: string;
  excerpt?: string | null;
  variant?: string | null;
  /** Who acted, as recipients see them; by default the actor's name (or e-mail). */
  actorName?: string | null;
  /** Only if this holds inside the batch, e.g. `changes() = 1` right after the statement it depends on. */
  when?: string;
  /** The values of `when`'s placeholders. */
  whenBinds?: readonly unknown[];
};

/** A random UUID v4 in SQL: each recipient's row gets its own id inside one INSERT … SELECT. */
const SQL_UUID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

const clip = (s: string | null | undefined, max: number): string | null => {
  if (s === null || s === undefined) return null;
  const line = s.replace(/\s+/g, " ").trim();
  if (!line) return null;
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
};

/** The channel expression: the person's choice, else their role's default (`roleSql` names the role column). */
function channelSql(
  kind: NotificationKind,
  roleSql: string,
  userSql: string,
): { sql: string; binds: string[] } {
  const cases = tenantRoles.map((r) => `WHEN '${r}' THEN ?`).join(" ");
  return {
    sql: `coalesce((SELECT p.channel FROM notification_preferences p WHERE p.user_id = ${userSql} AND p.kind = ?),
      CASE ${roleSql} ${cases} ELSE 'app' END)`,
    binds: [kind, ...tenantRoles.map((r) => defaultChannel(r, kind))],
  };
}

type Source = { from: string; binds: unknown[]; userSql: string; roleSql: string };

/** Where and by whom: a verb's context gives it (`notifyScope`); verbs without one (accepting an invitation) build it. */
export type NotifyScope = { db: D1Database; tenantId: string; actorId: number | null; at: string };

export const notifyScope = (ctx: Ctx): NotifyScope => ({
  db: ctx.db,
  tenantId: ctx.tenant.id,
  actorId: actorUserId(ctx.actor),
  at: ctx.now().toISOString(),
});

const scopeOf = (c: Ctx | NotifyScope): NotifyScope => ("tenantId" in c ? c : notifyScope(c));

function insertFrom(
  where: Ctx | NotifyScope,
  spec: NotificationSpec,
  source: Source,
  dedupeKey?: string,
): D1PreparedStatement {
  const ctx = scopeOf(where);
  const channel = channelSql(spec.kind, source.roleSql, source.userSql);
  const actor = ctx.actorId ?? -1;
  const now = ctx.at;
  const sql = `INSERT OR IGNORE INTO notifications (id, tenant_id, recipient_id, kind, object_type, object_id, title, excerpt,
      actor_name, variant, channel, email_status, dedupe_key, created_at)
    SELECT ${SQL_UUID}, ?, r.uid, ?, ?, ?, ?, ?,
      coalesce(?, (SELECT coalesce(a.name, a.email) FROM users a WHERE a.id = ?)), ?, r.ch,
      CASE WHEN r.ch IN ('instant', 'digest', 'daily') THEN 'pending' ELSE 'none' END,
      CASE WHEN ? IS NULL THEN NULL ELSE ? || ':' || r.uid END, ?
    FROM (SELECT ${source.userSql} AS uid, ${channel.sql} AS ch ${source.from}) r
    WHERE r.ch <> 'off' AND r.uid <> ?${spec.when ? ` AND (${spec.when})` : ""}`;
  return ctx.db
    .prepare(sql)
    .bind(
      ctx.tenantId,
      spec.kind,
      spec.object.type,
      spec.object.id,
      clip(spec.title, 300) ?? "—",
      clip(spec.excerpt, 280),
      clip(spec.actorName, 200),
      actor,
      spec.variant ?? null,
      dedupeKey ?? null,
      dedupeKey ?? null,
      now,
      ...channel.binds,
      ...source.binds,
      actor,
      ...(spec.whenBinds ?? []),
    );
}

/** The instructors of a bootcamp cohort (they review its submissions). */
export function notifyCohortInstructors(
  where: Ctx | NotifyScope,
  cohortId: string,
  spec: NotificationSpec,
): D1PreparedStatement {
  const ctx = scopeOf(where);
  return insertFrom(ctx, spec, {
    from: `FROM bootcamp_cohort_instructors i JOIN users u ON u.id = i.user_id AND u.status = 'active'
      LEFT JOIN memberships m ON m.tenant_id = i.tenant_id AND m.user_id = i.user_id
      WHERE i.tenant_id = ? AND i.cohort_id = ?`,
    binds: [ctx.tenantId, cohortId],
    userSql: "i.user_id",
    roleSql: "coalesce(m.role, 'project_manager')",
  });
}

/** Every active member of the tenant holding one of `roles` (never the actor). */
export function notifyMembers(
  where: Ctx | NotifyScope,
  roles: readonly TenantRole[],
  spec: NotificationSpec,
): D1PreparedStatement {
  const ctx = scopeOf(where);
  return insertFrom(ctx, spec, {
    from: `FROM memberships m JOIN users u ON u.id = m.user_id AND u.status = 'active'
      WHERE m.tenant_id = ? AND m.role IN (${roles.map(() => "?").join(", ")})`,
    binds: [ctx.tenantId, ...roles],
    userSql: "m.user_id",
    roleSql: "m.role",
  });
}

/**
 * The agency's side of a project: its project managers and admins (members); a project that has none (most
 * projects the intake created) is the agency's staff's and admins' as a whole, so they hear it instead.
 */
export function notifyAgency(where: Ctx | NotifyScope, spec: NotificationSpec): D1PreparedStatement {
  const ctx = scopeOf(where);
  const managers = `SELECT 1 FROM memberships m2 JOIN users u2 ON u2.id = m2.user_id AND u2.status = 'active'
    WHERE m2.tenant_id = ? AND m2.role IN ('project_manager', 'admin')`;
  return insertFrom(ctx, spec, {
    from: `FROM (
        SELECT m.user_id AS uid0, m.role AS role0 FROM memberships m JOIN users u ON u.id = m.user_id AND u.status = 'active'
        WHERE m.tenant_id = ? AND m.role IN ('project_manager', 'admin')
        UNION ALL
        SELECT u.id, CASE u.role WHEN 'admin' THEN 'admin' ELSE 'project_manager' END FROM users u
        WHERE u.role IN ('admin', 'staff') AND u.status = 'active' AND NOT EXISTS (${managers})
          AND NOT EXISTS (SELECT 1 FROM memberships m3 WHERE m3.tenant_id = ? AND m3.user_id = u.id)
      ) a`,
    binds: [ctx.tenantId, ctx.tenantId, ctx.tenantId],
    userSql: "a.uid0",
    roleSql: "a.role0",
  });
}

/**
 * One person, if they may open this tenant: a member (any role in `roles`) or one of the agency's staff or admins
 * (who work in every project). A task's assignee is chosen by whoever assigns it, so this is where the rule
 * "the recipient must be able to read it" is checked. `dedupeKey` makes a repeated reminder a no-op.
 */
export function notifyUser(
  where: Ctx | NotifyScope,
  userId: number,
  roles: readonly TenantRole[],
  spec: NotificationSpec,
  dedupeKey?: string,
): D1PreparedStatement {
  const ctx = scopeOf(where);
  return insertFrom(
    ctx,
    spec,
    {
      from: `FROM users u LEFT JOIN memberships m ON m.tenant_id = ? AND m.user_id = u.id
        WHERE u.id = ? AND u.status = 'active'
          AND ((m.role IS NOT NULL AND m.role IN (${roles.map(() => "?").join(", ")})) OR u.role IN ('admin', 'staff'))`,
      binds: [ctx.tenantId, userId, ...roles],
      userSql: "u.id",
      roleSql: "coalesce(m.role, CASE u.role WHEN 'admin' THEN 'admin' ELSE 'project_manager' END)",
    },
    dedupeKey,
  );
}
