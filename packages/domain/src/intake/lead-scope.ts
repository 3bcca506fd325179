/**
 * An intake's lead as staff reach it (internal): the lead must be in a workspace the caller manages
 * (crm/scope.ts), like every CRM read; with its intake and project tenant.
 */
import { assertCrm, type CrmCtx, managedTenants } from "../crm/scope.ts";
import { DomainError } from "../kernel/errors.ts";

export type LeadRow = {
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

/** The lead (in a workspace the caller manages) and its intake, or 404. */
export async function loadLead(ctx: CrmCtx, id: string): Promise<LeadRow> {
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
