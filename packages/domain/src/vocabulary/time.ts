/**
 * Times as their reader sees them (migrations/0019_time_zones.sql): stored in UTC, shown in the reader's zone
 * with its offset. Pure functions on the runtime's ICU data, no zod and no database, so that islands format a
 * time the way the server does (`kernel/time.ts` adds the zod schema and the D1 reads).
 */

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
 * A short list of zones for the pickers, first the agency's home and the places its people and clients are
 * most often in; every other IANA name stays reachable below it (`allTimeZones`).
 */
export const COMMON_TIME_ZONES = [
  "Indian/Antananarivo",
  "Indian/Reunion",
  "Indian/Mauritius",
  "Africa/Nairobi",
  "Africa/Johannesburg",
  "Africa/Lagos",
  "Europe/Paris",
  "Europe/London",
  "Europe/Brussels",
  "Europe/Berlin",
  "America/Montreal",
  "America/New_York",
  "America/Los_Angeles",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
  "UTC",
] as const;

/** Every IANA zone the runtime knows, sorted (the short list when the runtime can't say). */
export function allTimeZones(): string[] {
  const intl: { supportedValuesOf?: (key: "timeZone") => string[] } = Intl;
  const known = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  return [...new Set([...known, ...COMMON_TIME_ZONES])].sort();
}
