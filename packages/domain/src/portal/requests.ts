/**
 * Requested files: a checklist the project manager keeps for the client (title, description, due date). The
 * client uploads against an item (documents.ts `uploadDocument` with `request_id`), the project manager accepts
 * it or asks for changes with a comment. Overdue items (due date passed, not yet submitted or accepted) stand
 * out, and reminders go to the email outbox.
 */
import { auditStatement, writeWithAudit } from "../kernel/audit.ts";
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability } from "../kernel/roles.ts";
import { mailSubject } from "../mail/index.ts";
import { notifyMembers } from "../notifications/write.ts";
import { assertAgency } from "./access.ts";
import { fileRequestInput, fileRequestReview, portalIdInput, type RequestStatus } from "./schemas.ts";
import { assertPortalTenant } from "./tenant.ts";

export type FileRequest = {
  id: string;
  title: string;
  description: string | null;
  due_date: string | null;
  status: RequestStatus;
  document_id: string | null;
  review_comment: string | null;
  reminded_at: string | null;
  created_at: string;
  updated_at: string;
  overdue: boolean;
};

const today = (ctx: Ctx) => ctx.now().toISOString().slice(0, 10);

/** Waiting on the client: open or sent back. */
const WAITING = "('open', 'changes_requested')";

const COLUMNS = `id, title, description, due_date, status, document_id, review_comment, reminded_at, created_at, updated_at,
  (due_date IS NOT NULL AND due_date < ?2 AND status IN ${WAITING}) AS overdue`;

const shape = (r: FileRequest): FileRequest => ({ ...r, overdue: Boolean(r.overdue) });

/** Every status, the ones waiting on the client first (the list's order). */
const STATUS_ORDER = ["open", "changes_requested", "submitted", "accepted"] as const;
const LIST_MAX = 100;

/** The list's order: waiting first, then by due date (overdue ones are the earliest), undated last, newest first. */
function compareRequests(a: FileRequest, b: FileRequest): number {
  const wait = (r: FileRequest) => (r.status === "open" || r.status === "changes_requested" ? 0 : 1);
  if (wait(a) !== wait(b)) return wait(a) - wait(b);
  if ((a.due_date === null) !== (b.due_date === null)) return a.due_date === null ? 1 : -1;
  if (a.due_date !== b.due_date) return (a.due_date ?? "") < (b.due_date ?? "") ? -1 : 1;
  return a.created_at === b.created_at ? 0 : a.created_at < b.created_at ? 1 : -1;
}

export async function listFileRequests({ ctx }: { ctx: Ctx }): Promise<{ rows: FileRequest[] }> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "tenant.read"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  // Waiting items first (overdue first among them, by due date), then the rest, by due date. One statement per
  // status and dated/undated, each on the (tenant_id, status, due_date, created_at) index and stopping at the
  // list's length, merged here: the read does not grow with the tenant's other requests.
  const statements = STATUS_ORDER.flatMap((status) => [
    ctx.db
      .prepare(
        `SELECT ${COLUMNS} FROM file_requests WHERE tenant_id = ?1 AND status = ?3 AND due_date IS NOT NULL
         ORDER BY due_date, created_at DESC LIMIT ${LIST_MAX}`,
      )
      .bind(ctx.tenant.id, today(ctx), status),
    ctx.db
      .prepare(
        `SELECT ${COLUMNS} FROM file_requests WHERE tenant_id = ?1 AND status = ?3 AND due_date IS NULL
         ORDER BY created_at DESC LIMIT ${LIST_MAX}`,
      )
      .bind(ctx.tenant.id, today(ctx), status),
  ]);
  const results = await ctx.db.batch<FileRequest>(statements);
  const rows = results.flatMap((r) => r.results ?? []).map(shape);
  return { rows: rows.sort(compareRequests).slice(0, LIST_MAX) };
}

export async function getFileRequest({ ctx, id }: { ctx: Ctx; id: string }): Promise<FileRequest> {
  const row = await ctx.db
    .prepare(`SELECT ${COLUMNS} FROM file_requests WHERE tenant_id = ?1 AND id = ?3`)
    .bind(ctx.tenant.id, today(ctx), id)
    .first<FileRequest>();
  if (!row) throw new DomainError("NOT_FOUND", "This file request does not exist.");
  return shape(row);
}

export async function createFileRequest({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<FileRequest> {
  assertPortalTenant(ctx);
  assertAgency(ctx, "Requesting a file");
  const data = parse(fileRequestInput, input, "file request");
  const id = newId();
  const now = ctx.now().toISOString();
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "INSERT INTO file_requests (id, tenant_id, title, description, due_date, status, requested_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
        )
        .bind(
          id,
          ctx.tenant.id,
          data.title,
          data.description ?? null,
          data.due_date ?? null,
          actorUserId(ctx.actor),
          now,
          now,
        ),
      notifyMembers(ctx, ["client"], {
        kind: "request_created",
        object: { type: "file_request", id },
        title: data.title,
      }),
    ],
    {
      action: "request.create",
      entity: "file_requests",
      entityId: id,
      data: { title: data.title, visibility: "client" },
    },
  );
  return getFileRequest({ ctx, id });
}

