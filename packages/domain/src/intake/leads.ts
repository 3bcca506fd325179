/**
 * Staff's side of an intake, from the lead in the CRM: read the lead with its intake, analysis and proposal;
 * edit and send the proposal; accept or reject the lead (rejecting archives the tenant: its subdomain stops
 * resolving). Scope: the lead must be in a workspace the caller manages (crm/scope.ts), like every CRM read.
 */
import { z } from "zod";
import { assertCrm, type CrmCtx, managedTenants } from "../crm/scope.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { mailSubject, queueMail } from "../mail/index.ts";
import { type ProposalStatus, proposalStatuses } from "../vocabulary/intake.ts";
import { type ProposalContent, proposalContent, totalOf } from "./proposal-draft.ts";
import { portalOrigin } from "./provision.ts";
import type { Analysis } from "./schema.ts";

export { type ProposalStatus, proposalStatuses };

export type Proposal = ProposalContent & {
  id: string;
  tenant_id: string;
  project_id: string;
  status: ProposalStatus;
  locale: "fr" | "en";
  currency: string;
  total_cents: number;
  client_note: string | null;
  version: number;
  sent_at: string | null;
  responded_at: string | null;
  updated_at: string;
};

type ProposalRow = Omit<Proposal, "items" | "assumptions"> & { items: string; assumptions: string };

export const PROPOSAL_COLUMNS =
  "id, tenant_id, project_id, status, locale, currency, title, summary, items, assumptions, total_cents, valid_until, client_note, version, sent_at, responded_at, updated_at";

export function proposalFromRow(row: ProposalRow): Proposal {
  return {
    ...row,
    items: JSON.parse(row.items) as Proposal["items"],
    assumptions: JSON.parse(row.assumptions) as string[],
  };
}

type LeadRow = {
  id: string;
  tenant_id: string;
  title: string;
  contact_name: string | null;
  email: string | null;
  stage: string;
  value_cents: number | null;
  created_at: string;
  intake_id: string;
  project_tenant_id: string;
  locale: "fr" | "en";
  intake_email: string;
  answers: string;
  analysis: string;
  analyser: string;
  analyser_note: string | null;
  pm_user_id: number | null;
  decided_at: string | null;
  tenant_name: string;
  subdomain: string;
  tenant_status: string;
  tenant_stage: string;
};

const idInput = z.strictObject({ id: z.string().trim().min(1).max(64) });

/** The lead (in a workspace the caller manages) and its intake, or 404. */
async function loadLead(ctx: CrmCtx, id: string): Promise<LeadRow> {
  await assertCrm(ctx);
  const scope = managedTenants(ctx.identity);
  const row = await ctx.db
    .prepare(
      `SELECT l.id, l.tenant_id, l.title, l.contact_name, l.email, l.stage, l.value_cents, l.created_at,
         i.id AS intake_id, i.project_tenant_id, i.locale, i.email AS intake_email, i.answers, i.analysis,
         i.analyser, i.analyser_note, i.pm_user_id, i.decided_at,
         t.name AS tenant_name, t.subdomain, t.status AS tenant_status, t.stage AS tenant_stage
       FROM leads l
       JOIN intakes i ON i.tenant_id = l.tenant_id AND i.lead_id = l.id
       JOIN tenants t ON t.id = i.project_tenant_id
       WHERE l.id = ? AND l.tenant_id IN (${scope.sql})`,
    )
    .bind(id, ...scope.binds)
    .first<LeadRow>();
  if (!row) throw new DomainError("NOT_FOUND", "No such lead.");
  return row;
}

