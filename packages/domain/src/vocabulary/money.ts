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
