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
import { acceptanceStatements, type SignatureSource } from "./proposal-acceptance.ts";
import { acceptedTotalOf } from "./proposal-draft.ts";
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
  /** Accepting is a simple electronic signature: the client's typed name and the terms ticked (decision 028). */
  signer_name: z.string().trim().min(2, "type your full name").max(200).optional(),
  terms: z.literal(true, "tick the terms to accept").optional(),
  /** The optional lines the client ticks, by their index in the proposal's lines. */
  options: z.array(z.number().int().min(0).max(29)).max(30).optional(),
});

/**
 * What accepting also changes: the project becomes active, the tenant leaves the intake stage, the lead in the
 * agency workspace is won and decided. Each only writes if this answer is the one that moved the proposal
 * (`responded_at = at`, in the same transaction as the proposal's UPDATE before them).
 */
function acceptStatements(ctx: Ctx, proposal: Proposal, at: string, total: number): D1PreparedStatement[] {
  const db = ctx.db;
  const mine = "EXISTS (SELECT 1 FROM proposals WHERE tenant_id = ? AND id = ? AND responded_at = ?)";
  const mineBinds = [ctx.tenant.id, proposal.id, at];
  return [
    db
      .prepare(
        `UPDATE projects SET status = 'active', updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'planned' AND ${mine}`,
      )
      .bind(at, ctx.tenant.id, proposal.project_id, ...mineBinds),
    // the accepted total is the project's budget and the lead's value (not the analysis' estimate)
    db
      .prepare(
        `UPDATE projects SET budget_cents = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND ${mine}`,
      )
      .bind(total, at, ctx.tenant.id, proposal.project_id, ...mineBinds),
    db
      .prepare(`UPDATE tenants SET stage = 'live' WHERE id = ? AND ${mine}`)
      .bind(ctx.tenant.id, ...mineBinds),
    db
      .prepare(
        `UPDATE leads SET stage = 'won', value_cents = ?, updated_at = ?
         WHERE (tenant_id, id) IN (SELECT tenant_id, lead_id FROM intakes WHERE project_tenant_id = ?) AND ${mine}`,
      )
      .bind(total, at, ctx.tenant.id, ...mineBinds),
    db
      .prepare(
        `UPDATE intakes SET decided_at = coalesce(decided_at, ?) WHERE project_tenant_id = ? AND ${mine}`,
      )
      .bind(at, ctx.tenant.id, ...mineBinds),
  ];
}

export async function respondToProposal({
  ctx,
  input,
  source = { ip: "unknown", userAgent: null },
}: {
  ctx: Ctx;
  input: unknown;
  source?: SignatureSource;
}) {
  if (ctx.role !== "client") {
    throw new DomainError("FORBIDDEN", "Only the client answers the proposal.");
  }
  const answer = parse(respondInput, input ?? {}, "answer");
  const { decision, version, note } = answer;
  if (decision === "changes" && !note) {
    throw validationError([{ path: ["note"], message: "say what should change" }], "Invalid answer");
  }
  if (decision === "accept") {
    const missing = [
      ...(answer.signer_name ? [] : [{ path: ["signer_name"], message: "type your full name" }]),
      ...(answer.terms ? [] : [{ path: ["terms"], message: "tick the terms to accept" }]),
    ];
    if (missing.length) throw validationError(missing, "Invalid acceptance");
  }
  const { proposal } = await getPortalProposal({ ctx });
  const now = ctx.now();
  const at = nowIso(now);
  if (proposal.status !== "sent" || proposal.version !== version) {
    throw new DomainError("CONFLICT", "This proposal has changed or was already answered. Reload the page.");
  }
  if (proposal.valid_until < at.slice(0, 10)) {
    throw new DomainError(
      "CONFLICT",
      `This proposal was valid until ${proposal.valid_until}: it can no longer be accepted. Ask the agency for a new one.`,
      { details: [{ path: "valid_until", message: "expired" }] },
    );
  }
  const options = [...new Set(answer.options ?? [])].sort((a, b) => a - b);
  if (options.some((i) => !proposal.items[i]?.optional)) {
    throw validationError(
      [{ path: ["options"], message: "only optional lines can be chosen" }],
      "Invalid answer",
    );
  }
  const total = acceptedTotalOf(proposal.items, options);
  const update = ctx.db
    .prepare(
      `UPDATE proposals SET status = ?, client_note = ?, responded_at = ?, updated_at = ?,
         accepted_total_cents = ?
       WHERE tenant_id = ? AND id = ? AND status = 'sent' AND version = ?`,
    )
    .bind(
      decision === "accept" ? "accepted" : "changes_requested",
      note ?? null,
      at,
      at,
      decision === "accept" ? total : null,
      ctx.tenant.id,
      proposal.id,
      version,
    );
  const extra =
    decision === "accept"
      ? [
          ...acceptStatements(ctx, proposal, at, total),
          ...(await acceptanceStatements(ctx, proposal, {
            at,
            total,
            options,
            signerName: answer.signer_name ?? "",
            source,
          })),
        ]
      : [];
  const [res] = await writeWithAudit(
    ctx,
    [
      update,
      // the agency's side hears the answer (partners never see the proposal: notifyAgency is managers only);
      // `changes() = 1`: only if the update just before it answered the proposal
      notifyAgency(ctx, {
        kind: "proposal_answered",
        object: { type: "proposal", id: proposal.id },
        title: proposal.title,
        variant: decision === "accept" ? "accepted" : "changes",
        excerpt: note ?? null,
        when: "changes() = 1",
      }),
      ...extra,
    ],
    {
      action: decision === "accept" ? "proposal.accept" : "proposal.changes",
      entity: "proposals",
      entityId: proposal.id,
      data: decision === "accept" ? { version, total_cents: total, options } : { version },
    },
  );
  if (res?.meta.changes !== 1) {
    throw new DomainError("CONFLICT", "This proposal has changed or was already answered. Reload the page.");
  }
  return getPortalProposal({ ctx });
}
