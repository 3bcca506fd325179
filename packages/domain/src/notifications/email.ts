/**
 * Notification e-mails, from the cron (docs/decisions/027-notifications.md). Each pass reads the pending rows
 * (oldest first, one page) and, per recipient, decides again with what is true now:
 *  - read in the app already, turned off or moved to "app only" since, or no longer able to open the project:
 *    skipped, no e-mail;
 *  - "instant": one e-mail per notification;
 *  - "digest": one e-mail per recipient and project once its oldest pending event is `digest_minutes` old
 *    (15 unless the agency changes it), so a project's burst of events is one e-mail, at most one per interval;
 *  - "daily": one summary per recipient, once their own clock passes 08:00, for what came before it.
 * Each e-mail is queued in the outbox (mail/outbox.ts) in the same batch that marks its rows sent, and only if
 * that batch claimed some of them (two passes at once can't both mail the same rows). Times are in the
 * recipient's zone and words in their language; every e-mail links to the place itself and carries, per kind,
 * a signed link that stops that kind's e-mails without signing in.
 */
import { portalOrigin } from "../intake/subdomains.ts";
import { dayInZone, formatInZone, timeZonesOf, zoneOffsetMinutes } from "../kernel/time.ts";
import { mailSubject, queueMail } from "../mail/outbox.ts";
import {
  type NotificationKind,
  notificationKindLabel,
  notificationKinds,
  notificationPath,
  notificationSentence,
} from "../vocabulary/notifications.ts";
import { digestMinutes, unsubscribeToken } from "./preferences.ts";

/** Pending rows read per pass (oldest first); the next pass takes the rest. */
export const EMAIL_PAGE = 300;
/** The daily summary's local hour. */
export const DAILY_HOUR = 8;

type PendingRow = {
  id: string;
  tenant_id: string;
  subdomain: string;
  tenant_name: string;
  tenant_status: string;
  recipient_id: number;
  email: string;
  locale: "fr" | "en";
  user_status: string;
  agency_role: string;
  member_role: string | null;
  kind: string;
  variant: string | null;
  object_type: string;
  object_id: string;
  title: string;
  excerpt: string | null;
  actor_name: string | null;
  created_at: string;
  read_at: string | null;
  channel: string;
};

export type EmailPassReport = { mailed: number; skipped: number; waiting: number };

const isKind = (k: string): k is NotificationKind => (notificationKinds as readonly string[]).includes(k);

/** The link of a notification for this recipient: the CRM for the agency's people, the portal for others. */
function linkFor(row: PendingRow, siteUrl: string): string {
  const agency =
    row.agency_role === "admin" ||
    row.agency_role === "staff" ||
    row.member_role === "project_manager" ||
    row.member_role === "admin";
  const surface = agency ? "crm" : "portal";
  const path = notificationPath({ ...row, tenant_subdomain: row.subdomain }, surface);
  const siteWide = surface === "crm" || row.object_type === "enrolment" || row.object_type === "submission";
  const origin = siteWide ? new URL(siteUrl).origin : portalOrigin(siteUrl, row.subdomain);
  return `${origin}${path}`;
}

function unsubscribePage(siteUrl: string, locale: "fr" | "en", token: string): string {
  const origin = new URL(siteUrl).origin;
  const path = locale === "en" ? "/en/notifications/unsubscribe" : "/notifications/desabonnement";
  return `${origin}${path}?token=${encodeURIComponent(token)}`;
}

/** Is the daily summary due for someone whose oldest pending daily row is `oldest`, at `now` in `zone`? */
export function dailyDue(oldest: string, now: Date, zone: string): boolean {
  const today = dayInZone(now, zone);
  const offset = zoneOffsetMinutes(now, zone);
  const localHour = Math.floor(((((now.getTime() / 60_000 + offset) % 1440) + 1440) % 1440) / 60);
  if (localHour < DAILY_HOUR) return false;
  // today's 08:00 in that zone, as an instant
  const eight = Date.parse(`${today}T${String(DAILY_HOUR).padStart(2, "0")}:00:00Z`) - offset * 60_000;
  return Date.parse(oldest) < eight;
}

