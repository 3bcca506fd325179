/**
 * The email outbox (docs/decisions/012-email-outbox.md). Mail is written, never sent, by the verbs that cause
 * it: `queueMail` returns one INSERT to put inside the verb's own D1 batch, so a rolled-back change queues
 * nothing and a committed one can't lose its mail. Delivery is a separate step (`deliverPending`) that runs
 * after the commit, through one `Mailer`:
 *  - the development outbox: nothing leaves the machine; admins read the rows at /crm/outbox;
 *  - an HTTP provider (Resend's REST API: plain fetch, so it works from Workers), for production.
 */
import { z } from "zod";
import type { CrmCtx } from "../crm/scope.ts";
import { likePattern } from "../crm/scope.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { outboxStatuses } from "../vocabulary/crm.ts";

export const MAIL_KINDS_PATTERN = /^[a-z][a-z0-9_.-]{0,59}$/;

/** The longest subject the outbox takes. */
export const MAX_SUBJECT_LENGTH = 200;

/**
 * A subject built from people's text (a project's or a course's name) made acceptable to `queueMail`: one line
 * (line breaks and runs of spaces become one space) and at most MAX_SUBJECT_LENGTH characters (cut with "…").
 * Without it, a long or multi-line name makes the verb that mails it fail.
 */
export function mailSubject(raw: string): string {
  const line = raw.replace(/\s+/g, " ").trim();
  return line.length <= MAX_SUBJECT_LENGTH ? line : `${line.slice(0, MAX_SUBJECT_LENGTH - 1).trimEnd()}…`;
}

/**
 * Text typed by an anonymous visitor (a name, an organisation) that a mail repeats to the address they gave:
 * dropped when it looks like a link or a domain, so the public forms can't make Fataplus mail someone a URL
 * of the visitor's choosing under our name. Returns null when the text should be left out.
 */
export function visitorTextForMail(raw: string): string | null {
  const line = raw.replace(/\s+/g, " ").trim();
  if (!line) return null;
  const linkLike = /(:\/\/|www\.|@|[a-z0-9-]{2,}\.[a-z]{2,}(?![a-z]))/i;
  return linkLike.test(line) ? null : line;
}

export const mailMessage = z.strictObject({
  /** The project the message concerns, or null for agency-wide mail. Used to filter the outbox only. */
  tenantId: z.string().min(1).max(40).nullable(),
  to: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "must be an email address" }).max(254)),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(MAX_SUBJECT_LENGTH)
    .refine((s) => !/[\r\n]/.test(s), "must be one line"),
  text: z.string().min(1).max(20_000),
  html: z.string().max(100_000).optional(),
  /** What the mail is, e.g. "invitation", "request.reminder": dotted lower-case words. */
  kind: z.string().regex(MAIL_KINDS_PATTERN, "must be lower-case words joined by . _ or -"),
});

export type MailMessage = z.input<typeof mailMessage>;

