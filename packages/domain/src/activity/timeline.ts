/**
 * The timeline of a client or a lead (decision 030): its own audit rows (its creation, by the intake or by
 * hand, its stage changes and edits), its notes, and, for a lead that came through the intake, its proposal's
 * life (sent, accepted, changes asked) and the e-mails the platform sent it. Newest first, a page at a time
 * (`before`: the page's last instant). Each source is its own statement on an index that leads with its
 * tenant and stops at the page, so a page reads the page (and a name lookup per row), whatever else the tenant
 * holds; the lines read as sentences like the project's activity.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { can } from "../kernel/roles.ts";
import type { ActivityRow } from "../vocabulary/activity.ts";
import { activityColumns } from "./sql.ts";

export const TIMELINE_PAGE = 20;

export const timelineInput = z.strictObject({
  subject: z.enum(["clients", "leads"]),
  id: z.string().trim().min(1).max(64),
  /** The instant the previous page ended at (its last line's), ISO. */
  before: z.iso.datetime().optional(),
});

export type RecordTimeline = { rows: ActivityRow[]; next: string | null };

const FAR_FUTURE = "9999-12-31T23:59:59.999Z";

export async function listTimeline({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RecordTimeline> {
  const { subject, id, before } = parse(timelineInput, input ?? {}, "timeline");
  if (!can(ctx.role, subject, "read") || !can(ctx.role, "notes", "read")) {
    throw new DomainError("FORBIDDEN", "Only the project's managers see its clients' and leads' history.");
  }
  const t = ctx.tenant.id;
  const record = await ctx.db
    .prepare(
      subject === "leads"
        ? `SELECT l.email AS email, i.email AS intake_email, i.project_tenant_id AS project_tenant_id
           FROM leads l LEFT JOIN intakes i ON i.tenant_id = l.tenant_id AND i.lead_id = l.id
           WHERE l.tenant_id = ? AND l.id = ?`
        : "SELECT email, NULL AS intake_email, NULL AS project_tenant_id FROM clients WHERE tenant_id = ? AND id = ?",
    )
    .bind(t, id)
    .first<{ email: string | null; intake_email: string | null; project_tenant_id: string | null }>();
  if (!record) throw new DomainError("NOT_FOUND", subject === "leads" ? "No such lead." : "No such client.");

  const until = before ?? FAR_FUTURE;
  const take = TIMELINE_PAGE + 1;
  const columns = activityColumns({ emails: true });
  // The project the intake made for this lead (its proposal, its mail): read by the agency's own people only,
  // who see every project (decision 004); a project manager of this workspace alone does not see into it.
  const agency = ctx.actor.type !== "system" && ["admin", "staff"].includes(ctx.actor.agencyRole);
  const project = agency ? record.project_tenant_id : null;
  const address = record.intake_email ?? record.email;
  const noteColumn = subject === "leads" ? "lead_id" : "client_id";
  const statements = [
    ctx.db
      .prepare(
        `SELECT ${columns} FROM audit_log a
         WHERE a.tenant_id = ? AND a.entity = ? AND a.entity_id = ? AND a.created_at < ?
         ORDER BY a.created_at DESC LIMIT ?`,
      )
      .bind(t, subject, id, until, take),
    // a note, written by whoever its creation's audit row names
    ctx.db
      .prepare(
        `SELECT n.id, coalesce(w.actor_type, 'system') AS actor_type, 'note.add' AS action, 'notes' AS entity,
           n.id AS entity_id, NULL AS data, n.created_at,
           CASE w.actor_type
             WHEN 'user' THEN (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = CAST(w.actor_id AS INTEGER))
             WHEN 'token' THEN (SELECT k.name FROM access_tokens k WHERE k.id = w.actor_id)
           END AS actor_name,
           substr(n.body, 1, 120) AS object_name
         FROM notes n
         LEFT JOIN audit_log w ON w.id = (SELECT x.id FROM audit_log x
           WHERE x.tenant_id = n.tenant_id AND x.entity = 'notes' AND x.entity_id = n.id
           ORDER BY x.created_at LIMIT 1)
         WHERE n.tenant_id = ? AND n.${noteColumn} = ? AND n.created_at < ?
         ORDER BY n.created_at DESC LIMIT ?`,
      )
      .bind(t, id, until, take),
  ];
  if (project) {
    statements.push(
      ctx.db
        .prepare(
          `SELECT ${columns} FROM audit_log a
           WHERE a.tenant_id = ? AND a.entity = 'proposals' AND a.created_at < ?
           ORDER BY a.created_at DESC LIMIT ?`,
        )
        .bind(project, until, take),
    );
  }
  if (address) {
    // e-mails to its address about this workspace or its project (the outbox is global: about_tenant_id
    // says which project a mail concerns); the subject is what the line shows
    const mail = (about: string) =>
      ctx.db
        .prepare(
          `SELECT o.id, 'system' AS actor_type, 'email.sent' AS action, 'email_outbox' AS entity, o.id AS entity_id,
             NULL AS data, o.created_at, NULL AS actor_name, o.subject AS object_name
           FROM email_outbox o
           WHERE o.about_tenant_id = ? AND o.to_address = ? AND o.created_at < ?
           ORDER BY o.created_at DESC LIMIT ?`,
        )
        .bind(about, address, until, take);
    statements.push(mail(t));
    if (project) statements.push(mail(project));
  }
  const results = await ctx.db.batch<ActivityRow>(statements);
  const merged = results
    .flatMap((r) => r.results)
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  const rows = merged.slice(0, TIMELINE_PAGE);
  const more = merged.length > TIMELINE_PAGE;
  return { rows, next: more ? (rows[rows.length - 1]?.created_at ?? null) : null };
}
