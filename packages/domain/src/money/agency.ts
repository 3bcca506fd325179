/**
 * The agency's view of its money (CRM, agency staff and admins only): every invoice of every active project
 * over a period, with filters, totals by status, revenue by month, and the period as CSV for the accountant;
 * and the agency's legal identity printed on its invoices. Decision 028.
 */
import { z } from "zod";
import type { CrmCtx } from "../crm/scope.ts";
import { seesAllActiveTenants } from "../crm/scope.ts";
import { accountAuditRow } from "../kernel/audit.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { invoiceCurrencies, invoiceShownStatuses, vatRates } from "../vocabulary/money.ts";
import { partySchema } from "./schemas.ts";
import {
  INVOICE_COLUMNS,
  type Invoice,
  type InvoiceRow,
  invoiceFromRow,
  loadAgencyBilling,
  todayOf,
} from "./store.ts";

export const AGENCY_INVOICE_PAGE = 50;
/** The agency-wide index walked by date (migrations/0021_money.sql). */
const BY_DATE = "idx_invoices_issue_date_status_currency_kind_total_minor_paid_minor";
/** A CSV export holds at most this many rows (a period longer than that: export it in parts). */
export const CSV_MAX_ROWS = 5000;

function assertAgency(ctx: CrmCtx): void {
  if (!seesAllActiveTenants(ctx.identity))
    throw new DomainError("FORBIDDEN", "The agency's invoices are for agency staff.");
}

export const agencyInvoicesInput = z
  .strictObject({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    status: z.enum(invoiceShownStatuses).optional(),
    currency: z.enum(invoiceCurrencies).optional(),
    kind: z.enum(["invoice", "credit_note"]).optional(),
    page: z.coerce.number().int().min(1).max(200).default(1),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ["to"], message: "must be after the start" });

type Filters = z.infer<typeof agencyInvoicesInput>;

/** The period's bounds: by default the current calendar year. */
function period(f: Filters, now: Date) {
  const year = now.getUTCFullYear();
  return { from: f.from ?? `${year}-01-01`, to: f.to ?? `${year}-12-31` };
}

function where(f: Filters, now: Date) {
  const { from, to } = period(f, now);
  const today = todayOf(now);
  const sql = ["i.issue_date >= ?", "i.issue_date <= ?"];
  const binds: unknown[] = [from, to];
  if (f.status === "overdue") {
    sql.push("i.status IN ('issued', 'partly_paid') AND i.due_date < ?");
    binds.push(today);
  } else if (f.status === "issued" || f.status === "partly_paid") {
    sql.push("i.status = ? AND i.due_date >= ?");
    binds.push(f.status, today);
  } else if (f.status) {
    sql.push("i.status = ?");
    binds.push(f.status);
  }
  if (f.currency) {
    sql.push("i.currency = ?");
    binds.push(f.currency);
  }
  if (f.kind) {
    sql.push("i.kind = ?");
    binds.push(f.kind);
  }
  return { sql: sql.join(" AND "), binds, from, to };
}

const COLS = INVOICE_COLUMNS.split(", ")
  .map((c) => `i.${c}`)
  .join(", ");

export type AgencyInvoice = Invoice & { tenant_name: string; tenant_subdomain: string };

/**
 * The period's invoices, a page at a time (newest first), their totals by status and currency, and the
 * revenue (issued invoices minus credit notes, by issue month) and cash received by month. The totals read
 * the period's rows on the (issue_date, status, currency, kind, total, paid) index, never the table.
 */
