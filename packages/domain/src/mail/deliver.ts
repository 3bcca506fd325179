/**
 * Delivery: a separate step after the commit (decision 012). Rows are claimed by one UPDATE … RETURNING
 * (status → sending), so two runners never send the same row; each outcome is written back on its own row.
 */
import { nowIso } from "../kernel/ids.ts";
import { MailDeliveryError, type Mailer } from "./mailer.ts";

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

/** Queues again what a crashed runner left in `sending`, then claims up to `limit` queued rows for `mailer`. */
async function claim(db: D1Database, mailer: Mailer, started: Date, limit: number): Promise<ClaimedRow[]> {
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
  return results;
}

/** Sends one claimed row and writes its outcome: sent or stored, queued again, or failed for good. */
async function deliverOne(
  db: D1Database,
  mailer: Mailer,
  row: ClaimedRow,
  now: () => Date,
): Promise<keyof DeliveryReport> {
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
    return status;
  } catch (err) {
    const retryable = err instanceof MailDeliveryError ? err.retryable : true;
    const giveUp = !retryable || row.attempts >= MAX_ATTEMPTS;
    const message = err instanceof Error ? err.message : "unknown error";
    await db
      .prepare("UPDATE email_outbox SET status = ?, last_error = ? WHERE id = ?")
      .bind(giveUp ? "failed" : "queued", message.slice(0, 500), row.id)
      .run();
    return giveUp ? "failed" : "retried";
  }
}

/** Sends up to `limit` queued messages. */
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
  for (const row of await claim(db, mailer, now(), limit)) report[await deliverOne(db, mailer, row, now)]++;
  return report;
}
