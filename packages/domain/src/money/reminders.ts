/**
 * Payment reminders (decision 028): once a day, an issued invoice not fully paid gets one reminder when its due
 * date is near (REMIND_BEFORE_DAYS) and one when it has passed. Each reminder is one batch: the invoice's
 * reminder stage moves on (so a reminder is sent once, whatever runs concurrently), the message is handed to
 * the sender, and the audit row is written, all only if the stage moved.
 *
 * The seam for the notification engine (issue "Notifications"): `InvoiceReminderSender`. Today's default,
 * `outboxReminderSender`, queues an e-mail in the outbox; the engine replaces it with its own statements
 * (its notification rows, the user's channel preferences) without touching the selection or the stages here.
 */
import { auditRow } from "../kernel/audit.ts";
import { nowIso } from "../kernel/ids.ts";
import { queueMail } from "../mail/index.ts";
import { formatMinor } from "../vocabulary/money.ts";
import { addDays, INVOICE_COLUMNS, type Invoice, type InvoiceRow, invoiceFromRow, todayOf } from "./store.ts";

export const REMIND_BEFORE_DAYS = 3;
/** Invoices handled per pass (the rest wait for the next day's pass). */
export const REMINDERS_PER_PASS = 200;

export type InvoiceReminder = {
  kind: "before_due" | "after_due";
  invoice: Invoice;
  /** The project's client members (their address and language). */
  recipients: Array<{ email: string; locale: "fr" | "en" }>;
  /** The project's invoices page in its portal. */
  link: string;
};

/**
 * What sends a reminder: statements for the reminder's batch. Each must write exactly one row and carry `when`
 * (`changes() = 1`): they chain after the stage's UPDATE, so nothing is sent by a pass that lost the race.
 */
export type InvoiceReminderSender = (
  db: D1Database,
  reminder: InvoiceReminder,
  when: { sql: string },
  now: Date,
) => D1PreparedStatement[];

export const outboxReminderSender: InvoiceReminderSender = (db, r, when, now) =>
  r.recipients.map((to) => {
    const fr = to.locale === "fr";
    const amount = formatMinor(r.invoice.balance_minor, r.invoice.currency, to.locale);
    const number = r.invoice.number ?? "";
    const subject =
      r.kind === "before_due"
        ? fr
          ? `Facture ${number} : échéance le ${r.invoice.due_date}`
          : `Invoice ${number}: due on ${r.invoice.due_date}`
        : fr
          ? `Facture ${number} : paiement en retard`
          : `Invoice ${number}: payment overdue`;
    const text = fr
      ? `Bonjour,\n\nLa facture ${number} (${amount} restant à payer) ${r.kind === "before_due" ? `arrive à échéance le ${r.invoice.due_date}` : `était due le ${r.invoice.due_date}`}.\nVous la trouverez dans votre espace projet :\n${r.link}\n\nSi vous l'avez déjà réglée, merci de ne pas tenir compte de ce message.\n\nFataplus`
      : `Hello,\n\nInvoice ${number} (${amount} left to pay) ${r.kind === "before_due" ? `is due on ${r.invoice.due_date}` : `was due on ${r.invoice.due_date}`}.\nYou will find it in your project space:\n${r.link}\n\nIf you have already paid it, please ignore this message.\n\nFataplus`;
    return queueMail(
      db,
      { tenantId: r.invoice.tenant_id, to: to.email, subject, text, kind: `invoice.reminder_${r.kind}` },
      now,
      when,
    );
  });

type Due = InvoiceRow & { reminder_stage: number; subdomain: string };

/**
 * One daily pass over every tenant's open invoices (by design: the agency's job). Returns how many reminders
 * went out. `portalOrigin` makes the link to a project's portal from its subdomain.
 */
export async function remindDueInvoices({
  db,
  now,
  portalOrigin,
  sender = outboxReminderSender,
}: {
  db: D1Database;
  now: Date;
  portalOrigin: (subdomain: string) => string;
  sender?: InvoiceReminderSender;
}): Promise<number> {
  const today = todayOf(now);
  const cols = INVOICE_COLUMNS.split(", ")
    .map((c) => `i.${c}`)
    .join(", ");
  const { results } = await db
    .prepare(
      `SELECT ${cols}, i.reminder_stage, t.subdomain FROM invoices i JOIN tenants t ON t.id = i.tenant_id
       WHERE i.status IN ('issued', 'partly_paid') AND i.due_date <= ? AND t.status = 'active'
         AND ((i.reminder_stage = 0 AND i.due_date >= ?) OR (i.reminder_stage < 2 AND i.due_date < ?))
       ORDER BY i.due_date LIMIT ?`,
    )
    .bind(addDays(today, REMIND_BEFORE_DAYS), today, today, REMINDERS_PER_PASS)
    .all<Due>();
  let sent = 0;
  for (const row of results) {
    const kind = row.due_date < today ? "after_due" : "before_due";
    const stage = kind === "after_due" ? 2 : 1;
    const { results: people } = await db
      .prepare(
        `SELECT u.email, coalesce(u.locale, 'fr') AS locale FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.tenant_id = ? AND m.role = 'client' AND u.status = 'active' LIMIT 5`,
      )
      .bind(row.tenant_id)
      .all<{ email: string; locale: string }>();
    const recipients = people.map(
      (p) => ({ email: p.email, locale: p.locale === "en" ? "en" : "fr" }) as const,
    );
    const invoice = invoiceFromRow(row, today);
    const lang = invoice.locale === "en" ? "en/invoices" : "factures";
    const reminder: InvoiceReminder = {
      kind,
      invoice,
      recipients,
      link: `${portalOrigin(row.subdomain)}/${lang}`,
    };
    // the stage moves first; each statement after it runs only if the one before it wrote its row
    // (`changes() = 1` chains through the batch), so a pass that did not move the stage sends nothing
    const at = nowIso(now);
    const chained = { sql: "changes() = 1" };
    const results2 = await db.batch([
      db
        .prepare(
          "UPDATE invoices SET reminder_stage = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND reminder_stage < ? AND status IN ('issued', 'partly_paid')",
        )
        .bind(stage, at, row.tenant_id, row.id, stage),
      ...sender(db, reminder, chained, now),
      auditRow(db, {
        tenantId: row.tenant_id,
        actorType: "system",
        actorId: null,
        action: `invoice.reminder_${kind}`,
        entity: "invoices",
        entityId: row.id,
        data: { recipients: recipients.length },
        at,
        when: chained,
      }),
    ]);
    if (results2[0]?.meta.changes === 1) sent += 1;
  }
  return sent;
}