async function loadProposal(db: D1Database, tenantId: string): Promise<Proposal | null> {
  const row = await db
    .prepare(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE tenant_id = ? ORDER BY created_at LIMIT 1`)
    .bind(tenantId)
    .first<ProposalRow>();
  return row ? proposalFromRow(row) : null;
}

/** The lead page: lead, answers, analysis (and who produced it), tenant, project manager, proposal. */
export async function getIntakeLead({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  const parsed = idInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid lead");
  const row = await loadLead(ctx, parsed.data.id);
  const [pm, invitation, proposal] = await Promise.all([
    row.pm_user_id === null
      ? Promise.resolve(null)
      : ctx.db
          .prepare("SELECT id, name, email FROM users WHERE id = ?")
          .bind(row.pm_user_id)
          .first<{ id: number; name: string | null; email: string }>(),
    ctx.db
      .prepare(
        "SELECT accepted_at, expires_at FROM invitations WHERE tenant_id = ? AND role = 'client' ORDER BY created_at LIMIT 1",
      )
      .bind(row.project_tenant_id)
      .first<{ accepted_at: string | null; expires_at: string }>(),
    loadProposal(ctx.db, row.project_tenant_id),
  ]);
  return {
    lead: {
      id: row.id,
      title: row.title,
      contact_name: row.contact_name,
      email: row.email,
      stage: row.stage,
      value_cents: row.value_cents,
      created_at: row.created_at,
    },
    intake: {
      id: row.intake_id,
      locale: row.locale,
      answers: JSON.parse(row.answers) as Record<string, unknown>,
      analysis: JSON.parse(row.analysis) as Analysis,
      analyser: row.analyser,
      analyser_note: row.analyser_note,
      decided_at: row.decided_at,
    },
    tenant: {
      id: row.project_tenant_id,
      name: row.tenant_name,
      subdomain: row.subdomain,
      status: row.tenant_status,
      stage: row.tenant_stage,
    },
    projectManager: pm,
    invitation: invitation
      ? { accepted: invitation.accepted_at !== null, expires_at: invitation.expires_at }
      : null,
    proposal,
  };
}

/** The analysis recorded for a lead, or null when the lead did not come from the intake (MCP get_lead). */
export async function leadAnalysis(ctx: Ctx, leadId: string) {
  const row = await ctx.db
    .prepare("SELECT analysis, analyser, analyser_note FROM intakes WHERE tenant_id = ? AND lead_id = ?")
    .bind(ctx.tenant.id, leadId)
    .first<{ analysis: string; analyser: string; analyser_note: string | null }>();
  if (!row) return null;
  return {
    ...(JSON.parse(row.analysis) as Analysis),
    analyser: row.analyser,
    analyser_note: row.analyser_note,
  };
}

const staffAudit = (
  ctx: CrmCtx,
  tenantId: string,
  action: string,
  entity: string,
  id: string,
  data: unknown,
) =>
  ctx.db
    .prepare(
      "INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at) VALUES (?, ?, 'user', ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      newId(),
      tenantId,
      String(ctx.identity.id),
      action,
      entity,
      id,
      JSON.stringify(data),
      nowIso(ctx.now()),
    );

const versioned = z.strictObject({ version: z.number().int().min(1) });

export const updateProposalInput = proposalContent.extend(versioned.shape);

/** Staff edit a draft (or a proposal the client sent back). The total is recomputed; the version moves on. */
export async function updateProposal({ ctx, input }: { ctx: CrmCtx; input: { id: string; body: unknown } }) {
  const row = await loadLead(ctx, String(input.id ?? ""));
  const parsed = updateProposalInput.safeParse(input.body ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid proposal");
  const { version, ...content } = parsed.data;
  const proposal = await loadProposal(ctx.db, row.project_tenant_id);
  if (!proposal) throw new DomainError("NOT_FOUND", "This lead has no proposal.");
  if (proposal.status === "accepted" || proposal.status === "sent") {
    throw new DomainError(
      "CONFLICT",
      proposal.status === "accepted"
        ? "The client has accepted this proposal: it can no longer change."
        : "This proposal has been sent: wait for the client's answer before editing it.",
    );
  }
  const at = nowIso(ctx.now());
  const [res] = await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE proposals SET title = ?, summary = ?, items = ?, assumptions = ?, total_cents = ?, valid_until = ?,
           status = 'draft', version = version + 1, updated_at = ?
         WHERE tenant_id = ? AND id = ? AND version = ? AND status IN ('draft', 'changes_requested')`,
      )
      .bind(
        content.title,
        content.summary ?? null,
        JSON.stringify(content.items),
        JSON.stringify(content.assumptions),
        totalOf(content.items),
        content.valid_until,
        at,
        row.project_tenant_id,
        proposal.id,
        version,
      ),
    staffAudit(ctx, row.project_tenant_id, "proposal.update", "proposals", proposal.id, {
      total_cents: totalOf(content.items),
      lines: content.items.length,
    }),
  ]);
  if (res?.meta.changes !== 1) {
    throw new DomainError("CONFLICT", "Someone else changed this proposal meanwhile. Reload it.");
  }
  return loadProposal(ctx.db, row.project_tenant_id);
}

