/**
 * The project's message thread, between its clients and its project managers. Messages are numbered per
 * tenant (seq 1, 2, 3…): a view that lost its live connection asks for `after=<last seq it saw>` and loses
 * nothing. Each member has a read marker; unread = messages by others after it. Live delivery is the
 * transport's job (the bknd worker's Durable Object), after the message is committed here.
 */
import { auditStatement } from "../kernel/audit.ts";
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability, tenantRoles } from "../kernel/roles.ts";
import { markMessageNotificationsRead } from "../notifications/read.ts";
import { notifyMembers } from "../notifications/write.ts";
import { bumpCounter, touchActive } from "./counters.ts";
import { messageInput, messageQuery, readMarkerInput } from "./schemas.ts";
import { assertPortalTenant } from "./tenant.ts";

export type Message = {
  id: string;
  seq: number;
  author_id: number | null;
  author_name: string;
  author_side: "client" | "agency";
  body: string;
  created_at: string;
};

export type MessagePage = { rows: Message[]; last_seq: number; read_seq: number; unread: number };

function assertMember(ctx: Ctx): void {
  if (!hasCapability(ctx.role, "messages.send"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
}

const userIdOf = (ctx: Ctx): number | null => actorUserId(ctx.actor);

async function unreadFor(ctx: Ctx): Promise<{ read_seq: number; unread: number; last_seq: number }> {
  const me = userIdOf(ctx) ?? -1;
  const row = await ctx.db
    .prepare(
      `SELECT coalesce((SELECT last_seq FROM message_reads WHERE tenant_id = ?1 AND user_id = ?2), 0) AS read_seq,
              coalesce((SELECT max(seq) FROM messages WHERE tenant_id = ?1), 0) AS last_seq`,
    )
    .bind(ctx.tenant.id, me)
    .first<{ read_seq: number; last_seq: number }>();
  const read = row?.read_seq ?? 0;
  const unread = await ctx.db
    .prepare(
      "SELECT count(*) AS n FROM messages WHERE tenant_id = ? AND seq > ? AND (author_id IS NULL OR author_id != ?)",
    )
    .bind(ctx.tenant.id, read, me)
    .first<{ n: number }>();
  return { read_seq: read, unread: unread?.n ?? 0, last_seq: row?.last_seq ?? 0 };
}

/**
 * The last `limit` messages, those after `after` (catch-up) or before `before` (scrolling back), oldest first,
 * with the caller's unread count.
 */
export async function listMessages({ ctx, input = {} }: { ctx: Ctx; input?: unknown }): Promise<MessagePage> {
  assertPortalTenant(ctx);
  assertMember(ctx);
  const q = parse(messageQuery, input, "message query");
  if (q.after !== undefined && q.before !== undefined)
    throw new DomainError("VALIDATION", "Ask for messages after or before a seq, not both.");
  const stmt =
    q.before !== undefined
      ? ctx.db
          .prepare(
            `SELECT * FROM (SELECT id, seq, author_id, author_name, author_side, body, created_at FROM messages
             WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
          )
          .bind(ctx.tenant.id, q.before, q.limit)
      : q.after === undefined
        ? ctx.db
            .prepare(
              `SELECT * FROM (SELECT id, seq, author_id, author_name, author_side, body, created_at FROM messages
             WHERE tenant_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
            )
            .bind(ctx.tenant.id, q.limit)
        : ctx.db
            .prepare(
              `SELECT id, seq, author_id, author_name, author_side, body, created_at FROM messages
             WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
            )
            .bind(ctx.tenant.id, q.after, q.limit);
  const { results } = await stmt.all<Message>();
  const active = touchActive(ctx);
  if (active) await active.run();
  return { rows: results, ...(await unreadFor(ctx)) };
}

/** Posts a message (numbered after the tenant's last one, in the same statement) and counts it. */
export async function postMessage({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Message> {
  assertPortalTenant(ctx);
  assertMember(ctx);
  if (ctx.actor.type === "token" && !ctx.actor.write)
    throw new DomainError("FORBIDDEN", "This token is read-only.");
  const { body } = parse(messageInput, input, "message");
  const id = newId();
  const me = userIdOf(ctx);
  const side = ctx.role === "client" ? "client" : "agency";
  const author =
    me === null
      ? null
      : await ctx.db
          .prepare("SELECT coalesce(name, email) AS name FROM users WHERE id = ?")
          .bind(me)
          .first<{ name: string }>();
  const now = ctx.now().toISOString();
  const statements = [
    ctx.db
      .prepare(
        `INSERT INTO messages (id, tenant_id, seq, author_id, author_name, author_side, body, created_at)
         VALUES (?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE tenant_id = ?2), ?3, ?4, ?5, ?6, ?7)`,
      )
      .bind(id, ctx.tenant.id, me, author?.name ?? "Agent", side, body, now),
    // everyone who reads the thread hears of it, but its author (decision 027)
    notifyMembers(ctx, tenantRoles, {
      kind: "message",
      object: { type: "message", id },
      title: ctx.tenant.name,
      excerpt: body,
      actorName: author?.name ?? "Agent",
    }),
    bumpCounter(ctx.db, ctx.tenant.id, "messages", 1, ctx.now()),
    auditStatement(ctx, "message.post", "messages", id, { visibility: "client" }),
  ];
  const active = touchActive(ctx);
  if (active) statements.push(active);
  if (me !== null) {
    // Your own message is read.
    statements.push(
      ctx.db
        .prepare(
          `INSERT INTO message_reads (tenant_id, user_id, last_seq, updated_at)
           VALUES (?1, ?2, (SELECT seq FROM messages WHERE tenant_id = ?1 AND id = ?3), ?4)
           ON CONFLICT (tenant_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
        )
        .bind(ctx.tenant.id, me, id, now),
    );
  }
  await ctx.db.batch(statements);
  const row = await ctx.db
    .prepare(
      "SELECT id, seq, author_id, author_name, author_side, body, created_at FROM messages WHERE tenant_id = ? AND id = ?",
    )
    .bind(ctx.tenant.id, id)
    .first<Message>();
  if (!row) throw new DomainError("INTERNAL", "The message was not saved.");
  return row;
}

/** Moves the caller's read marker forward to `seq` (never back, never past the last message). */
export async function markMessagesRead({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: unknown;
}): Promise<{ read_seq: number; unread: number; last_seq: number }> {
  assertPortalTenant(ctx);
  assertMember(ctx);
  const { seq } = parse(readMarkerInput, input, "read marker");
  const me = userIdOf(ctx);
  if (me === null) throw new DomainError("FORBIDDEN", "Only people have read markers.");
  const at = ctx.now().toISOString();
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO message_reads (tenant_id, user_id, last_seq, updated_at)
       VALUES (?1, ?2, min(?3, coalesce((SELECT max(seq) FROM messages WHERE tenant_id = ?1), 0)), ?4)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
      )
      .bind(ctx.tenant.id, me, seq, at),
    // having read the thread is having seen its notifications: no e-mail follows for them
    markMessageNotificationsRead(ctx.db, ctx.tenant.id, me, seq, at),
  ]);
  return unreadFor(ctx);
}
