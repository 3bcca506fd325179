/**
 * The email outbox (docs/decisions/012-email-outbox.md). Mail is written, never sent, by the verbs that cause
 * it: `queueMail` returns one INSERT to put inside the verb's own D1 batch, so a rolled-back change queues
 * nothing and a committed one can't lose its mail. Delivery is a separate step (`deliverPending`) that runs
 * after the commit, through one `Mailer`:
 *  - the development outbox: nothing leaves the machine; admins read the rows at /crm/outbox;
 *  - an HTTP provider (Resend's REST API: plain fetch, so it works from Workers), for production.
 */
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { MAX_SUBJECT_LENGTH, type MailMessage, mailMessage } from "./schemas.ts";

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

/** One INSERT into the outbox, to run inside the caller's batch. Throws VALIDATION on a malformed message. */
export function queueMail(
  db: D1Database,
  message: MailMessage,
  now: Date = new Date(),
  /** Queue it only if this SQL condition holds inside the batch (e.g. `changes() = 1`), like audit.ts `when`. */
  when?: { sql: string },
): D1PreparedStatement {
  const m = parse(mailMessage, message, "email");
  const values = [newId(), m.tenantId, m.kind, m.to, m.subject, m.text, m.html ?? null, nowIso(now)];
  const insert =
    "INSERT INTO email_outbox (id, about_tenant_id, kind, to_address, subject, text_body, html_body, status, created_at)";
  if (when)
    return db.prepare(`${insert} SELECT ?, ?, ?, ?, ?, ?, ?, 'queued', ? WHERE ${when.sql}`).bind(...values);
  return db.prepare(`${insert} VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`).bind(...values);
}
