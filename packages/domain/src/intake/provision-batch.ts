/**
 * The statements of one intake's provisioning (internal), run by ./provision.ts in ONE D1 batch: the project
 * tenant and what it holds, the lead and the intake in the agency workspace (here), and the submitter's
 * account, membership, invitation and e-mail (./provision-submitter.ts). Their order matters (a row is written
 * before the statements that read it).
 */
import { auditRow } from "../kernel/audit.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { normalizePhone } from "../records/phone.ts";
import type { AnalysisOutcome } from "./analyser.ts";
import { PROFILES } from "./builtin.ts";
import { draftFromAnalysis, totalOf } from "./proposal-draft.ts";
import type { Intake } from "./schema.ts";
import { storagePrefix } from "./subdomains.ts";

export type Provisioning = {
  db: D1Database;
  intake: Intake;
  outcome: AnalysisOutcome;
  /** The intake's payload hash (for replays of its idempotency key). */
  hash: string;
  agencyId: string;
  tenantId: string;
  subdomain: string;
  siteOrigin: string;
  /** The address already has an account (not an unclaimed `invited` one). */
  existingAccount: boolean;
  now: Date;
};

export type Ids = {
  lead: string;
  intake: string;
  client: string;
  /** The submitter as a contact of the project tenant's client. */
  contact: string;
  /** The organisation and its contact in the agency workspace, which the lead links to. */
  agencyClient: string;
  agencyContact: string;
  project: string;
  proposal: string;
  invitation: string;
};

/** Rows written by the system (the submitter is anonymous), in any tenant. */
export function systemAudit(
  p: Provisioning,
  tenantId: string,
  action: string,
  entity: string,
  id: string,
  data: unknown,
) {
  return auditRow(p.db, {
    tenantId,
    actorType: "system",
    actorId: null,
    action,
    entity,
    entityId: id,
    data,
    at: nowIso(p.now),
  });
}

/**
 * The client organisation and the submitter as its contact (name, e-mail, phone, job title) in `tenantId`:
 * what the lead (agency workspace) and the project (project tenant) link to. A phone the library reads is
 * stored in international format, any other as typed (the intake form only bounds its length).
 */
