/**
 * Each person's choice per kind of notification (docs/decisions/027-notifications.md): in the app only, an
 * e-mail at once, the project's digest, the daily summary, or off. No row means the role's default
 * (vocabulary/notifications.ts `defaultChannel`). The unsubscribe link of an e-mail is a signed token for one
 * person and one kind (portal/signed.ts), valid a year, that works without signing in and does only this: that
 * kind stops e-mailing (it stays in the app). The agency's digest interval lives in agency_settings.
 */
import { z } from "zod";
import type { Identity } from "../auth/identity.ts";
import { accountAuditRow } from "../kernel/audit.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import type { TenantRole } from "../kernel/roles.ts";
import { signToken, verifyToken } from "../portal/signed.ts";
import {
  defaultChannel,
  kindsForRole,
  type NotificationChannel,
  type NotificationKind,
  notificationChannels,
  notificationKinds,
} from "../vocabulary/notifications.ts";

export const UNSUBSCRIBE_TTL_SECONDS = 365 * 24 * 3600;
export const DEFAULT_DIGEST_MINUTES = 15;

type PersonCtx = { db: D1Database; identity: Identity; now: () => Date };

export type NotificationPreference = {
  kind: NotificationKind;
  channel: NotificationChannel;
  /** What the person gets if they choose nothing. */
  default: NotificationChannel;
};

/** The roles a person holds: their memberships', and the agency's (staff act as project managers everywhere). */
async function rolesOf(ctx: PersonCtx): Promise<TenantRole[]> {
  const { results } = await ctx.db
    .prepare("SELECT DISTINCT role FROM memberships WHERE user_id = ? LIMIT 4")
    .bind(ctx.identity.id)
    .all<{ role: TenantRole }>();
  const roles = new Set(results.map((r) => r.role));
  if (ctx.identity.role === "admin") roles.add("admin");
  if (ctx.identity.role === "staff") roles.add("project_manager");
  return [...roles];
}

/** The agency side's default wins over the client's when a person is both (the stricter one is the client's). */
const rank: Record<TenantRole, number> = { admin: 3, project_manager: 2, partner: 1, client: 0 };

export async function getNotificationPreferences({
  ctx,
}: {
  ctx: PersonCtx;
}): Promise<{ preferences: NotificationPreference[] }> {
  const roles = (await rolesOf(ctx)).sort((a, b) => rank[b] - rank[a]);
  const kinds = new Set<NotificationKind>();
  for (const r of roles) for (const k of kindsForRole[r]) kinds.add(k);
  const { results } = await ctx.db
    .prepare("SELECT kind, channel FROM notification_preferences WHERE user_id = ?")
    .bind(ctx.identity.id)
    .all<{ kind: string; channel: NotificationChannel }>();
  const chosen = new Map(results.map((r) => [r.kind, r.channel]));
  const main = roles[0] ?? "client";
  return {
    preferences: notificationKinds
      .filter((k) => kinds.has(k))
      .map((kind) => {
        const def = defaultChannel(main, kind);
        return { kind, channel: chosen.get(kind) ?? def, default: def };
      }),
  };
}

const preferencesInput = z.strictObject({
  preferences: z
    .array(z.strictObject({ kind: z.enum(notificationKinds), channel: z.enum(notificationChannels) }))
    .min(1)
    .max(notificationKinds.length),
});

export async function setNotificationPreferences({
  ctx,
  input,
}: {
  ctx: PersonCtx;
  input: unknown;
}): Promise<{ preferences: NotificationPreference[] }> {
  const { preferences } = parse(preferencesInput, input, "notification preferences");
  const now = ctx.now().toISOString();
  await ctx.db.batch(
    preferences.map((p) =>
      ctx.db
        .prepare(
          `INSERT INTO notification_preferences (user_id, kind, channel, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel, updated_at = excluded.updated_at`,
        )
        .bind(ctx.identity.id, p.kind, p.channel, now),
    ),
  );
  return getNotificationPreferences({ ctx });
}

/** The unsubscribe token of an e-mail about `kind`, for its recipient. */
export async function unsubscribeToken(
  secret: string,
  claims: { userId: number; kind: NotificationKind; tenantId: string; now: Date },
): Promise<string> {
  return signToken(secret, {
    kind: "unsub",
    tenantId: claims.tenantId,
    userId: claims.userId,
    notification: claims.kind,
    exp: Math.floor(claims.now.getTime() / 1000) + UNSUBSCRIBE_TTL_SECONDS,
  });
}