async function buildMail(
  rows: PendingRow[],
  opts: { siteUrl: string; secret: string; zone: string; now: Date; digest: boolean },
) {
  const first = rows[0];
  if (!first) return null;
  const fr = first.locale !== "en";
  const locale = fr ? "fr" : "en";
  const projects = [...new Set(rows.map((r) => r.tenant_name))];
  const subject =
    rows.length === 1 && !opts.digest
      ? mailSubject(`${first.tenant_name} · ${notificationSentence(first, locale)}`)
      : mailSubject(
          fr
            ? `${projects.length === 1 ? projects[0] : "Fataplus"} : ${rows.length} nouveauté${rows.length > 1 ? "s" : ""}`
            : `${projects.length === 1 ? projects[0] : "Fataplus"}: ${rows.length} update${rows.length > 1 ? "s" : ""}`,
        );
  const lines: string[] = [];
  let tenant = "";
  for (const r of rows) {
    if (r.tenant_name !== tenant) {
      tenant = r.tenant_name;
      lines.push("", `— ${tenant} —`);
    }
    const when = formatInZone(r.created_at, { locale, timeZone: opts.zone });
    lines.push(`• ${notificationSentence(r, locale)} (${when})`);
    if (r.excerpt) lines.push(`  « ${r.excerpt} »`);
    lines.push(`  ${linkFor(r, opts.siteUrl)}`);
  }
  const kinds = [...new Set(rows.map((r) => r.kind))].filter(isKind);
  const unsub: string[] = [];
  for (const k of kinds) {
    const token = await unsubscribeToken(opts.secret, {
      userId: first.recipient_id,
      kind: k,
      tenantId: first.tenant_id,
      now: opts.now,
    });
    unsub.push(
      `${fr ? "Ne plus recevoir par e-mail" : "Stop e-mails about"} « ${notificationKindLabel(k, locale)} » : ${unsubscribePage(opts.siteUrl, locale, token)}`,
    );
  }
  const intro = fr
    ? opts.digest
      ? "Voici ce qui s’est passé sur vos projets :"
      : "Du nouveau sur votre projet :"
    : opts.digest
      ? "Here is what happened on your projects:"
      : "News from your project:";
  const outro = fr
    ? "Pour répondre, ouvrez le lien : les réponses à cet e-mail ne sont pas lues."
    : "To answer, follow the link: replies to this e-mail are not read.";
  const text = [intro, ...lines, "", outro, "", ...unsub, ""].join("\n").slice(0, 19_000);
  return {
    tenantId: projects.length === 1 ? first.tenant_id : null,
    to: first.email,
    subject,
    text,
    kind: opts.digest ? "notification.digest" : `notification.${first.kind}`,
  };
}

/**
 * One pass of notification e-mail: what is due is queued in the outbox (the mail job then delivers it).
 * `now` is the cron's clock (a test hook may move it).
 */
export async function sendNotificationEmails({
  db,
  now,
  siteUrl,
  secret,
}: {
  db: D1Database;
  now: Date;
  siteUrl: string;
  secret: string;
}): Promise<EmailPassReport> {
  const { results } = await db
    .prepare(
      `SELECT n.id, n.tenant_id, t.subdomain, t.name AS tenant_name, t.status AS tenant_status, n.recipient_id,
              u.email, u.locale, u.status AS user_status, u.role AS agency_role, m.role AS member_role,
              n.kind, n.variant, n.object_type, n.object_id, n.title, n.excerpt, n.actor_name, n.created_at,
              n.read_at, coalesce(p.channel, n.channel) AS channel
       FROM notifications n
       JOIN users u ON u.id = n.recipient_id
       JOIN tenants t ON t.id = n.tenant_id
       LEFT JOIN memberships m ON m.tenant_id = n.tenant_id AND m.user_id = n.recipient_id
       LEFT JOIN notification_preferences p ON p.user_id = n.recipient_id AND p.kind = n.kind
       WHERE n.email_status = 'pending'
       ORDER BY n.created_at LIMIT ?`,
    )
    .bind(EMAIL_PAGE)
    .all<PendingRow>();
  const report: EmailPassReport = { mailed: 0, skipped: 0, waiting: 0 };
  if (results.length === 0) return report;

  const skip: string[] = [];
  const groups = new Map<string, { rows: PendingRow[]; channel: string }>();
  for (const r of results) {
    const canOpen =
      r.tenant_status === "active" &&
      (r.member_role !== null || r.agency_role === "admin" || r.agency_role === "staff");
    if (
      r.read_at !== null ||
      r.user_status !== "active" ||
      !canOpen ||
      !["instant", "digest", "daily"].includes(r.channel)
    ) {
      skip.push(r.id);
      continue;
    }
    const key =
      r.channel === "instant"
        ? `i:${r.id}`
        : r.channel === "digest"
          ? `d:${r.recipient_id}:${r.tenant_id}`
          : `s:${r.recipient_id}`;
    const g = groups.get(key) ?? { rows: [], channel: r.channel };
    g.rows.push(r);
    groups.set(key, g);
  }

  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < skip.length; i += 90) {
    const ids = skip.slice(i, i + 90);
    statements.push(
      db
        .prepare(
          `UPDATE notifications SET email_status = 'skipped' WHERE email_status = 'pending' AND id IN (${ids.map(() => "?").join(", ")})`,
        )
        .bind(...ids),
    );
  }
  report.skipped = skip.length;
  if (statements.length) await db.batch(statements);

  const interval = (await digestMinutes(db)) * 60_000;
  const zones = await timeZonesOf(db, [...new Set(results.map((r) => r.recipient_id))]);
  for (const g of groups.values()) {
    const first = g.rows[0];
    if (!first) continue;
    const zone = zones.get(first.recipient_id) ?? "Indian/Antananarivo";
    const oldest = first.created_at;
    const due =
      g.channel === "instant" ||
      (g.channel === "digest" && Date.parse(oldest) <= now.getTime() - interval) ||
      (g.channel === "daily" && dailyDue(oldest, now, zone));
    if (!due) {
      report.waiting += g.rows.length;
      continue;
    }
    const rows = g.rows.slice(0, 90);
    const mail = await buildMail(rows, { siteUrl, secret, zone, now, digest: g.channel !== "instant" });
    if (!mail) continue;
    const at = now.toISOString();
    await db.batch([
      db
        .prepare(
          `UPDATE notifications SET email_status = 'sent', emailed_at = ? WHERE email_status = 'pending' AND read_at IS NULL
           AND id IN (${rows.map(() => "?").join(", ")})`,
        )
        .bind(at, ...rows.map((r) => r.id)),
      queueMail(db, mail, now, { sql: "changes() > 0" }),
    ]);
    report.mailed++;
  }
  return report;
}