function clientAndContact(p: Provisioning, tenantId: string, clientId: string, contactId: string) {
  const { db, intake } = p;
  const at = nowIso(p.now);
  const phone = intake.phone ? (normalizePhone(intake.phone) ?? intake.phone.slice(0, 40)) : null;
  return [
    db
      .prepare(
        "INSERT INTO clients (id, tenant_id, kind, name, email, phone, created_at, updated_at) VALUES (?, ?, 'organization', ?, ?, ?, ?, ?)",
      )
      .bind(clientId, tenantId, intake.organisation, intake.email, phone, at, at),
    db
      .prepare(
        `INSERT INTO clients (id, tenant_id, kind, name, email, phone, job_title, organization_id, created_at, updated_at)
         VALUES (?, ?, 'contact', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        contactId,
        tenantId,
        intake.name,
        intake.email,
        phone,
        intake.role?.slice(0, 120) ?? null,
        clientId,
        at,
        at,
      ),
  ];
}

const projectName = ({ intake }: Provisioning) =>
  `${intake.organisation} — ${PROFILES[intake.project_type].label[intake.locale]}`.slice(0, 200);

/** The project tenant (stage `intake`), its client organisation, project, default phases and draft proposal. */
export function projectStatements(p: Provisioning, ids: Ids): D1PreparedStatement[] {
  const { db, intake, tenantId } = p;
  const { analysis } = p.outcome;
  const at = nowIso(p.now);
  const draft = draftFromAnalysis(intake, analysis, p.now);
  return [
    db
      .prepare(
        "INSERT INTO tenants (id, name, subdomain, kind, status, stage, created_at) VALUES (?, ?, ?, 'project', 'active', 'intake', ?)",
      )
      .bind(tenantId, intake.organisation, p.subdomain, at),
    systemAudit(p, tenantId, "tenant.create", "tenants", tenantId, {
      subdomain: p.subdomain,
      source: "intake",
      storage: storagePrefix(tenantId),
    }),
    ...clientAndContact(p, tenantId, ids.client, ids.contact),
    db
      .prepare(
        `INSERT INTO projects (id, tenant_id, client_id, contact_id, name, description, status, phase, estimate_cents,
           currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', 'discovery', ?, 'EUR', ?, ?)`,
      )
      .bind(
        ids.project,
        tenantId,
        ids.client,
        ids.contact,
        projectName(p),
        intake.goals.slice(0, 2000),
        analysis.budget_cents.max,
        at,
        at,
      ),
    ...analysis.phases.map((phase, position) =>
      db
        .prepare(
          "INSERT INTO project_phases (id, tenant_id, project_id, position, phase, name, effort_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(newId(), tenantId, ids.project, position, phase.phase, phase.name, phase.effort_days, at),
    ),
    db
      .prepare(
        `INSERT INTO proposals (id, tenant_id, project_id, status, locale, currency, title, summary, items,
           assumptions, total_cents, valid_until, created_at, updated_at)
         VALUES (?, ?, ?, 'draft', ?, 'EUR', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        ids.proposal,
        tenantId,
        ids.project,
        intake.locale,
        draft.title,
        draft.summary ?? null,
        JSON.stringify(draft.items),
        JSON.stringify(draft.assumptions),
        totalOf(draft.items),
        draft.valid_until,
        at,
        at,
      ),
  ];
}

/** The lead and the intake in the agency workspace, and a project manager picked round-robin among staff. */
export function agencyStatements(p: Provisioning, ids: Ids): D1PreparedStatement[] {
  const { db, intake, agencyId, tenantId, outcome } = p;
  const at = nowIso(p.now);
  return [
    ...clientAndContact(p, agencyId, ids.agencyClient, ids.agencyContact),
    systemAudit(p, agencyId, "clients.create", "clients", ids.agencyClient, {
      source: "intake",
      contact: ids.agencyContact,
    }),
    db
      .prepare(
        `INSERT INTO leads (id, tenant_id, client_id, contact_id, title, contact_name, email, stage, value_cents, source,
           notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, 'intake', ?, ?, ?)`,
      )
      .bind(
        ids.lead,
        agencyId,
        ids.agencyClient,
        ids.agencyContact,
        projectName(p).slice(0, 300),
        intake.name,
        intake.email,
        outcome.analysis.budget_cents.max,
        outcome.analysis.summary.slice(0, 2000),
        at,
        at,
      ),
    db
      .prepare(
        `INSERT INTO intakes (id, tenant_id, lead_id, project_tenant_id, idempotency_key, payload_hash, locale, email,
           answers, analysis, analyser, analyser_note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        ids.intake,
        agencyId,
        ids.lead,
        tenantId,
        intake.idempotency_key,
        p.hash,
        intake.locale,
        intake.email,
        JSON.stringify({ ...intake, website: undefined }),
        JSON.stringify(outcome.analysis),
        outcome.analyser,
        outcome.note,
        at,
      ),
    systemAudit(p, agencyId, "lead.create", "leads", ids.lead, {
      source: "intake",
      tenant: tenantId,
      analyser: outcome.analyser,
      fallback: outcome.note,
    }),
    // Round-robin: the active staff member whose last intake assignment is the oldest (never assigned first).
    db
      .prepare(
        `INSERT INTO memberships (tenant_id, user_id, role, created_at)
         SELECT ?1, u.id, 'project_manager', ?2 FROM users u
         WHERE u.role = 'staff' AND u.status = 'active'
         ORDER BY (SELECT max(i.created_at) FROM intakes i WHERE i.tenant_id = ?3 AND i.pm_user_id = u.id), u.id
         LIMIT 1`,
      )
      .bind(tenantId, at, agencyId),
    db
      .prepare(
        `UPDATE intakes SET pm_user_id =
           (SELECT user_id FROM memberships WHERE tenant_id = ?1 AND role = 'project_manager' LIMIT 1)
         WHERE tenant_id = ?2 AND id = ?3`,
      )
      .bind(tenantId, agencyId, ids.intake),
  ];
}
