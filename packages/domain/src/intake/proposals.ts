/** A project's proposal as stored: its statuses, its row, and reading it. */

import { type ProposalStatus, proposalStatuses } from "../vocabulary/intake.ts";
import type { ProposalContent } from "./proposal-draft.ts";

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
  deposit_percent: number;
  accepted_total_cents: number | null;
};

export type ProposalRow = Omit<Proposal, "items" | "assumptions"> & { items: string; assumptions: string };

export const PROPOSAL_COLUMNS =
  "id, tenant_id, project_id, status, locale, currency, title, summary, items, assumptions, total_cents, valid_until, client_note, version, sent_at, responded_at, updated_at, deposit_percent, accepted_total_cents";

export function proposalFromRow(row: ProposalRow): Proposal {
  return {
    ...row,
    items: JSON.parse(row.items) as Proposal["items"],
    assumptions: JSON.parse(row.assumptions) as string[],
  };
}

/** A tenant's proposal (one per project tenant: the first made), or null. */
export async function loadProposal(db: D1Database, tenantId: string): Promise<Proposal | null> {
  const row = await db
    .prepare(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE tenant_id = ? ORDER BY created_at LIMIT 1`)
    .bind(tenantId)
    .first<ProposalRow>();
  return row ? proposalFromRow(row) : null;
}
