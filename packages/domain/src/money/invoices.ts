/**
 * A project's invoices, in its tenant (decision 028): staff (project managers, admins) draft, edit, issue,
 * cancel by a credit note and record payments; the client reads what was issued to them; a partner never sees
 * money. Every write is one D1 batch with its audit row.
 */
import { z } from "zod";
import { type AuditEntry, auditRow, auditRowOf } from "../kernel/audit.ts";
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability } from "../kernel/roles.ts";
import { invoiceTotals } from "../vocabulary/money.ts";
import { cancelInput, invoiceDraftInput, paymentInput, versionInput } from "./schemas.ts";
import {
  addDays,
  INVOICE_COLUMNS,
  type Invoice,
  type InvoiceRow,
  invoiceFromRow,
  loadAgencyBilling,
  loadInvoiceRow,
  numberingStatements,
  numberSql,
  paymentStatements,
  sellerOf,
  todayOf,
} from "./store.ts";

export const INVOICE_PAGE = 20;

function assertRead(ctx: Ctx): void {
  if (!hasCapability(ctx.role, "money.read"))
    throw new DomainError("FORBIDDEN", "No access to this project's invoices.");
}

function assertManage(ctx: Ctx): void {
  if (!hasCapability(ctx.role, "money.manage"))
    throw new DomainError("FORBIDDEN", "Only the agency manages invoices.");
}

const notFound = () => new DomainError("NOT_FOUND", "No such invoice in this project.");
const changed = () =>
  new DomainError("CONFLICT", "This invoice has changed meanwhile (or was already issued). Reload it.");

/** An invoice of the tenant as the caller may see it: a client never sees a draft. */
async function visibleRow(ctx: Ctx, id: string): Promise<InvoiceRow> {
  assertRead(ctx);
  const row = await loadInvoiceRow(ctx.db, ctx.tenant.id, id);
  if (!row || (ctx.role === "client" && row.status === "draft")) throw notFound();
  return row;
}

/** The next page starts after the last row shown: its issue date and id (`before=2026-12-01_<id>`). */
export const invoiceListInput = z.strictObject({
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}_[0-9a-f-]{36}$/, "must be a cursor from the previous page")
    .optional(),
});

/** The project's invoices and credit notes, newest first, a page at a time (clients: issued ones only). */
export async function listInvoices({ ctx, input }: { ctx: Ctx; input?: unknown }) {
  assertRead(ctx);
  const { before } = parse(invoiceListInput, input ?? {}, "query");
  const [date, id] = before ? [before.slice(0, 10), before.slice(11)] : ["9999-12-31", "~"];
  const clientOnly = ctx.role === "client" ? "AND status <> 'draft'" : "";
  const { results } = await ctx.db
    .prepare(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE tenant_id = ? AND issue_date <= ? AND (issue_date, id) < (?, ?)
       ${clientOnly} ORDER BY issue_date DESC, id DESC LIMIT ?`,
    )
    .bind(ctx.tenant.id, date, date, id, INVOICE_PAGE + 1)
    .all<InvoiceRow>();
  const today = todayOf(ctx.now());
  const rows = results.slice(0, INVOICE_PAGE).map((r) => invoiceFromRow(r, today));
  const last = rows.at(-1);
  return { rows, next: results.length > INVOICE_PAGE && last ? `${last.issue_date}_${last.id}` : null };
}

export type InvoicePayment = {
  id: string;
  provider: string;
  provider_ref: string;
  amount_minor: number;
  currency: string;
  received_on: string;
  note: string | null;
  created_at: string;
};

/** One invoice with its payments (and, for a cancelled one, its credit note's number). */
export async function getInvoice({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string };
}): Promise<{ invoice: Invoice; payments: InvoicePayment[]; credit_note: string | null }> {
  const row = await visibleRow(ctx, String(input.id ?? ""));
  const [payments, credit] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT id, provider, provider_ref, amount_minor, currency, received_on, note, created_at
         FROM invoice_payments WHERE tenant_id = ? AND invoice_id = ? ORDER BY created_at LIMIT 100`,
      )
      .bind(ctx.tenant.id, row.id),
    ctx.db
      .prepare("SELECT number FROM invoices WHERE tenant_id = ? AND credit_of = ?")
      .bind(ctx.tenant.id, row.id),
  ]);
  return {
    invoice: invoiceFromRow(row, todayOf(ctx.now())),
    payments: (payments?.results ?? []) as InvoicePayment[],
    credit_note: ((credit?.results?.[0] as { number?: string } | undefined)?.number ?? null) || null,
  };
}

