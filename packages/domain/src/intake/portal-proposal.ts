/**
 * The client's side of the proposal, in their portal: read it once it has been sent, accept it (the project
 * becomes active, the tenant leaves the intake stage, the lead is won) or ask for changes with a note.
 */

import { z } from "zod";
import { writeWithAudit } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability } from "../kernel/roles.ts";
import { notifyAgency } from "../notifications/write.ts";
import { loadProposal, type Proposal } from "./proposals.ts";

/** The tenant's proposal as the caller may see it: clients never see a draft, partners never see it at all. */
export async function getPortalProposal({ ctx }: { ctx: Ctx }): Promise<{ proposal: Proposal }> {
  if (!hasCapability(ctx.role, "proposal.read"))
    throw new DomainError("FORBIDDEN", "No access to this project's proposal.");
  const proposal = await loadProposal(ctx.db, ctx.tenant.id);
  if (!proposal || (ctx.role === "client" && proposal.status === "draft")) {
    throw new DomainError("NOT_FOUND", "There is no proposal for this project yet.");
  }
  return { proposal };
}

export const respondInput = z.strictObject({
  decision: z.enum(["accept", "changes"]),
  version: z.number().int().min(1),
  note: z.string().trim().max(2000).optional(),
});

/**
 * What accepting also changes: the project becomes active, the tenant leaves the intake stage, the lead in the
 * agency workspace is won and decided. Each only writes if this answer is the one that moved the proposal
 * (`responded_at = at`, in the same transaction as the proposal's UPDATE before them).
 */
function acceptStatements(ctx: Ctx, proposal: Proposal, at: string): D1PreparedStatement[] {
  const db = ctx.db;
  const mine = "EXISTS (SELECT 1 FROM proposals WHERE tenant_id = ? AND id = ? AND responded_at = ?)";
  const mineBinds = [ctx.tenant.id, proposal.id, at];
  return [
    db
      .prepare(
        `UPDATE projects SET status = 'active', updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'planned' AND ${mine}`,
      )
      .bind(at, ctx.tenant.id, proposal.project_id, ...mineBinds),
    db
      .prepare(`UPDATE tenants SET stage = 'live' WHERE id = ? AND ${mine}`)
      .bind(ctx.tenant.id, ...mineBinds),
    db
      .prepare(
        `UPDATE leads SET stage = 'won', updated_at = ?
         WHERE (tenant_id, id) IN (SELECT tenant_id, lead_id FROM intakes WHERE project_tenant_id = ?) AND ${mine}`,
      )
      .bind(at, ctx.tenant.id, ...mineBinds),
    db
      .prepare(
        `UPDATE intakes SET decided_at = coalesce(decided_at, ?) WHERE project_tenant_id = ? AND ${mine}`,
      )
      .bind(at, ctx.tenant.id, ...mineBinds),
  ];
}

export async function respondToProposal({ ctx, input }: { ctx: Ctx; input: unknown }) {
  if (ctx.role !== "client") {
    throw new DomainError("FORBIDDEN", "Only the client answers the proposal.");
  }
  const { decision, version, note } = parse(respondInput, input ?? {}, "answer");
  if (decision === "changes" && !note) {
    throw validationError([{ path: ["note"], message: "say what should change" }], "Invalid answer");
  }
  const { proposal } = await getPortalProposal({ ctx });
  const now = ctx.now();
  const at = nowIso(now);
  if (proposal.status !== "sent" || proposal.version !== version) {
    throw new DomainError("CONFLICT", "This proposal has changed or was already answered. Reload the page.");
  }
  if (proposal.valid_until < at.slice(0, 10)) {
    throw new DomainError("CONFLICT", "This proposal has expired: ask the agency for a new one.");
  }
  const update = ctx.db
    .prepare(
      `UPDATE proposals SET status = ?, client_note = ?, responded_at = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ? AND status = 'sent' AND version = ?`,
    )
    .bind(
      decision === "accept" ? "accepted" : "changes_requested",
      note ?? null,
      at,
      at,
      ctx.tenant.id,
      proposal.id,
      version,
    );
  const [res] = await writeWithAudit(
    ctx,
    [
      update,
      // the agency's side hears the answer (partners never see the proposal: notifyAgency is managers only)
      notifyAgency(ctx, {
        kind: "proposal_answered",
        object: { type: "proposal", id: proposal.id },
        title: proposal.title,
        variant: decision === "accept" ? "accepted" : "changes",
        excerpt: note ?? null,
        when: "changes() = 1",
      }),
      ...(decision === "accept" ? acceptStatements(ctx, proposal, at) : []),
    ],
    {
      action: decision === "accept" ? "proposal.accept" : "proposal.changes",
      entity: "proposals",
      entityId: proposal.id,
      data: { version },
    },
  );
  if (res?.meta.changes !== 1) {
    throw new DomainError("CONFLICT", "This proposal has changed or was already answered. Reload the page.");
  }
  return getPortalProposal({ ctx });
}