/** The project manager accepts a submitted file, or sends the item back with a comment (required then). */
export async function reviewFileRequest({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; review: unknown };
}): Promise<FileRequest> {
  assertPortalTenant(ctx);
  assertAgency(ctx, "Reviewing a file");
  const { id } = parse(portalIdInput, { id: input.id }, "file request");
  const review = parse(fileRequestReview, input.review, "review");
  if (review.decision === "changes" && !review.comment)
    throw new DomainError("VALIDATION", "Say what should change: a comment is required.", {
      details: [{ path: "comment", message: "required when asking for changes", key: "required" }],
    });
  const current = await getFileRequest({ ctx, id });
  if (current.status !== "submitted")
    throw new DomainError("CONFLICT", "Only a submitted file can be reviewed.");
  const status: RequestStatus = review.decision === "accept" ? "accepted" : "changes_requested";
  const now = ctx.now().toISOString();
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "UPDATE file_requests SET status = ?, review_comment = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'submitted'",
        )
        .bind(status, review.comment ?? null, now, ctx.tenant.id, id),
    ],
    {
      action: `request.${review.decision === "accept" ? "accept" : "changes"}`,
      entity: "file_requests",
      entityId: id,
      data: { title: current.title, visibility: "client" },
    },
  );
  return getFileRequest({ ctx, id });
}

/** The outbox writer (mail/index.ts queueMail): one INSERT for the caller's batch. */
export type QueueMail = (
  db: D1Database,
  message: { tenantId: string | null; to: string; subject: string; text: string; kind: string },
) => D1PreparedStatement;

export async function remindOverdueRequests({
  ctx,
  queueMail,
  portalUrl,
}: {
  ctx: Ctx;
  queueMail: QueueMail;
  portalUrl: string;
}): Promise<{ reminded: number; emails: number }> {
  assertPortalTenant(ctx);
  assertAgency(ctx, "Sending reminders");
  const now = ctx.now();
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const [due, clients] = await ctx.db.batch<{
    id?: string;
    title?: string;
    due_date?: string;
    email?: string;
    locale?: string;
  }>([
    ctx.db
      .prepare(
        `SELECT id, title, due_date FROM file_requests WHERE tenant_id = ? AND status IN ${WAITING}
         AND due_date IS NOT NULL AND due_date < ? AND (reminded_at IS NULL OR reminded_at < ?) LIMIT 50`,
      )
      .bind(ctx.tenant.id, today(ctx), dayAgo),
    ctx.db
      .prepare(
        `SELECT u.email, u.locale FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.tenant_id = ? AND m.role = 'client' AND u.status = 'active' LIMIT 50`,
      )
      .bind(ctx.tenant.id),
  ]);
  const items = due?.results ?? [];
  const people = clients?.results ?? [];
  if (items.length === 0) return { reminded: 0, emails: 0 };
  const statements: D1PreparedStatement[] = [];
  for (const person of people) {
    if (!person.email) continue;
    const fr = person.locale !== "en";
    const list = items.map((i) => `- ${i.title} (${fr ? "attendu le" : "due"} ${i.due_date})`).join("\n");
    statements.push(
      queueMail(ctx.db, {
        tenantId: ctx.tenant.id,
        to: person.email,
        kind: "file_request.reminder",
        subject: mailSubject(
          fr
            ? `${ctx.tenant.name} : ${items.length} fichier(s) en attente`
            : `${ctx.tenant.name}: ${items.length} file(s) overdue`,
        ),
        text: fr
          ? `Bonjour,\n\nVotre chef de projet attend encore ces fichiers :\n${list}\n\nDéposez-les dans votre espace projet : ${portalUrl}\n`
          : `Hello,\n\nYour project manager is still waiting for these files:\n${list}\n\nUpload them in your project space: ${portalUrl}\n`,
      }),
    );
  }
  const iso = now.toISOString();
  for (const i of items)
    statements.push(
      ctx.db
        .prepare("UPDATE file_requests SET reminded_at = ? WHERE tenant_id = ? AND id = ?")
        .bind(iso, ctx.tenant.id, i.id),
    );
  statements.push(auditStatement(ctx, "request.remind", "file_requests", null, { count: items.length }));
  await ctx.db.batch(statements);
  return { reminded: items.length, emails: statements.length - items.length - 1 };
}
