/**
 * Time zones (migrations/0019_time_zones.sql). Times are stored in UTC (ISO strings) and shown in the reader's
 * zone: the person's own, else the agency's, else Antananarivo's (the agency's home, UTC+3, no daylight saving).
 * Everything that shows a time to someone (pages, e-mails, digests, activity grouped by day) goes through here, so
 * a time always says which zone it is in.
 */
import { z } from "zod";

export const DEFAULT_TIME_ZONE = "Indian/Antananarivo";

/** Is this an IANA time zone name the runtime knows (workerd and Node carry the full ICU database)? */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().trim().min(1).max(64).refine(isTimeZone, {
  message: "Unknown time zone (use a name such as Indian/Antananarivo or Europe/Paris).",
});

/** The zone to show times in: the person's, else the agency's, else the default; an unknown name is skipped. */
export function resolveTimeZone(...candidates: ReadonlyArray<string | null | undefined>): string {
  for (const c of candidates) if (c && isTimeZone(c)) return c;
  return DEFAULT_TIME_ZONE;
}

export type Locale = "fr" | "en";
export type TimeStyle = "date" | "datetime" | "time" | "long";

const intlLocale = (locale: Locale) => (locale === "fr" ? "fr-FR" : "en-GB");

/**
 * A time as its reader sees it, with the zone's offset when a clock time is shown ("4 déc. 2026, 04:20 UTC+3"):
 * the reader never has to guess whether a time is theirs or the server's.
 */
export function formatInZone(
  when: string | Date,
  { locale, timeZone, style = "datetime" }: { locale: Locale; timeZone: string; style?: TimeStyle },
): string {
  const date = typeof when === "string" ? new Date(when) : when;
  if (Number.isNaN(date.getTime())) return "";
  const zone = resolveTimeZone(timeZone);
  const options: Intl.DateTimeFormatOptions =
    style === "date"
      ? { dateStyle: "medium" }
      : style === "long"
        ? { dateStyle: "long", timeStyle: "short" }
        : style === "time"
          ? { timeStyle: "short" }
          : { dateStyle: "medium", timeStyle: "short" };
  const text = new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone: zone }).format(date);
  return style === "date" ? text : `${text} ${zoneOffsetLabel(date, zone)}`;
}

/** "UTC+3", "UTC+5:30", "UTC" for the zone at that instant (daylight saving included). */
export function zoneOffsetLabel(when: Date, timeZone: string): string {
  const minutes = zoneOffsetMinutes(when, timeZone);
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}

/** The zone's offset from UTC in minutes at that instant. */
export function zoneOffsetMinutes(when: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: resolveTimeZone(timeZone),
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(when);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - Math.floor(when.getTime() / 1000) * 1000) / 60_000);
}

/** The reader's calendar day of an instant, "YYYY-MM-DD": what "grouped by day" and "due tomorrow" mean. */
export function dayInZone(when: string | Date, timeZone: string): string {
  const date = typeof when === "string" ? new Date(when) : when;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: resolveTimeZone(timeZone),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/**
 * The time zone of each of these people: their own, else the agency's, else the default. One read on the users
 * primary key (at most 90 ids per call, under D1's bound-parameter limit; callers page larger sets).
 */
export async function timeZonesOf(db: D1Database, userIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(userIds)].slice(0, 90);
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const { results } = await db
    .prepare(
      `SELECT u.id AS id, u.time_zone AS own, (SELECT time_zone FROM agency_settings WHERE id = 1) AS agency
       FROM users u WHERE u.id IN (${ids.map(() => "?").join(", ")})`,
    )
    .bind(...ids)
    .all<{ id: number; own: string | null; agency: string | null }>();
  for (const r of results) out.set(r.id, resolveTimeZone(r.own, r.agency));
  return out;
}

/** The agency's time zone (for what has no single reader: the agency's own pages, a digest's schedule). */
export async function agencyTimeZone(db: D1Database): Promise<string> {
  const row = await db
    .prepare("SELECT time_zone FROM agency_settings WHERE id = 1")
    .first<{ time_zone: string }>();
  return resolveTimeZone(row?.time_zone);
}