export async function listAgencyInvoices({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  assertAgency(ctx);
  const f = parse(agencyInvoicesInput, input ?? {}, "filters");
  const now = ctx.now();
  const w = where(f, now);
  const offset = (f.page - 1) * AGENCY_INVOICE_PAGE;
  const active = "EXISTS (SELECT 1 FROM tenants t WHERE t.id = i.tenant_id AND t.status = 'active')";
  const [rows, byStatus, months] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT ${COLS}, t.name AS tenant_name, t.subdomain AS tenant_subdomain
         FROM invoices i INDEXED BY ${BY_DATE} JOIN tenants t ON t.id = i.tenant_id
         WHERE ${w.sql} AND t.status = 'active'
         ORDER BY i.issue_date DESC, i.id DESC LIMIT ? OFFSET ?`,
      )
      .bind(...w.binds, AGENCY_INVOICE_PAGE + 1, offset),
    ctx.db
      .prepare(
        `SELECT CASE WHEN i.status IN ('issued', 'partly_paid') AND i.due_date < ? THEN 'overdue' ELSE i.status END AS status,
           i.kind, i.currency, count(*) AS n, sum(i.total_minor) AS total_minor, sum(i.paid_minor) AS paid_minor
         FROM invoices i INDEXED BY ${BY_DATE}
         WHERE ${w.sql} AND ${active} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      )
      .bind(todayOf(now), ...w.binds),
    ctx.db
      .prepare(
        `SELECT substr(i.issue_date, 1, 7) AS month, i.currency,
           sum(CASE WHEN i.kind = 'invoice' THEN i.total_minor ELSE -i.total_minor END) AS invoiced_minor,
           sum(i.paid_minor) AS paid_minor
         FROM invoices i INDEXED BY ${BY_DATE}
         WHERE ${w.sql} AND i.status <> 'draft' AND ${active} GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .bind(...w.binds),
  ]);
  const today = todayOf(now);
  const list = (rows?.results ?? []) as Array<InvoiceRow & { tenant_name: string; tenant_subdomain: string }>;
  return {
    from: w.from,
    to: w.to,
    page: f.page,
    more: list.length > AGENCY_INVOICE_PAGE,
    rows: list.slice(0, AGENCY_INVOICE_PAGE).map(
      (r): AgencyInvoice => ({
        ...invoiceFromRow(r, today),
        tenant_name: r.tenant_name,
        tenant_subdomain: r.tenant_subdomain,
      }),
    ),
    totals: (byStatus?.results ?? []) as Array<{
      status: string;
      kind: string;
      currency: string;
      n: number;
      total_minor: number;
      paid_minor: number;
    }>,
    months: (months?.results ?? []) as Array<{
      month: string;
      currency: string;
      invoiced_minor: number;
      paid_minor: number;
    }>,
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // a cell a spreadsheet would run as a formula is prefixed (CSV injection)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Minor units as a decimal string for the accountant (EUR 123450 → "1234.50"; MGA 1500 → "1500"). */
const decimal = (minor: number, currency: string) =>
  currency === "EUR"
    ? `${minor < 0 ? "-" : ""}${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, "0")}`
    : String(minor);

/** The period as CSV (issued invoices and credit notes; drafts are not accounting documents). */
export async function exportInvoicesCsv({ ctx, input }: { ctx: CrmCtx; input: unknown }): Promise<string> {
  assertAgency(ctx);
  const f = parse(agencyInvoicesInput, input ?? {}, "filters");
  const now = ctx.now();
  const w = where(f, now);
  const { results } = await ctx.db
    .prepare(
      `SELECT ${COLS}, t.name AS tenant_name, t.subdomain AS tenant_subdomain
       FROM invoices i INDEXED BY ${BY_DATE} JOIN tenants t ON t.id = i.tenant_id
       WHERE ${w.sql} AND i.status <> 'draft' AND t.status = 'active'
       ORDER BY i.issue_date, i.number LIMIT ?`,
    )
    .bind(...w.binds, CSV_MAX_ROWS)
    .all<InvoiceRow & { tenant_name: string; tenant_subdomain: string }>();
  const today = todayOf(now);
  const header = [
    "number",
    "kind",
    "issue_date",
    "due_date",
    "status",
    "project",
    "client",
    "client_vat_number",
    "currency",
    "net",
    "vat",
    "total",
    "paid",
  ];
  const lines = results.map((r) => {
    const inv = invoiceFromRow(r, today);
    const sign = inv.kind === "credit_note" ? -1 : 1;
    return [
      inv.number,
      inv.kind,
      inv.issue_date,
      inv.due_date,
      inv.status,
      r.tenant_name,
      inv.buyer.name,
      inv.buyer.vat_number ?? "",
      inv.currency,
      decimal(sign * inv.subtotal_minor, inv.currency),
      decimal(sign * inv.tax_minor, inv.currency),
      decimal(sign * inv.total_minor, inv.currency),
      decimal(inv.paid_minor, inv.currency),
    ]
      .map(csvCell)
      .join(",");
  });
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}

export async function getAgencyBilling({ ctx }: { ctx: CrmCtx }) {
  assertAgency(ctx);
  return { billing: await loadAgencyBilling(ctx.db) };
}

export const agencyBillingInput = z.strictObject({
  legal_name: z.string().trim().min(1).max(200),
  address: partySchema.shape.address,
  country: z.enum(["MG", "FR"]),
  nif: partySchema.shape.nif,
  stat: partySchema.shape.stat,
  siret: partySchema.shape.siret,
  vat_number: partySchema.shape.vat_number,
  email: partySchema.shape.email,
  bank_details: z.string().trim().max(500).nullable().optional(),
  default_vat_bp: z.union(vatRates.map((r) => z.literal(r))),
  default_due_days: z.number().int().min(0).max(365),
});

/** Agency admins set the identity printed on invoices issued from now on (issued ones keep theirs). */
export async function updateAgencyBilling({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only an agency admin sets the agency's legal identity.");
  const b = parse(agencyBillingInput, input ?? {}, "billing identity");
  const at = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO agency_billing (id, legal_name, address, country, nif, stat, siret, vat_number, email, bank_details,
           default_vat_bp, default_due_days, updated_by, updated_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name, address = excluded.address,
           country = excluded.country, nif = excluded.nif, stat = excluded.stat, siret = excluded.siret,
           vat_number = excluded.vat_number, email = excluded.email, bank_details = excluded.bank_details,
           default_vat_bp = excluded.default_vat_bp, default_due_days = excluded.default_due_days,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .bind(
        b.legal_name,
        b.address ?? null,
        b.country,
        b.nif ?? null,
        b.stat ?? null,
        b.siret ?? null,
        b.vat_number ?? null,
        b.email ?? null,
        b.bank_details ?? null,
        b.default_vat_bp,
        b.default_due_days,
        ctx.identity.id,
        at,
      ),
    // the agency's workspace keeps the trail (as for the sign-in policy: an agency-level setting)
    accountAuditRow(ctx.db, {
      action: "billing.update",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "agency_billing",
      entityId: "1",
      data: { legal_name: b.legal_name, country: b.country },
      at,
    }),
  ]);
  return { billing: await loadAgencyBilling(ctx.db) };
}
