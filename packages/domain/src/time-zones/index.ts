/**
 * The time zone settings (migrations/0019_time_zones.sql, decision 030): each person picks theirs or follows
 * the agency's, and agency admins set the agency's. Both are account-level (no tenant), so their audit rows go
 * to the agency's workspace like the other account events (kernel/audit.ts accountAuditRow).
 */
import { z } from "zod";
import type { Identity } from "../auth/identity.ts";
import { accountAuditRow } from "../kernel/audit.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { resolveTimeZone, timeZoneSchema } from "../kernel/time.ts";

type IdentityCtx = { db: D1Database; identity: Identity; now: () => Date };

/** A person's zones: their own choice (null: they follow the agency), the agency's, and the one times use. */
export type TimeZoneView = { own: string | null; agency: string; effective: string };

/** The zones of one person, in one read on the users primary key. */
export async function timeZoneView(db: D1Database, userId: number): Promise<TimeZoneView> {
  const row = await db
    .prepare(
      `SELECT u.time_zone AS own, (SELECT time_zone FROM agency_settings WHERE id = 1) AS agency
       FROM users u WHERE u.id = ?`,
    )
    .bind(userId)
    .first<{ own: string | null; agency: string | null }>();
  const agency = resolveTimeZone(row?.agency);
  const own = row?.own ?? null;
  return { own, agency, effective: resolveTimeZone(own, agency) };
}

/** My own zone, or null to follow the agency's. */
export const myTimeZoneInput = z.strictObject({ timeZone: timeZoneSchema.nullable() });
export const agencyTimeZoneInput = z.strictObject({ timeZone: timeZoneSchema });

/** Sets the caller's own zone (their account only: the identity is the session's, never an id from input). */
export async function setMyTimeZone({
  ctx,
  input,
}: {
  ctx: IdentityCtx;
  input: unknown;
}): Promise<TimeZoneView> {
  const { timeZone } = parse(myTimeZoneInput, input ?? {}, "time zone");
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare("UPDATE users SET time_zone = ? WHERE id = ? AND time_zone IS NOT ?")
      .bind(timeZone, ctx.identity.id, timeZone),
    accountAuditRow(ctx.db, {
      action: "user.time_zone",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "users",
      entityId: String(ctx.identity.id),
      data: { time_zone: timeZone },
      at: ts,
      onlyIfChanged: true,
    }),
  ]);
  return timeZoneView(ctx.db, ctx.identity.id);
}

/** Sets the agency's zone (agency admins): what everyone who follows the agency sees. */
export async function setAgencyTimeZone({
  ctx,
  input,
}: {
  ctx: IdentityCtx;
  input: unknown;
}): Promise<{ timeZone: string }> {
  if (ctx.identity.role !== "admin") {
    throw new DomainError("FORBIDDEN", "Only agency admins may change the agency's time zone.");
  }
  const { timeZone } = parse(agencyTimeZoneInput, input ?? {}, "time zone");
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO agency_settings (id, time_zone, updated_by, updated_at) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at WHERE agency_settings.time_zone IS NOT excluded.time_zone`,
      )
      .bind(timeZone, ctx.identity.id, ts),
    accountAuditRow(ctx.db, {
      action: "agency.time_zone",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "agency_settings",
      entityId: "1",
      data: { time_zone: timeZone },
      at: ts,
      onlyIfChanged: true,
    }),
  ]);
  return { timeZone };
}
