/**
 * Invoices as stored and as read, and the statements every money write is made of: the gapless numbering
 * (one counter row per series and year, moved in the same batch as the issue it numbers), recording a payment
 * once per provider reference. Decision 028.
 */
import { nowIso } from "../kernel/ids.ts";
import {
  type InvoiceCurrency,
  type InvoiceLine,
  type InvoiceStatus,
  type InvoiceStoredStatus,
  invoiceTotals,
  shownStatus,
} from "../vocabulary/money.ts";
import type { Party } from "./schemas.ts";

export type InvoiceRow = {
  id: string;
  tenant_id: string;
  project_id: string;
  kind: "invoice" | "credit_note";
  purpose: "standard" | "deposit" | "credit";
  proposal_id: string | null;
  credit_of: string | null;
  number: string | null;
  status: InvoiceStoredStatus;
  locale: "fr" | "en";
  currency: InvoiceCurrency;
  issue_date: string;
  due_days: number;
  due_date: string;
  payment_terms: string | null;
  vat_mention: string | null;
  seller: string;
  buyer: string;
  lines: string;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number;
  notes: string | null;
  version: number;
  issued_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
};

export type Invoice = Omit<InvoiceRow, "seller" | "buyer" | "lines" | "status"> & {
  status: InvoiceStatus;
  stored_status: InvoiceStoredStatus;
  seller: Party | null;
  buyer: Party;
  lines: InvoiceLine[];
  vat: ReturnType<typeof invoiceTotals>["vat"];
  balance_minor: number;
};

export const INVOICE_COLUMNS =
  "id, tenant_id, project_id, kind, purpose, proposal_id, credit_of, number, status, locale, currency, issue_date, due_days, due_date, payment_terms, vat_mention, seller, buyer, lines, subtotal_minor, tax_minor, total_minor, paid_minor, notes, version, issued_at, cancelled_at, created_at, updated_at";

const parseJson = <T>(s: string): T => JSON.parse(s) as T;

export function invoiceFromRow(row: InvoiceRow, today: string): Invoice {
  const lines = parseJson<InvoiceLine[]>(row.lines);
  const seller = parseJson<Partial<Party>>(row.seller);
  return {
    ...row,
    stored_status: row.status,
    status: shownStatus(row.status, row.due_date, today),
    seller: typeof seller.name === "string" ? { ...seller, name: seller.name } : null,
    buyer: parseJson<Party>(row.buyer),
    lines,
    vat: invoiceTotals(lines).vat,
    balance_minor:
      row.kind === "invoice" && row.status !== "cancelled" ? row.total_minor - row.paid_minor : 0,
  };
}

export const todayOf = (now: Date) => nowIso(now).slice(0, 10);

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function loadInvoiceRow(
  db: D1Database,
  tenantId: string,
  id: string,
): Promise<InvoiceRow | null> {
  return db
    .prepare(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE tenant_id = ? AND id = ?`)
    .bind(tenantId, id)
    .first<InvoiceRow>();
}

/**
 * The numbering of one issue: make sure the (series, year) counter row exists, then move it by one only if
 * `guard` (an EXISTS over the row being numbered, in its expected state) holds. The statement right after these
 * two must use `numberSql` and `changes() = 1`: it runs only when the counter moved, in the same transaction,
 * so a number is given exactly when a row takes it (no gap, no duplicate, whatever runs concurrently).
 */
export function numberingStatements(
  db: D1Database,
  series: "FA" | "AV",
  year: number,
  guard: { sql: string; binds: readonly unknown[] },
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "INSERT INTO invoice_sequences (series, year, last_number) VALUES (?, ?, 0) ON CONFLICT (series, year) DO NOTHING",
      )
      .bind(series, year),
    db
      .prepare(
        `UPDATE invoice_sequences SET last_number = last_number + 1 WHERE series = ? AND year = ? AND ${guard.sql}`,
      )
      .bind(series, year, ...guard.binds),
  ];
}

/** The number just taken, as SQL (binds: series, year): FA-2026-0042. */
export const numberSql =
  "(SELECT printf('%s-%d-%04d', series, year, last_number) FROM invoice_sequences WHERE series = ? AND year = ?)";

export type PaymentRecord = {
  tenantId: string;
  invoiceId: string;
  provider: "manual" | "stripe" | "mvola" | "orange_money";
  providerRef: string;
  amountMinor: number;
  currency: InvoiceCurrency;
  receivedOn: string;
  note: string | null;
  recordedBy: number | null;
  at: string;
  id: string;
};

/**
 * A payment, as two statements for one batch (followed by its audit row with `changes() = 1`): the payment row,
 * written only if the invoice is open, in the same currency, with at least this much left to pay, and if this
 * provider reference was never recorded (a webhook delivered twice records nothing the second time); then the
 * invoice's paid amount and status, only if the row above was written. Every payment adapter uses these.
 */
export function paymentStatements(db: D1Database, p: PaymentRecord): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO invoice_payments (id, tenant_id, invoice_id, provider, provider_ref, amount_minor, currency, received_on, note, recorded_by, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (
           SELECT 1 FROM invoices WHERE tenant_id = ? AND id = ? AND kind = 'invoice'
             AND status IN ('issued', 'partly_paid') AND currency = ? AND total_minor - paid_minor >= ?)
         ON CONFLICT (provider, provider_ref) DO NOTHING`,
      )
      .bind(
        p.id,
        p.tenantId,
        p.invoiceId,
        p.provider,
        p.providerRef,
        p.amountMinor,
        p.currency,
        p.receivedOn,
        p.note,
        p.recordedBy,
        p.at,
        p.tenantId,
        p.invoiceId,
        p.currency,
        p.amountMinor,
      ),
    db
      .prepare(
        `UPDATE invoices SET paid_minor = paid_minor + ?1,
           status = CASE WHEN paid_minor + ?1 >= total_minor THEN 'paid' ELSE 'partly_paid' END, updated_at = ?2
         WHERE tenant_id = ?3 AND id = ?4 AND changes() = 1`,
      )
      .bind(p.amountMinor, p.at, p.tenantId, p.invoiceId),
  ];
}

/** The agency's legal identity and defaults (one row, migration 0021). */
export type AgencyBilling = {
  legal_name: string;
  address: string | null;
  country: "MG" | "FR";
  nif: string | null;
  stat: string | null;
  siret: string | null;
  vat_number: string | null;
  email: string | null;
  bank_details: string | null;
  default_vat_bp: number;
  default_due_days: number;
  updated_at: string;
};

export async function loadAgencyBilling(db: D1Database): Promise<AgencyBilling> {
  const row = await db
    .prepare(
      "SELECT legal_name, address, country, nif, stat, siret, vat_number, email, bank_details, default_vat_bp, default_due_days, updated_at FROM agency_billing WHERE id = 1",
    )
    .first<AgencyBilling>();
  return (
    row ?? {
      legal_name: "Fataplus",
      address: null,
      country: "MG",
      nif: null,
      stat: null,
      siret: null,
      vat_number: null,
      email: null,
      bank_details: null,
      default_vat_bp: 2000,
      default_due_days: 30,
      updated_at: "",
    }
  );
}

/** The seller as printed on an invoice issued now: the agency's identity at that moment (a snapshot). */
export function sellerOf(b: AgencyBilling): Party {
  return {
    name: b.legal_name,
    address: b.address,
    country: b.country,
    nif: b.nif,
    stat: b.stat,
    siret: b.siret,
    vat_number: b.vat_number,
    email: b.email,
    bank_details: b.bank_details,
  };
}
