/**
 * What accepting a proposal writes besides the proposal (decision 028), in the acceptance's own batch: the
 * simple electronic signature (typed name, terms, the SHA-256 of the accepted content, time, address) and the
 * deposit invoice's draft for the agency to review and issue. Each statement only writes if this answer is the
 * one that moved the proposal (`responded_at = at`). And the acceptance record, for the client and the agency.
 */
import type { Ctx } from "../kernel/context.ts";
import { actorUserId } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, sha256Hex } from "../kernel/ids.ts";
import { hasCapability } from "../kernel/roles.ts";
import { addDays, loadAgencyBilling } from "../money/store.ts";
import {
  type InvoiceCurrency,
  invoiceCurrencies,
  invoiceTotals,
  type VatRate,
  vatRates,
} from "../vocabulary/money.ts";
import { loadProposal, type Proposal } from "./proposals.ts";

/** The terms the client ticks, by version (kept in the accepted content, so the record says which). */
export const ACCEPTANCE_TERMS_VERSION = "2026-12";

/** Where an answer comes from, kept with an acceptance: the caller's address and browser. */
export type SignatureSource = { ip: string; userAgent: string | null };

type Acceptance = {
  at: string;
  total: number;
  options: number[];
  signerName: string;
  source: SignatureSource;
};

/** The accepted content, canonical (fixed key order), whose SHA-256 the acceptance keeps. */
export function acceptedContent(p: Proposal, a: { total: number; options: number[]; signerName: string }) {
  return JSON.stringify({
    proposal_id: p.id,
    tenant_id: p.tenant_id,
    version: p.version,
    title: p.title,
    summary: p.summary ?? null,
    items: p.items.map((i) => ({
      phase: i.phase,
      deliverable: i.deliverable,
      effort_days: i.effort_days,
      price_cents: i.price_cents,
      optional: i.optional === true,
    })),
    assumptions: p.assumptions,
    valid_until: p.valid_until,
    currency: p.currency,
    options: a.options,
    total_cents: a.total,
    deposit_percent: p.deposit_percent,
    signer_name: a.signerName,
    terms_version: ACCEPTANCE_TERMS_VERSION,
  });
}

export async function acceptanceStatements(
  ctx: Ctx,
  proposal: Proposal,
  a: Acceptance,
): Promise<D1PreparedStatement[]> {
  const db = ctx.db;
  const mine = "EXISTS (SELECT 1 FROM proposals WHERE tenant_id = ? AND id = ? AND responded_at = ?)";
  const mineBinds = [ctx.tenant.id, proposal.id, a.at];
  const content = acceptedContent(proposal, a);
  const email = ctx.actor.type === "user" ? ctx.actor.email : "";
  const out = [
    db
      .prepare(
        `INSERT INTO proposal_acceptances (id, tenant_id, proposal_id, version, content_hash, content, signer_name,
           signer_user_id, signer_email, options, total_cents, currency, terms_accepted, source_ip, user_agent, accepted_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ? WHERE ${mine}`,
      )
      .bind(
        newId(),
        ctx.tenant.id,
        proposal.id,
        proposal.version,
        await sha256Hex(content),
        content,
        a.signerName,
        actorUserId(ctx.actor),
        email,
        JSON.stringify(a.options),
        a.total,
        proposal.currency,
        a.source.ip.slice(0, 100),
        a.source.userAgent?.slice(0, 300) ?? null,
        a.at,
        ...mineBinds,
      ),
  ];
  const deposit = await depositDraft(ctx, proposal, a);
  if (deposit) out.push(db.prepare(`${deposit.sql} AND ${mine}`).bind(...deposit.binds, ...mineBinds));
  return out;
}

const isCurrency = (c: string): c is InvoiceCurrency => (invoiceCurrencies as readonly string[]).includes(c);
const isVat = (n: number): n is VatRate => (vatRates as readonly number[]).includes(n);

/** The deposit invoice's draft (percentage of the accepted total, the agency's default VAT and terms). */
async function depositDraft(ctx: Ctx, p: Proposal, a: Acceptance) {
  const amount = Math.round((a.total * p.deposit_percent) / 100);
  if (amount <= 0 || !isCurrency(p.currency)) return null;
  const billing = await loadAgencyBilling(ctx.db);
  const client = await ctx.db
    .prepare(
      `SELECT c.name, c.email FROM projects p JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
       WHERE p.tenant_id = ? AND p.id = ?`,
    )
    .bind(ctx.tenant.id, p.project_id)
    .first<{ name: string; email: string | null }>();
  const fr = p.locale === "fr";
  const day = a.at.slice(0, 10);
  const description = fr
    ? `Acompte de ${p.deposit_percent} % sur « ${p.title} » (proposition v${p.version} acceptée le ${day})`
    : `Deposit of ${p.deposit_percent}% on "${p.title}" (proposal v${p.version} accepted on ${day})`;
  const t = invoiceTotals([
    {
      description: description.slice(0, 500),
      quantity_milli: 1000,
      unit_price_minor: amount,
      vat_bp: isVat(billing.default_vat_bp) ? billing.default_vat_bp : 2000,
    },
  ]);
  const buyer = { name: client?.name ?? ctx.tenant.name, email: client?.email ?? null };
  return {
    sql: `INSERT INTO invoices (id, tenant_id, project_id, kind, purpose, proposal_id, status, locale, currency, issue_date,
            due_days, due_date, payment_terms, vat_mention, seller, buyer, lines, subtotal_minor, tax_minor, total_minor,
            created_at, updated_at)
          SELECT ?, ?, ?, 'invoice', 'deposit', ?, 'draft', ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ? WHERE 1`,
    binds: [
      newId(),
      ctx.tenant.id,
      p.project_id,
      p.id,
      p.locale,
      p.currency,
      day,
      billing.default_due_days,
      addDays(day, billing.default_due_days),
      fr ? "Acompte payable à réception." : "Deposit payable on receipt.",
      t.lines[0]?.vat_bp === 0 ? "export" : null,
      JSON.stringify(buyer),
      JSON.stringify(t.lines),
      t.subtotal_minor,
      t.tax_minor,
      t.total_minor,
      a.at,
      a.at,
    ],
  };
}

export type AcceptanceRecord = {
  proposal: Proposal;
  acceptance: {
    id: string;
    version: number;
    content_hash: string;
    signer_name: string;
    signer_email: string;
    options: number[];
    total_cents: number;
    currency: string;
    source_ip: string;
    user_agent: string | null;
    accepted_at: string;
  };
};

/** The acceptance of the tenant's proposal, for its client and the agency (never a partner). */
export async function getAcceptanceRecord({ ctx }: { ctx: Ctx }): Promise<AcceptanceRecord> {
  if (!hasCapability(ctx.role, "proposal.read"))
    throw new DomainError("FORBIDDEN", "No access to this project's proposal.");
  const proposal = await loadProposal(ctx.db, ctx.tenant.id);
  const row = proposal
    ? await ctx.db
        .prepare(
          `SELECT id, version, content_hash, signer_name, signer_email, options, total_cents, currency, source_ip,
             user_agent, accepted_at
           FROM proposal_acceptances WHERE tenant_id = ? AND proposal_id = ?`,
        )
        .bind(ctx.tenant.id, proposal.id)
        .first<Omit<AcceptanceRecord["acceptance"], "options"> & { options: string }>()
    : null;
  if (!proposal || !row) throw new DomainError("NOT_FOUND", "This proposal has not been accepted.");
  return { proposal, acceptance: { ...row, options: JSON.parse(row.options) as number[] } };
}