async function projectOf(ctx: Ctx, projectId: string | undefined): Promise<string> {
  const row = await ctx.db
    .prepare(
      projectId
        ? "SELECT id FROM projects WHERE tenant_id = ? AND id = ?"
        : "SELECT id FROM projects WHERE tenant_id = ? ORDER BY created_at LIMIT 1",
    )
    .bind(ctx.tenant.id, ...(projectId ? [projectId] : []))
    .first<{ id: string }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such project in this tenant.");
  return row.id;
}

/** Staff draft an invoice (no number yet: it gets one when issued). */
export async function createInvoice({ ctx, input }: { ctx: Ctx; input: unknown }) {
  assertManage(ctx);
  const d = parse(invoiceDraftInput, input ?? {}, "invoice");
  const projectId = await projectOf(ctx, d.project_id);
  const t = invoiceTotals(d.lines);
  const id = newId();
  const at = nowIso(ctx.now());
  const today = todayOf(ctx.now());
  await moneyWrite(
    ctx,
    [
      ctx.db
        .prepare(
          `INSERT INTO invoices (id, tenant_id, project_id, kind, purpose, status, locale, currency, issue_date, due_days,
             due_date, payment_terms, vat_mention, seller, buyer, lines, subtotal_minor, tax_minor, total_minor, notes,
             created_by, created_at, updated_at)
           VALUES (?, ?, ?, 'invoice', 'standard', 'draft', ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          id,
          ctx.tenant.id,
          projectId,
          d.locale,
          d.currency,
          today,
          d.due_days,
          addDays(today, d.due_days),
          d.payment_terms ?? null,
          d.vat_mention ?? null,
          JSON.stringify(d.buyer),
          JSON.stringify(t.lines),
          t.subtotal_minor,
          t.tax_minor,
          t.total_minor,
          d.notes ?? null,
          actorUserId(ctx.actor),
          at,
          at,
        ),
    ],
    { action: "invoice.create", entity: "invoices", entityId: id, data: { total_minor: t.total_minor } },
  );
  return getInvoice({ ctx, input: { id } });
}

/** Staff edit a draft; an issued invoice never changes (cancel it by a credit note instead). */
export async function updateInvoice({ ctx, input }: { ctx: Ctx; input: { id: string; body: unknown } }) {
  assertManage(ctx);
  const body = input.body && typeof input.body === "object" ? { ...input.body } : {};
  const { version } = parse(versionInput, { version: (body as { version?: unknown }).version }, "invoice");
  delete (body as { version?: unknown }).version;
  const d = parse(invoiceDraftInput, body, "invoice");
  const row = await visibleRow(ctx, String(input.id ?? ""));
  if (row.status !== "draft") {
    throw new DomainError("CONFLICT", "An issued invoice can't be edited: cancel it with a credit note.");
  }
  const t = invoiceTotals(d.lines);
  const at = nowIso(ctx.now());
  const [res] = await moneyWrite(
    ctx,
    [
      ctx.db
        .prepare(
          `UPDATE invoices SET locale = ?, currency = ?, due_days = ?, due_date = ?, payment_terms = ?, vat_mention = ?,
             buyer = ?, lines = ?, subtotal_minor = ?, tax_minor = ?, total_minor = ?, notes = ?,
             version = version + 1, updated_at = ?
           WHERE tenant_id = ? AND id = ? AND status = 'draft' AND version = ?`,
        )
        .bind(
          d.locale,
          d.currency,
          d.due_days,
          addDays(row.issue_date, d.due_days),
          d.payment_terms ?? null,
          d.vat_mention ?? null,
          JSON.stringify(d.buyer),
          JSON.stringify(t.lines),
          t.subtotal_minor,
          t.tax_minor,
          t.total_minor,
          d.notes ?? null,
          at,
          ctx.tenant.id,
          row.id,
          version,
        ),
    ],
    { action: "invoice.update", entity: "invoices", entityId: row.id, data: { total_minor: t.total_minor } },
  );
  if (res?.meta.changes !== 1) throw changed();
  return getInvoice({ ctx, input: { id: row.id } });
}

/** A draft (never issued, no number) can be thrown away; an issued invoice never is. */
export async function deleteInvoiceDraft({ ctx, input }: { ctx: Ctx; input: { id: string; body: unknown } }) {
  assertManage(ctx);
  const { version } = parse(versionInput, input.body ?? {}, "invoice");
  const row = await visibleRow(ctx, String(input.id ?? ""));
  if (row.status !== "draft") {
    throw new DomainError("CONFLICT", "An issued invoice is never deleted: cancel it with a credit note.");
  }
  const [res] = await moneyWrite(
    ctx,
    [
      ctx.db
        .prepare("DELETE FROM invoices WHERE tenant_id = ? AND id = ? AND status = 'draft' AND version = ?")
        .bind(ctx.tenant.id, row.id, version),
    ],
    { action: "invoice.delete_draft", entity: "invoices", entityId: row.id },
  );
  if (res?.meta.changes !== 1) throw changed();
  return { ok: true };
}

/**
 * Issue a draft: it takes the next number of its year (FA-2026-0042), today's date, its due date and the
 * agency's identity as it is now, all in one batch with the counter (store.ts numberingStatements).
 */
export async function issueInvoice({ ctx, input }: { ctx: Ctx; input: { id: string; body: unknown } }) {
  assertManage(ctx);
  const { version } = parse(versionInput, input.body ?? {}, "invoice");
  const row = await visibleRow(ctx, String(input.id ?? ""));
  if (row.status !== "draft") throw changed();
  if (row.total_minor <= 0) throw new DomainError("UNPROCESSABLE", "An invoice of zero can't be issued.");
  const seller = sellerOf(await loadAgencyBilling(ctx.db));
  const at = nowIso(ctx.now());
  const today = todayOf(ctx.now());
  const year = Number(today.slice(0, 4));
  const statements = [
    ...numberingStatements(ctx.db, "FA", year, {
      sql: "EXISTS (SELECT 1 FROM invoices WHERE tenant_id = ? AND id = ? AND status = 'draft' AND version = ?)",
      binds: [ctx.tenant.id, row.id, version],
    }),
    ctx.db
      .prepare(
        `UPDATE invoices SET status = 'issued', number = ${numberSql}, issue_date = ?, due_date = ?, seller = ?,
           issued_at = ?, updated_at = ?, version = version + 1
         WHERE tenant_id = ? AND id = ? AND status = 'draft' AND version = ? AND changes() = 1`,
      )
      .bind(
        "FA",
        year,
        today,
        addDays(today, row.due_days),
        JSON.stringify(seller),
        at,
        at,
        ctx.tenant.id,
        row.id,
        version,
      ),
  ];
  const results = await moneyWrite(ctx, statements, {
    action: "invoice.issue",
    entity: "invoices",
    entityId: row.id,
    data: { total_minor: row.total_minor, currency: row.currency },
  });
  if (results[2]?.meta.changes !== 1) throw changed();
  return getInvoice({ ctx, input: { id: row.id } });
}

/**
 * Cancel an issued invoice: a credit note (AV-2026-0003) for its full amount is issued in the same batch, and
 * the invoice becomes cancelled. Money already received stays recorded (the agency refunds it outside).
 */
export async function cancelInvoice({ ctx, input }: { ctx: Ctx; input: { id: string; body: unknown } }) {
  assertManage(ctx);
  const { version, reason } = parse(cancelInput, input.body ?? {}, "cancellation");
  const row = await visibleRow(ctx, String(input.id ?? ""));
  if (row.kind !== "invoice" || row.status === "draft" || row.status === "cancelled") {
    throw new DomainError(
      "CONFLICT",
      row.status === "draft"
        ? "A draft has no number: delete it instead."
        : "Only an issued invoice can be cancelled by a credit note.",
    );
  }
  const at = nowIso(ctx.now());
  const today = todayOf(ctx.now());
  const year = Number(today.slice(0, 4));
  const creditId = newId();
  const open = "status IN ('issued', 'partly_paid', 'paid')";
  const statements = [
    ...numberingStatements(ctx.db, "AV", year, {
      sql: `EXISTS (SELECT 1 FROM invoices WHERE tenant_id = ? AND id = ? AND kind = 'invoice' AND ${open} AND version = ?)`,
      binds: [ctx.tenant.id, row.id, version],
    }),
    ctx.db
      .prepare(
        `INSERT INTO invoices (id, tenant_id, project_id, kind, purpose, proposal_id, credit_of, number, status, locale,
           currency, issue_date, due_days, due_date, payment_terms, vat_mention, seller, buyer, lines, subtotal_minor,
           tax_minor, total_minor, notes, issued_at, created_by, created_at, updated_at)
         SELECT ?, tenant_id, project_id, 'credit_note', 'credit', proposal_id, id, ${numberSql}, 'issued', locale,
           currency, ?, 0, ?, NULL, vat_mention, seller, buyer, lines, subtotal_minor, tax_minor, total_minor, ?, ?, ?, ?, ?
         FROM invoices WHERE tenant_id = ? AND id = ? AND changes() = 1`,
      )
      .bind(
        creditId,
        "AV",
        year,
        today,
        today,
        reason,
        at,
        actorUserId(ctx.actor),
        at,
        at,
        ctx.tenant.id,
        row.id,
      ),
    ctx.db
      .prepare(
        `UPDATE invoices SET status = 'cancelled', cancelled_at = ?, updated_at = ?, version = version + 1
         WHERE tenant_id = ? AND id = ? AND changes() = 1`,
      )
      .bind(at, at, ctx.tenant.id, row.id),
  ];
  const results = await moneyWrite(ctx, statements, {
    action: "invoice.cancel",
    entity: "invoices",
    entityId: row.id,
    data: { credit_note: creditId, reason },
  });
  if (results[3]?.meta.changes !== 1) throw changed();
  return getInvoice({ ctx, input: { id: row.id } });
}

/** Staff record a payment received by hand (bank transfer, cash): the offline default of every provider. */
export async function recordPayment({ ctx, input }: { ctx: Ctx; input: { id: string; body: unknown } }) {
  assertManage(ctx);
  const p = parse(paymentInput, input.body ?? {}, "payment");
  const row = await visibleRow(ctx, String(input.id ?? ""));
  if (row.kind !== "invoice" || (row.status !== "issued" && row.status !== "partly_paid")) {
    throw new DomainError("CONFLICT", "Payments are recorded on an issued invoice that is not fully paid.");
  }
  if (p.amount_minor > row.total_minor - row.paid_minor) {
    throw new DomainError("VALIDATION", "The amount is more than what is left to pay.", {
      details: [{ path: "amount_minor", message: "more than the balance" }],
    });
  }
  const id = newId();
  const at = nowIso(ctx.now());
  const results = await ctx.db.batch([
    ...paymentStatements(ctx.db, {
      id,
      tenantId: ctx.tenant.id,
      invoiceId: row.id,
      provider: "manual",
      providerRef: p.reference ? `manual:${p.reference}` : `manual:${id}`,
      amountMinor: p.amount_minor,
      currency: row.currency,
      receivedOn: p.received_on,
      note: p.note ?? null,
      recordedBy: actorUserId(ctx.actor),
      at,
    }),
    auditWhenChanged(ctx, "invoice.payment", row.id, { amount_minor: p.amount_minor, provider: "manual" }),
  ]);
  if (results[0]?.meta.changes !== 1) {
    throw new DomainError(
      "CONFLICT",
      "This payment was not recorded: the invoice changed meanwhile, or this reference was already recorded.",
    );
  }
  return getInvoice({ ctx, input: { id: row.id } });
}

/**
 * The change and its audit row in one batch; the audit row only when the last statement changed a row (a
 * refused write, e.g. a stale version, leaves no trace but the 409).
 */
function moneyWrite(ctx: Ctx, statements: readonly D1PreparedStatement[], entry: AuditEntry) {
  return ctx.db.batch([
    ...statements,
    auditRow(ctx.db, {
      ...auditRowOf(ctx, entry.action, entry.entity, entry.entityId, entry.data ?? null),
      when: { sql: "changes() = 1" },
    }),
  ]);
}

function auditWhenChanged(ctx: Ctx, action: string, entityId: string, data: unknown): D1PreparedStatement {
  return auditRow(ctx.db, {
    ...auditRowOf(ctx, action, "invoices", entityId, data),
    when: { sql: "changes() = 1" },
  });
}