const unsubscribeInput = z.strictObject({ token: z.string().min(10).max(2048) });

/** Whose e-mails of which kind an unsubscribe link is about: its signature, expiry and claims checked. */
async function openUnsubscribeLink(
  secret: string,
  input: unknown,
  now: Date,
): Promise<{ userId: number; kind: NotificationKind }> {
  const { token } = parse(unsubscribeInput, input, "unsubscribe link");
  const claims = await verifyToken(secret, "unsub", token, now);
  const kind = notificationKinds.find((k) => k === claims.notification);
  if (!kind || !Number.isInteger(claims.userId))
    throw new DomainError("FORBIDDEN", "This link is not valid.");
  return { userId: claims.userId, kind };
}

/** What an unsubscribe link is about, before the person confirms it (nothing changes). */
export async function describeUnsubscribe({
  db,
  secret,
  input,
  now,
}: {
  db: D1Database;
  secret: string;
  input: unknown;
  now: Date;
}): Promise<{ kind: NotificationKind; channel: NotificationChannel }> {
  const { userId, kind } = await openUnsubscribeLink(secret, input, now);
  const row = await db
    .prepare("SELECT channel FROM notification_preferences WHERE user_id = ? AND kind = ?")
    .bind(userId, kind)
    .first<{ channel: NotificationChannel }>();
  return { kind, channel: row?.channel ?? "instant" };
}

/**
 * Follows an unsubscribe link: that person's e-mails of that kind stop (the kind stays in the app, unless it
 * was already off), and the e-mails of that kind still waiting for the cron are dropped.
 */
export async function unsubscribe({
  db,
  secret,
  input,
  now,
}: {
  db: D1Database;
  secret: string;
  input: unknown;
  now: Date;
}): Promise<{ kind: NotificationKind; channel: NotificationChannel }> {
  const { userId, kind } = await openUnsubscribeLink(secret, input, now);
  const at = now.toISOString();
  await db.batch([
    db
      .prepare(
        `INSERT INTO notification_preferences (user_id, kind, channel, updated_at) VALUES (?, ?, 'app', ?)
         ON CONFLICT (user_id, kind) DO UPDATE SET channel = CASE channel WHEN 'off' THEN 'off' ELSE 'app' END,
           updated_at = excluded.updated_at`,
      )
      .bind(userId, kind, at),
    db
      .prepare(
        "UPDATE notifications SET email_status = 'skipped' WHERE recipient_id = ? AND kind = ? AND email_status = 'pending'",
      )
      .bind(userId, kind),
  ]);
  const row = await db
    .prepare("SELECT channel FROM notification_preferences WHERE user_id = ? AND kind = ?")
    .bind(userId, kind)
    .first<{ channel: NotificationChannel }>();
  return { kind, channel: row?.channel ?? "app" };
}

/** The agency's digest interval in minutes. */
export async function digestMinutes(db: D1Database): Promise<number> {
  const row = await db
    .prepare("SELECT digest_minutes FROM agency_settings WHERE id = 1")
    .first<{ digest_minutes: number }>();
  return row?.digest_minutes ?? DEFAULT_DIGEST_MINUTES;
}

const digestInput = z.strictObject({ digest_minutes: z.coerce.number().int().min(5).max(1440) });

export async function getNotificationSettings({ ctx }: { ctx: PersonCtx }) {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only the agency's admins change the agency's settings.");
  return { digest_minutes: await digestMinutes(ctx.db) };
}

/** The agency's digest interval (admins): how long a project's events gather before their e-mail leaves. */
export async function setDigestMinutes({ ctx, input }: { ctx: PersonCtx; input: unknown }) {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only the agency's admins change the agency's settings.");
  const { digest_minutes } = parse(digestInput, input, "notification settings");
  const at = ctx.now().toISOString();
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO agency_settings (id, digest_minutes, updated_by, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET digest_minutes = excluded.digest_minutes, updated_by = excluded.updated_by,
         updated_at = excluded.updated_at`,
      )
      .bind(digest_minutes, ctx.identity.id, at),
    // the change and its audit row together, in the agency's workspace (like the sign-in policy's)
    accountAuditRow(ctx.db, {
      action: "agency.notifications",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "agency_settings",
      entityId: "1",
      data: { digest_minutes },
      at,
    }),
  ]);
  return { digest_minutes };
}
