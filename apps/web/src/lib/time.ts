/**
 * Times on the site, in the reader's zone (decision 030): every clock time goes through the domain's
 * `formatInZone`, which says which zone it is in ("4 déc. 2026, 04:20 UTC+3"). Calendar dates (a due date,
 * "2026-12-04") are days, not instants: they are shown as written, never shifted by a zone.
 */
import { DEFAULT_TIME_ZONE, formatInZone, type TimeStyle } from "@fataplus/domain/vocabulary";

/** The zone a signed-in person's times are shown in (the API's `me.zone`), Antananarivo without one. */
export const zoneOf = (me: { zone?: { effective: string } | null } | null | undefined): string =>
  me?.zone?.effective ?? DEFAULT_TIME_ZONE;

/** A formatter of instants for one reader: `when(iso)`, `when(iso, "date")`; "" for nothing. */
export function timeIn(lang: "fr" | "en", timeZone: string) {
  return (iso: string | null | undefined, style: TimeStyle = "datetime"): string =>
    iso ? formatInZone(iso, { locale: lang, timeZone, style }) : "";
}

/** A calendar date ("2026-12-04", or the date part of an instant) as the reader's language writes it. */
export function calendarDate(
  d: string | null | undefined,
  lang: "fr" | "en",
  style: "medium" | "long" = "medium",
): string {
  if (!d) return "";
  const date = new Date(`${d.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: style,
    timeZone: "UTC",
  }).format(date);
}
