/**
 * Money as people type and read it. Records hold integer cents; a person types major units in their language:
 * "12 000,50" (French), "12,000.50" (English), "12000", "12 000 €". One parser and one formatter for every
 * form and page, so an amount reads back the way it was typed.
 */

export type MoneyLang = "fr" | "en";

const locale = (lang: MoneyLang) => (lang === "fr" ? "fr-FR" : "en-GB");

/**
 * Cents from a typed amount: "" → null; anything that is not a positive amount with at most two decimals → NaN
 * (which every schema refuses, so the form shows the field's error). A lone comma is a decimal comma in French
 * and a thousands separator in English ("12,000").
 */
export function parseMoney(raw: string, lang: MoneyLang = "fr"): number | null {
  let s = raw.replace(/[\s\u00a0\u202f€]/g, "");
  if (s === "") return null;
  if (s.includes(",") && s.includes(".")) s = s.replace(/,/g, "");
  else if (lang === "en" && /^\d{1,3}(,\d{3})+$/.test(s)) s = s.replace(/,/g, "");
  else s = s.replace(",", ".");
  return /^\d+(\.\d{1,2})?$/.test(s) ? Math.round(Number(s) * 100) : Number.NaN;
}

/**
 * An amount for reading: "12 000 €" in lists and dashboards (whole units), "12 000,50 €" where every cent
 * counts (`exact`, e.g. a proposal's lines). No amount → "—".
 */
export function formatMoney(
  cents: number | null | undefined,
  lang: MoneyLang,
  opts: { currency?: string; exact?: boolean } = {},
): string {
  if (cents === null || cents === undefined) return "—";
  return new Intl.NumberFormat(locale(lang), {
    style: "currency",
    currency: opts.currency ?? "EUR",
    ...(opts.exact ? {} : { maximumFractionDigits: 0 }),
  }).format(cents / 100);
}

/** An amount as a form field's value, which parseMoney reads back: 1250050 → "12500,5" (fr), "12500.5" (en). */
export function moneyInput(cents: number | null | undefined, lang: MoneyLang): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return "";
  const s = String(cents / 100);
  return lang === "fr" ? s.replace(".", ",") : s;
}

/** The currencies an invoice can be in, and their minor unit: EUR in cents, MGA in whole ariary (CLDR: 0 digits). */
export const invoiceCurrencies = ["EUR", "MGA"] as const;
export type InvoiceCurrency = (typeof invoiceCurrencies)[number];
export const minorDigits: Readonly<Record<InvoiceCurrency, number>> = { EUR: 2, MGA: 0 };

/** An amount in an invoice's currency, from its minor units (integers only): 123450 EUR → "1 234,50 €". */
export function formatMinor(minor: number, currency: InvoiceCurrency, lang: MoneyLang): string {
  const digits = minorDigits[currency];
  return new Intl.NumberFormat(locale(lang), {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

/**
 * VAT rates in basis points (2000 = 20 %): Madagascar's 20 %, France's 20 / 10 / 5.5 / 2.1 %, and 0 (no VAT),
 * which needs a legal mention on the invoice (`vatMentions`).
 */
export const vatRates = [2000, 1000, 550, 210, 0] as const;
export type VatRate = (typeof vatRates)[number];

/** The legal mentions for an invoice with lines at 0 %: key → text in French and English. */
export const vatMentions = {
  fr_293b: {
    fr: "TVA non applicable, art. 293 B du CGI",
    en: "VAT not applicable, art. 293 B of the French tax code (CGI)",
  },
  eu_reverse: {
    fr: "Autoliquidation : TVA due par le preneur (art. 196 de la directive 2006/112/CE)",
    en: "Reverse charge: VAT due by the customer (art. 196 of Directive 2006/112/EC)",
  },
  export: {
    fr: "Exonération de TVA : prestation de services à l'exportation",
    en: "VAT exempt: export of services",
  },
  mg_non_assujetti: {
    fr: "Non assujetti à la TVA (Code général des impôts de Madagascar)",
    en: "Not registered for VAT (Madagascar general tax code)",
  },
} as const;
export type VatMention = keyof typeof vatMentions;
export const vatMentionKeys = Object.keys(vatMentions) as VatMention[];

export type InvoiceLineInput = {
  description: string;
  /** Thousandths of a unit: 1000 = 1, 2500 = 2.5 (days, hours, pieces). */
  quantity_milli: number;
  unit_price_minor: number;
  vat_bp: VatRate;
};
export type InvoiceLine = InvoiceLineInput & { net_minor: number };
export type InvoiceTotals = {
  lines: InvoiceLine[];
  /** Per VAT rate: the net base and its VAT (EN 16931: VAT is computed per rate on the sum of the lines). */
  vat: Array<{ vat_bp: VatRate; base_minor: number; tax_minor: number }>;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
};

/** `a × b / d`, rounded half up, exact for any integers (BigInt: no float ever touches an amount). */
function mulDiv(a: number, b: number, d: number): number {
  const n = BigInt(a) * BigInt(b);
  const q = (n * 2n + BigInt(d)) / (2n * BigInt(d));
  return Number(q);
}

/** An invoice's amounts from its lines: each line's net, VAT per rate, subtotal, VAT and total (integers). */
export function invoiceTotals(lines: readonly InvoiceLineInput[]): InvoiceTotals {
  const out = lines.map((l) => ({ ...l, net_minor: mulDiv(l.quantity_milli, l.unit_price_minor, 1000) }));
  const byRate = new Map<VatRate, number>();
  for (const l of out) byRate.set(l.vat_bp, (byRate.get(l.vat_bp) ?? 0) + l.net_minor);
  const vat = [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([vat_bp, base_minor]) => ({ vat_bp, base_minor, tax_minor: mulDiv(base_minor, vat_bp, 10_000) }));
  const subtotal_minor = out.reduce((s, l) => s + l.net_minor, 0);
  const tax_minor = vat.reduce((s, v) => s + v.tax_minor, 0);
  return { lines: out, vat, subtotal_minor, tax_minor, total_minor: subtotal_minor + tax_minor };
}

/** "20 %", "5,5 %" (fr) / "5.5%" (en). */
export function formatVat(bp: number, lang: MoneyLang): string {
  const n = bp / 100;
  return lang === "fr" ? `${String(n).replace(".", ",")} %` : `${n}%`;
}

/** Invoice statuses as stored, and as read (an issued or partly paid invoice past its due date is overdue). */
export const invoiceStatuses = ["draft", "issued", "partly_paid", "paid", "cancelled"] as const;
export type InvoiceStoredStatus = (typeof invoiceStatuses)[number];
export const invoiceShownStatuses = [...invoiceStatuses, "overdue"] as const;
export type InvoiceStatus = (typeof invoiceShownStatuses)[number];

export function shownStatus(status: InvoiceStoredStatus, dueDate: string, today: string): InvoiceStatus {
  if ((status === "issued" || status === "partly_paid") && dueDate < today) return "overdue";
  return status;
}

/** The number of an issued invoice or credit note: FA-2026-0042, AV-2026-0003. */
export const invoiceNumber = (series: "FA" | "AV", year: number, n: number) =>
  `${series}-${year}-${String(n).padStart(4, "0")}`;
