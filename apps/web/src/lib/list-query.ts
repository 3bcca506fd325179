/**
 * List screens keep their state (search, filters, sort, page, view) in the query string, so a list is a plain
 * link that works without JavaScript, can be bookmarked, and can be saved as a view.
 */
import { DEFAULT_TIME_ZONE, formatInZone } from "@fataplus/domain/vocabulary";
import { calendarDate } from "./time";

export type Query = Record<string, string>;

export function queryOf(url: URL, keys: readonly string[]): Query {
  const out: Query = {};
  for (const k of keys) {
    const v = url.searchParams.get(k);
    if (v !== null && v !== "") out[k] = v.slice(0, 100);
  }
  return out;
}

/** The same screen with some parameters changed (undefined removes one). Changing filters resets the page. */
export function hrefWith(
  pathname: string,
  query: Query,
  changes: Record<string, string | undefined>,
): string {
  const next: Query = { ...query };
  if (!("page" in changes)) delete next.page;
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") delete next[k];
    else next[k] = v;
  }
  const qs = new URLSearchParams(next).toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

/** The query string of the filters and sort only (what a saved view stores). */
export function viewQuery(query: Query): string {
  const { page: _page, ...rest } = query;
  return new URLSearchParams(rest).toString();
}

/**
 * A date for a list: a calendar date ("2026-12-04") as written, the day of an instant in the reader's zone
 * (decision 030; the agency's home zone when the page does not say).
 */
export const formatDate = (
  iso: string | null | undefined,
  lang: "fr" | "en",
  timeZone: string = DEFAULT_TIME_ZONE,
) =>
  iso
    ? iso.length === 10
      ? calendarDate(iso, lang)
      : formatInZone(iso, { locale: lang, timeZone, style: "date" }) || "—"
    : "—";
