/**
 * Staff's actions on an intake's lead: edit the proposal and send it to the client, accept or reject the lead
 * (rejecting archives the tenant: its subdomain stops resolving).
 */
import { z } from "zod";
import { type CrmCtx, crmAudit } from "../crm/scope.ts";
import { auditRow } from "../kernel/audit.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { mailSubject, queueMail } from "../mail/index.ts";
import { type LeadRow, loadLead } from "./lead-scope.ts";
import { getIntakeLead } from "./leads.ts";
import { proposalContent, totalOf } from "./proposal-draft.ts";
import { loadProposal } from "./proposals.ts";
import { portalOrigin } from "./subdomains.ts";

const versioned = z.strictObject({ version: z.number().int().min(1) });

export const updateProposalInput = proposalContent.extend(versioned.shape);

/** Staff edit a draft (or a proposal the client sent back). The total is recomputed; the version moves on. */
export async function updateProposal({ ctx, input }: { ctx: CrmCtx; input: { id: string; body: unknown } }) {
  const row = await loadLead(ctx, String(input.id ?? ""));
  const { version, ...content } = parse(updateProposalInput, input.body ?? {}, "proposal");
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
           deposit_percent = coalesce(?, deposit_percent), status = 'draft', version = version + 1, updated_at = ?
         WHERE tenant_id = ? AND id = ? AND version = ? AND status IN ('draft', 'changes_requested')`,
      )
      .bind(
        content.title,
        content.summary ?? null,
        JSON.stringify(content.items),
        JSON.stringify(content.assumptions),
        totalOf(content.items),
        content.valid_until,
        content.deposit_percent ?? null,
        at,
        row.project_tenant_id,
        proposal.id,
        version,
      ),
    crmAudit(ctx, row.project_tenant_id, {
      action: "proposal.update",
      entity: "proposals",
      entityId: proposal.id,
      data: { total_cents: totalOf(content.items), lines: content.items.length },
    }),
  ]);
  if (res?.meta.changes !== 1) {
    throw new DomainError("CONFLICT", "Someone else changed this proposal meanwhile. Reload it.");
  }
  return loadProposal(ctx.db, row.project_tenant_id);
}

/** The client's e-mail: the proposal is ready, with the link to it in their portal. */
function proposalMail(db: D1Database, row: LeadRow, locale: "fr" | "en", siteOrigin: string) {
  const fr = locale === "fr";
  const link = `${portalOrigin(siteOrigin, row.subdomain)}/${fr ? "" : "en/"}proposal`;
  return queueMail(db, {
    tenantId: row.project_tenant_id,
    to: row.intake_email,
    subject: mailSubject(
      fr ? `Notre proposition pour ${row.tenant_name}` : `Our proposal for ${row.tenant_name}`,
    ),
    text: fr
      ? `Bonjour,\n\nNotre proposition est prête. Vous pouvez la lire, l'accepter ou demander des changements dans votre espace projet :\n${link}\n\nFataplus`
      : `Hello,\n\nOur proposal is ready. Read it, accept it or ask for changes in your project space:\n${link}\n\nFataplus`,
    kind: "proposal.sent",
  });
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
  const { version } = parse(versioned, input.body ?? {}, "proposal");
  if (row.tenant_status !== "active") throw new DomainError("CONFLICT", "This lead was rejected.");
  const proposal = await loadProposal(ctx.db, row.project_tenant_id);
  if (!proposal) throw new DomainError("NOT_FOUND", "This lead has no proposal.");
  if (proposal.status !== "draft") {
    throw new DomainError("CONFLICT", "Only a draft can be sent (edit the proposal first).");
  }
  const at = nowIso(ctx.now());
  // Claim the send first (one conditional update: of two concurrent sends, one wins), then the rest in one
  // batch; if that batch fails, the claim is released, so nothing of the send stays written.
  const claim = await ctx.db
    .prepare(
      `UPDATE proposals SET status = 'sent', sent_at = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ? AND version = ? AND status = 'draft'`,
    )
    .bind(at, at, row.project_tenant_id, proposal.id, version)
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
      // the lead's stage change, in its own history (decision 030), when the update above moved it
      auditRow(ctx.db, {
        tenantId: row.tenant_id,
        actorType: "user",
        actorId: String(ctx.identity.id),
        action: "leads.update",
        entity: "leads",
        entityId: row.id,
        data: { stage: "proposal" },
        at,
        when: { sql: "changes() = 1" },
      }),
      crmAudit(ctx, row.project_tenant_id, {
        action: "proposal.send",
        entity: "proposals",
        entityId: proposal.id,
        data: { version: proposal.version },
      }),
      proposalMail(ctx.db, row, proposal.locale, siteOrigin),
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
  const { decision } = parse(decideLeadInput, input.body ?? {}, "decision");
  if (row.decided_at) throw new DomainError("CONFLICT", "This lead has already been decided.");
  const at = nowIso(ctx.now());
  const accept = decision === "accept";
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
    crmAudit(ctx, row.tenant_id, {
      action: accept ? "lead.accept" : "lead.reject",
      entity: "leads",
      entityId: row.id,
      data: { tenant: row.project_tenant_id },
    }),
  ]);
  if (results[0]?.meta.changes !== 1)
    throw new DomainError("CONFLICT", "This lead has already been decided.");
  return getIntakeLead({ ctx, input: { id: row.id } });
}
