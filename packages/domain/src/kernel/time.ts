/**
 * Time zones (migrations/0019_time_zones.sql). Times are stored in UTC (ISO strings) and shown in the reader's
 * zone: the person's own, else the agency's, else Antananarivo's (the agency's home, UTC+3, no daylight saving).
 * Everything that shows a time to someone (pages, e-mails, digests, activity grouped by day) goes through here, so
 * a time always says which zone it is in.
 */
import { z } from "zod";
import { isTimeZone, resolveTimeZone } from "../vocabulary/time.ts";

export {
  allTimeZones,
  COMMON_TIME_ZONES,
  DEFAULT_TIME_ZONE,
  dayInZone,
  formatInZone,
  isTimeZone,
  type Locale,
  resolveTimeZone,
  type TimeStyle,
  zoneOffsetLabel,
  zoneOffsetMinutes,
} from "../vocabulary/time.ts";

export const timeZoneSchema = z.string().trim().min(1).max(64).refine(isTimeZone, {
  message: "Unknown time zone (use a name such as Indian/Antananarivo or Europe/Paris).",
});

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
