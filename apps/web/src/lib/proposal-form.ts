/** The proposal editor's form → the API's body, and date formatting (pure: unit-tested in Node). */
import { DEFAULT_TIME_ZONE, type MoneyLang, parseMoney } from "@fataplus/domain/vocabulary";
import { calendarDate } from "./time";

export const MAX_LINES = 30;

/**
 * The proposal editor's form fields → the API's body (items parsed row by row; empty new rows dropped; prices
 * typed in the editor's language; a missing or unreadable price is NaN, which the API refuses).
 */
export function proposalBodyFrom(data: FormData, lang: MoneyLang = "fr"): Record<string, unknown> {
  const s = (k: string) => String(data.get(k) ?? "").trim();
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i <= MAX_LINES; i++) {
    if (!data.has(`item_deliverable_${i}`)) continue;
    if (data.get(`item_remove_${i}`) === "1") continue;
    const deliverable = s(`item_deliverable_${i}`);
    const isNew = data.get(`item_new_${i}`) === "1";
    if (isNew && deliverable === "") continue;
    const effort = s(`item_effort_${i}`);
    items.push({
      phase: s(`item_phase_${i}`),
      deliverable,
      effort_days: /^\d+$/.test(effort) ? Number(effort) : Number.NaN,
      price_cents: parseMoney(s(`item_price_${i}`), lang) ?? Number.NaN,
      source: s(`item_source_${i}`),
      ...(data.get(`item_optional_${i}`) === "1" ? { optional: true } : {}),
    });
  }
  return {
    title: s("title"),
    summary: s("summary") || null,
    valid_until: s("valid_until"),
    assumptions: s("assumptions")
      .split(/\r?\n/)
      .map((a) => a.trim())
      .filter(Boolean),
    items,
    ...(s("deposit_percent") !== "" ? { deposit_percent: Number(s("deposit_percent")) } : {}),
    version: Number(s("version")),
  };
}

/** A calendar date as written, or the day of an instant in the reader's zone (decision 030). */
export const dateOf = (
  iso: string | null | undefined,
  lang: "fr" | "en",
  timeZone: string = DEFAULT_TIME_ZONE,
) =>
  iso
    ? iso.length === 10
      ? calendarDate(iso, lang, "long")
      : new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone }).format(
          new Date(iso),
        )
    : "—";