/** One INSERT into the outbox, to run inside the caller's batch. Throws VALIDATION on a malformed message. */
export function queueMail(db: D1Database, message: MailMessage, now: Date = new Date()): D1PreparedStatement {
  const parsed = mailMessage.safeParse(message);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid email");
  const m = parsed.data;
  return db
    .prepare(
      `INSERT INTO email_outbox (id, about_tenant_id, kind, to_address, subject, text_body, html_body, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
    )
    .bind(newId(), m.tenantId, m.kind, m.to, m.subject, m.text, m.html ?? null, nowIso(now));
}

// ---------------------------------------------------------------------------------------------- delivery

export type OutgoingMail = { id: string; to: string; subject: string; text: string; html: string | null };

/** A failed send. `retryable` false means the provider refused the message itself (bad address, bad key…). */
export class MailDeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = "MailDeliveryError";
    this.retryable = retryable;
  }
}

export interface Mailer {
  /** Recorded on each row it handles. */
  readonly name: string;
  /** True when the outbox row itself is the delivery (development): rows end as `stored`, not `sent`. */
  readonly keepsInOutbox: boolean;
  send(mail: OutgoingMail): Promise<{ providerMessageId: string | null }>;
}

/** The offline default: nothing leaves the machine; the row in D1 is the message. */
export const outboxOnlyMailer: Mailer = {
  name: "outbox",
  keepsInOutbox: true,
  send: async () => ({ providerMessageId: null }),
};

export type HttpMailerOptions = {
  apiKey: string;
  /** The sender, e.g. "Fataplus <hello@fata.plus>" (a domain verified with the provider). */
  from: string;
  /** Resend's endpoint by default; tests point it at a local fake server. */
  endpoint?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

const providerAnswer = z.object({ id: z.string().min(1).max(200) });

/**
 * Resend's REST API (POST /emails with a bearer key). The outbox row id is sent as the Idempotency-Key, so a
 * retry after a timeout can't send the same message twice. 429 and 5xx are retryable; other 4xx are not.
 */
export function createHttpMailer(options: HttpMailerOptions): Mailer {
  const endpoint = options.endpoint ?? "https://api.resend.com/emails";
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: "resend",
    keepsInOutbox: false,
    async send(mail) {
      let res: Response;
      try {
        res = await doFetch(endpoint, {
          method: "POST",
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": mail.id,
          },
          body: JSON.stringify({
            from: options.from,
            to: [mail.to],
            subject: mail.subject,
            text: mail.text,
            ...(mail.html ? { html: mail.html } : {}),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
        throw new MailDeliveryError(
          timedOut ? `no answer within ${timeoutMs} ms` : "the provider could not be reached",
          true,
        );
      }
      const body = await res.text();
      if (!res.ok) {
        const retryable = res.status === 429 || res.status >= 500;
        throw new MailDeliveryError(`provider answered ${res.status}: ${body.slice(0, 200)}`, retryable);
      }
      let parsed: z.infer<typeof providerAnswer>;
      try {
        parsed = providerAnswer.parse(JSON.parse(body));
      } catch {
        // Accepted (2xx) but unreadable: treat as sent rather than risk a duplicate; keep what we got.
        return { providerMessageId: null };
      }
      return { providerMessageId: parsed.id };
    },
  };
}

export const MAX_ATTEMPTS = 5;
/** A row left in `sending` this long (a crashed runner) is queued again. */
export const STALE_SENDING_MS = 15 * 60_000;

type ClaimedRow = {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attempts: number;
};

export type DeliveryReport = { sent: number; stored: number; retried: number; failed: number };

/**
 * Sends up to `limit` queued messages. Rows are claimed by one UPDATE … RETURNING (status → sending), so two
 * runners never send the same row; each outcome is written back on its own row.
 */
export async function deliverPending({
  db,
  mailer,
  now = () => new Date(),
  limit = 20,
}: {
  db: D1Database;
  mailer: Mailer;
  now?: () => Date;
  limit?: number;
}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, stored: 0, retried: 0, failed: 0 };
  const started = now();
  await db
    .prepare("UPDATE email_outbox SET status = 'queued' WHERE status = 'sending' AND claimed_at < ?")
    .bind(nowIso(new Date(started.getTime() - STALE_SENDING_MS)))
    .run();
  const { results } = await db
    .prepare(
      `UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, provider = ?, claimed_at = ?
       WHERE id IN (SELECT id FROM email_outbox WHERE status = 'queued' ORDER BY created_at LIMIT ?)
       RETURNING id, to_address, subject, text_body, html_body, attempts`,
    )
    .bind(mailer.name, nowIso(started), Math.max(1, Math.min(limit, 100)))
    .all<ClaimedRow>();
  for (const row of results) {
    try {
      const { providerMessageId } = await mailer.send({
        id: row.id,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
      });
      const status = mailer.keepsInOutbox ? "stored" : "sent";
      await db
        .prepare(
          "UPDATE email_outbox SET status = ?, provider_message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
        )
        .bind(status, providerMessageId, nowIso(now()), row.id)
        .run();
      if (status === "stored") report.stored++;
      else report.sent++;
    } catch (err) {
      const retryable = err instanceof MailDeliveryError ? err.retryable : true;
      const giveUp = !retryable || row.attempts >= MAX_ATTEMPTS;
      const message = err instanceof Error ? err.message : "unknown error";
      await db
        .prepare("UPDATE email_outbox SET status = ?, last_error = ? WHERE id = ?")
        .bind(giveUp ? "failed" : "queued", message.slice(0, 500), row.id)
        .run();
      if (giveUp) report.failed++;
      else report.retried++;
    }
  }
  return report;
}

// -------------------------------------------------------------------------------------------- reading

export { outboxStatuses };

export const listOutboxInput = z.strictObject({
  status: z.enum(outboxStatuses).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

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
export async function listOutbox({ ctx, input }: { ctx: CrmCtx; input: z.input<typeof listOutboxInput> }) {
  assertAgencyAdmin(ctx);
  const parsed = listOutboxInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid outbox query");
  const { status, q, page, pageSize } = parsed.data;
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
export async function getOutboxMessage({ ctx, input }: { ctx: CrmCtx; input: { id: string } }) {
  assertAgencyAdmin(ctx);
  const id = z.string().min(1).max(64).safeParse(input.id);
  if (!id.success) throw new DomainError("NOT_FOUND", "No such message.");
  const row = await ctx.db
    .prepare(
      `SELECT id, about_tenant_id, kind, to_address, subject, status, attempts, provider, last_error, created_at, sent_at,
              text_body, html_body FROM email_outbox WHERE id = ?`,
    )
    .bind(id.data)
    .first<RawRow & { text_body: string; html_body: string | null }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such message.");
  return { ...toRow(row), text: row.text_body, html: row.html_body };
}
