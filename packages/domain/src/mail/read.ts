/** Reading the outbox: the agency's admins list the messages and open one with its bodies. */
import { z } from "zod";
import type { CrmCtx } from "../crm/scope.ts";
import { likePattern } from "../crm/scope.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { listOutboxInput, type outboxStatuses } from "./schemas.ts";

export type OutboxRow = {
  id: string;
  aboutTenantId: string | null;
  kind: string;
  to: string;
  subject: string;
  status: (typeof outboxStatuses)[number];
  attempts: number;
  provider: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

function assertAgencyAdmin(ctx: CrmCtx): void {
  if (ctx.identity.role !== "admin") {
    throw new DomainError("FORBIDDEN", "Only the agency's admins may read the email outbox.");
  }
}

type RawRow = {
  id: string;
  about_tenant_id: string | null;
  kind: string;
  to_address: string;
  subject: string;
  status: OutboxRow["status"];
  attempts: number;
  provider: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
};

const toRow = (r: RawRow): OutboxRow => ({
  id: r.id,
  aboutTenantId: r.about_tenant_id,
  kind: r.kind,
  to: r.to_address,
  subject: r.subject,
  status: r.status,
  attempts: r.attempts,
  provider: r.provider,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** The outbox, newest first, for the agency's admins. Filter by status or by a recipient/subject term. */
export async function listOutbox({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  assertAgencyAdmin(ctx);
  const { status, q, page, pageSize } = parse(listOutboxInput, input, "outbox query");
  const where: string[] = [];
  const binds: unknown[] = [];
  if (status) {
    where.push("status = ?");
    binds.push(status);
  }
  if (q) {
    where.push("(to_address LIKE ? ESCAPE '\\' OR subject LIKE ? ESCAPE '\\')");
    binds.push(likePattern(q), likePattern(q));
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const [rows, total] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT id, about_tenant_id, kind, to_address, subject, status, attempts, provider, last_error, created_at, sent_at
         FROM email_outbox ${clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .bind(...binds, pageSize, (page - 1) * pageSize),
    ctx.db.prepare(`SELECT count(*) AS n FROM email_outbox ${clause}`).bind(...binds),
  ]);
  const count = (total?.results[0] as { n: number } | undefined)?.n ?? 0;
  return {
    items: ((rows?.results ?? []) as RawRow[]).map(toRow),
    page,
    pageSize,
    total: count,
    pages: Math.max(1, Math.ceil(count / pageSize)),
  };
}

/** One message with its bodies, for the agency's admins. */
export async function getOutboxMessage({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  assertAgencyAdmin(ctx);
  const id = z.object({ id: z.string().min(1).max(64) }).safeParse(input);
  if (!id.success) throw new DomainError("NOT_FOUND", "No such message.");
  const row = await ctx.db
    .prepare(
      `SELECT id, about_tenant_id, kind, to_address, subject, status, attempts, provider, last_error, created_at, sent_at,
              text_body, html_body FROM email_outbox WHERE id = ?`,
    )
    .bind(id.data.id)
    .first<RawRow & { text_body: string; html_body: string | null }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such message.");
  return { ...toRow(row), text: row.text_body, html: row.html_body };
}