/** Staff send the proposal: the client sees it in the portal and gets an email. */
export async function sendProposal({
  ctx,
  input,
  siteOrigin,
}: {
  ctx: CrmCtx;
  input: { id: string; body: unknown };
  siteOrigin: string;
}) {
  const row = await loadLead(ctx, String(input.id ?? ""));
  const parsed = versioned.safeParse(input.body ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid proposal");
  if (row.tenant_status !== "active") throw new DomainError("CONFLICT", "This lead was rejected.");
  const proposal = await loadProposal(ctx.db, row.project_tenant_id);
  if (!proposal) throw new DomainError("NOT_FOUND", "This lead has no proposal.");
  if (proposal.status !== "draft") {
    throw new DomainError("CONFLICT", "Only a draft can be sent (edit the proposal first).");
  }
  const at = nowIso(ctx.now());
  const fr = proposal.locale === "fr";
  const link = `${portalOrigin(siteOrigin, row.subdomain)}/${fr ? "" : "en/"}proposal`;
  // Claim the send first (one conditional update: of two concurrent sends, one wins), then the rest in one
  // batch; if that batch fails, the claim is released, so nothing of the send stays written.
  const claim = await ctx.db
    .prepare(
      `UPDATE proposals SET status = 'sent', sent_at = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ? AND version = ? AND status = 'draft'`,
    )
    .bind(at, at, row.project_tenant_id, proposal.id, parsed.data.version)
    .run();
  if (claim.meta.changes !== 1) {
    throw new DomainError("CONFLICT", "Someone else changed this proposal meanwhile. Reload it.");
  }
  try {
    await ctx.db.batch([
      ctx.db
        .prepare(
          "UPDATE leads SET stage = 'proposal', updated_at = ? WHERE tenant_id = ? AND id = ? AND stage IN ('new', 'qualified')",
        )
        .bind(at, row.tenant_id, row.id),
      staffAudit(ctx, row.project_tenant_id, "proposal.send", "proposals", proposal.id, {
        version: proposal.version,
      }),
      queueMail(ctx.db, {
        tenantId: row.project_tenant_id,
        to: row.intake_email,
        subject: mailSubject(
          fr ? `Notre proposition pour ${row.tenant_name}` : `Our proposal for ${row.tenant_name}`,
        ),
        text: fr
          ? `Bonjour,\n\nNotre proposition est prête. Vous pouvez la lire, l'accepter ou demander des changements dans votre espace projet :\n${link}\n\nFataplus`
          : `Hello,\n\nOur proposal is ready. Read it, accept it or ask for changes in your project space:\n${link}\n\nFataplus`,
        kind: "proposal.sent",
      }),
    ]);
  } catch (err) {
    await ctx.db
      .prepare(
        "UPDATE proposals SET status = 'draft', sent_at = NULL WHERE tenant_id = ? AND id = ? AND sent_at = ?",
      )
      .bind(row.project_tenant_id, proposal.id, at)
      .run();
    throw err;
  }
  return loadProposal(ctx.db, row.project_tenant_id);
}

export const decideLeadInput = z.strictObject({ decision: z.enum(["accept", "reject"]) });

/**
 * Staff accept the lead (it is won; the tenant leaves the intake stage) or reject it (lost; the tenant is
 * archived, so its subdomain stops resolving, and its pending invitations expire). Decided once.
 */
export async function decideLead({ ctx, input }: { ctx: CrmCtx; input: { id: string; body: unknown } }) {
  const row = await loadLead(ctx, String(input.id ?? ""));
  const parsed = decideLeadInput.safeParse(input.body ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid decision");
  if (row.decided_at) throw new DomainError("CONFLICT", "This lead has already been decided.");
  const at = nowIso(ctx.now());
  const accept = parsed.data.decision === "accept";
  const mine = "EXISTS (SELECT 1 FROM intakes WHERE tenant_id = ? AND id = ? AND decided_at = ?)";
  const mineBinds = [row.tenant_id, row.intake_id, at];
  const results = await ctx.db.batch([
    ctx.db
      .prepare("UPDATE intakes SET decided_at = ? WHERE tenant_id = ? AND id = ? AND decided_at IS NULL")
      .bind(at, row.tenant_id, row.intake_id),
    // every other write only happens if the statement above made this decision (same transaction)
    ctx.db
      .prepare(`UPDATE leads SET stage = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND ${mine}`)
      .bind(accept ? "won" : "lost", at, row.tenant_id, row.id, ...mineBinds),
    accept
      ? ctx.db
          .prepare(`UPDATE tenants SET stage = 'live' WHERE id = ? AND ${mine}`)
          .bind(row.project_tenant_id, ...mineBinds)
      : ctx.db
          .prepare(`UPDATE tenants SET status = 'archived' WHERE id = ? AND ${mine}`)
          .bind(row.project_tenant_id, ...mineBinds),
    ctx.db
      .prepare(
        `UPDATE invitations SET expires_at = ? WHERE tenant_id = ? AND accepted_at IS NULL AND ? = 0 AND ${mine}`,
      )
      .bind(at, row.project_tenant_id, accept ? 1 : 0, ...mineBinds),
    staffAudit(ctx, row.tenant_id, accept ? "lead.accept" : "lead.reject", "leads", row.id, {
      tenant: row.project_tenant_id,
    }),
  ]);
  if (results[0]?.meta.changes !== 1)
    throw new DomainError("CONFLICT", "This lead has already been decided.");
  return getIntakeLead({ ctx, input: { id: row.id } });
}
