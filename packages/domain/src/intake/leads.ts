/**
 * Staff's side of an intake, from the lead in the CRM: read the lead with its intake, analysis and proposal
 * (here); edit and send the proposal, accept or reject the lead (./lead-actions.ts). Scope: the lead must be in
 * a workspace the caller manages (crm/scope.ts), like every CRM read.
 */
import { z } from "zod";
import type { CrmCtx } from "../crm/scope.ts";
import type { Ctx } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { loadLead } from "./lead-scope.ts";
import { loadProposal } from "./proposals.ts";
import type { Analysis } from "./schema.ts";

const idInput = z.strictObject({ id: z.string().trim().min(1).max(64) });

/** The lead page: lead, answers, analysis (and who produced it), tenant, project manager, proposal. */
export async function getIntakeLead({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  const { id } = parse(idInput, input, "lead");
  const row = await loadLead(ctx, id);
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
