/**
 * Reading one's notifications (docs/decisions/027-notifications.md): only the caller's own rows, ever. In a
 * project (the portal, or any request that names a tenant the gate let the caller into) only that project's;
 * in the CRM (no tenant named) those of every project the caller may still open: an agency person opens them
 * all, anyone else only where they still hold a membership (a removed member stops reading old notifications).
 * Pages are keyset-paginated on (created_at, id), newest first; the unread count stops at 100 ("99+").
 */
import { z } from "zod";
import type { Identity } from "../auth/identity.ts";
import type { TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { formatInZone, timeZonesOf } from "../kernel/time.ts";
import { notificationPath, notificationSentence } from "../vocabulary/notifications.ts";

/** Who reads: a signed-in person, in one project or across theirs. */
export type NotificationReader = {
  db: D1Database;
  identity: Identity;
  /** The project the request names (already checked by the gate), or null for the CRM's view of all. */
  tenant: TenantRef | null;
  now: () => Date;
};

export type NotificationItem = {
  id: string;
  tenant: { id: string; subdomain: string; name: string };
  kind: string;
  variant: string | null;
  object_type: string;
  object_id: string;
  title: string;
  excerpt: string | null;
  actor_name: string | null;
  created_at: string;
  read_at: string | null;
  /** The sentence in the reader's language. */
  text: string;
  /** When, in the reader's language and time zone (with its offset). */
  when: string;
  /** Where it leads, on the surface that asked (the portal's host, or the CRM). */
  href: string;
};

export type NotificationPage = { items: NotificationItem[]; next: string | null; unread: number };

export const UNREAD_CAP = 100;

const cursor = z
  .string()
  .max(120)
  .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]{36}$/, "not a cursor from a previous page");

const listInput = z.strictObject({
  before: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  surface: z.enum(["portal", "crm"]).optional(),
  /** The page's language (the person's own by default). */
  locale: z.enum(["fr", "en"]).optional(),
});

const readInput = z.strictObject({ ids: z.array(z.string().uuid()).min(1).max(50) });

function who(r: NotificationReader): number {
  if (!Number.isInteger(r.identity.id) || r.identity.id <= 0)
    throw new DomainError("FORBIDDEN", "Only people have notifications.");
  return r.identity.id;
}

const agencyPerson = (r: NotificationReader) => r.identity.role === "admin" || r.identity.role === "staff";

/** The WHERE of the caller's readable rows (alias n), with its binds. */
function scope(r: NotificationReader): { sql: string; binds: unknown[] } {
  const me = who(r);
  if (r.tenant) return { sql: "n.recipient_id = ? AND n.tenant_id = ?", binds: [me, r.tenant.id] };
  if (agencyPerson(r)) return { sql: "n.recipient_id = ?", binds: [me] };
  return {
    sql: "n.recipient_id = ? AND EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = n.tenant_id AND m.user_id = n.recipient_id)",
    binds: [me],
  };
}

type Row = Omit<NotificationItem, "tenant" | "text" | "href" | "when"> & {
  tenant_id: string;
  subdomain: string;
  tenant_name: string;
};

export function toItem(
  row: Row,
  locale: "fr" | "en",
  surface: "portal" | "crm",
  timeZone: string,
): NotificationItem {
  const { tenant_id, subdomain, tenant_name, ...rest } = row;
  return {
    ...rest,
    tenant: { id: tenant_id, subdomain, name: tenant_name },
    text: notificationSentence(row, locale),
    when: formatInZone(row.created_at, { locale, timeZone }),
    href: notificationPath({ ...row, tenant_subdomain: subdomain }, surface),
  };
}

/** The caller's unread notifications, counted up to UNREAD_CAP. */
export async function countUnread({ ctx }: { ctx: NotificationReader }): Promise<{ unread: number }> {
  const s = scope(ctx);
  const row = await ctx.db
    .prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM notifications n WHERE ${s.sql} AND n.read_at IS NULL LIMIT ${UNREAD_CAP})`,
    )
    .bind(...s.binds)
    .first<{ n: number }>();
  return { unread: row?.n ?? 0 };
}

/** One page of the caller's notifications, newest first; `next` is the cursor of the page after it. */
export async function listNotifications({
  ctx,
  input = {},
}: {
  ctx: NotificationReader;
  input?: unknown;
}): Promise<NotificationPage> {
  const q = parse(listInput, input, "notification query");
  const s = scope(ctx);
  const [at, id] = q.before ? q.before.split("|") : [null, null];
  const keyset = at ? " AND (n.created_at, n.id) < (?, ?)" : "";
  const { results } = await ctx.db
    .prepare(
      `SELECT n.id, n.tenant_id, t.subdomain, t.name AS tenant_name, n.kind, n.variant, n.object_type, n.object_id,
              n.title, n.excerpt, n.actor_name, n.created_at, n.read_at
       FROM notifications n JOIN tenants t ON t.id = n.tenant_id
       WHERE ${s.sql}${keyset}
       ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
    )
    .bind(...s.binds, ...(at ? [at, id] : []), q.limit + 1)
    .all<Row>();
  const rows = results.slice(0, q.limit);
  const last = rows.at(-1);
  const surface = q.surface ?? (ctx.tenant ? "portal" : "crm");
  const zone = (await timeZonesOf(ctx.db, [ctx.identity.id])).get(ctx.identity.id) ?? "";
  return {
    items: rows.map((r) => toItem(r, q.locale ?? ctx.identity.locale, surface, zone)),
    next: results.length > q.limit && last ? `${last.created_at}|${last.id}` : null,
    unread: (await countUnread({ ctx })).unread,
  };
}

/** Marks some of the caller's notifications read (others' ids change nothing and say nothing). */
export async function markNotificationsRead({
  ctx,
  input,
}: {
  ctx: NotificationReader;
  input: unknown;
}): Promise<{ unread: number }> {
  const { ids } = parse(readInput, input, "notifications");
  const s = scope(ctx);
  await ctx.db
    .prepare(
      `UPDATE notifications AS n SET read_at = ? WHERE ${s.sql} AND n.read_at IS NULL AND n.id IN (${ids.map(() => "?").join(", ")})`,
    )
    .bind(ctx.now().toISOString(), ...s.binds, ...ids)
    .run();
  return countUnread({ ctx });
}

/** "Mark all as read": every unread notification of the caller, in this project or all of theirs. */
export async function markAllNotificationsRead({
  ctx,
}: {
  ctx: NotificationReader;
}): Promise<{ unread: number; marked: number }> {
  const s = scope(ctx);
  const res = await ctx.db
    .prepare(`UPDATE notifications AS n SET read_at = ? WHERE ${s.sql} AND n.read_at IS NULL`)
    .bind(ctx.now().toISOString(), ...s.binds)
    .run();
  return { ...(await countUnread({ ctx })), marked: res.meta.changes ?? 0 };
}

/**
 * The statement that marks the caller's message notifications read up to the thread's `seq`: opening the
 * thread is reading them (portal/messages.ts puts it in the read marker's batch), so no e-mail follows.
 */
export function markMessageNotificationsRead(
  db: D1Database,
  tenantId: string,
  userId: number,
  seq: number,
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE notifications SET read_at = ?4
       WHERE recipient_id = ?2 AND read_at IS NULL AND tenant_id = ?1 AND kind = 'message'
         AND EXISTS (SELECT 1 FROM messages mm WHERE mm.id = notifications.object_id AND mm.tenant_id = ?1 AND mm.seq <= ?3)`,
    )
    .bind(tenantId, userId, seq, at);
}
