/**
 * A proposal's content (line items, total, assumptions, validity) and the draft made from an analysis. Every
 * line cites the intake answer that motivated it; the total is always the sum of the lines (recomputed on
 * every save, never taken from the client).
 */
import { z } from "zod";
import { DAY_RATE_CENTS } from "./builtin.ts";
import { type Analysis, answerKeys, type Intake, phaseKeys } from "./schema.ts";

export const PROPOSAL_VALID_DAYS = 30;

export const proposalItem = z.strictObject({
  phase: z.enum(phaseKeys),
  deliverable: z.string().trim().min(1, "is required").max(500),
  effort_days: z.number().int().min(0).max(1000),
  price_cents: z.number().int().min(0).max(1_000_000_000),
  source: z.enum(answerKeys),
  /** An optional line: the client ticks it when accepting; the total follows (decision 028). */
  optional: z.boolean().optional(),
});
export type ProposalItem = z.infer<typeof proposalItem>;

export const proposalContent = z.strictObject({
  title: z.string().trim().min(1, "is required").max(300),
  summary: z.string().trim().max(3000).nullable().optional(),
  items: z.array(proposalItem).min(1, "add at least one line").max(30),
  assumptions: z.array(z.string().trim().min(1).max(500)).max(20),
  valid_until: z.iso.date("must be a date (YYYY-MM-DD)"),
  /** The share of the accepted total asked as a deposit invoice on acceptance (0: none). */
  deposit_percent: z.number().int().min(0).max(100).optional(),
});
export type ProposalContent = z.infer<typeof proposalContent>;

/** The proposal's total: its mandatory lines (optional lines count only once the client ticks them). */
export const totalOf = (items: readonly ProposalItem[]) =>
  items.reduce((s, i) => s + (i.optional ? 0 : i.price_cents), 0);

/** The total of an acceptance: the mandatory lines plus the optional lines chosen (by index). */
export const acceptedTotalOf = (items: readonly ProposalItem[], options: readonly number[]) =>
  items.reduce((s, i, n) => s + (!i.optional || options.includes(n) ? i.price_cents : 0), 0);

export function draftFromAnalysis(intake: Intake, analysis: Analysis, now: Date): ProposalContent {
  const fr = intake.locale === "fr";
  const items: ProposalItem[] = analysis.phases.map((p) => ({
    phase: p.phase,
    deliverable: `${p.name} — ${p.deliverable}`.slice(0, 500),
    effort_days: p.effort_days,
    price_cents: p.effort_days * DAY_RATE_CENTS,
    source: p.source,
  }));
  const validUntil = new Date(now.getTime() + PROPOSAL_VALID_DAYS * 86_400_000).toISOString().slice(0, 10);
  const assumptions = fr
    ? [
        `Tarif journalier de ${DAY_RATE_CENTS / 100} € HT ; montants hors taxes.`,
        "Deux cycles de retours par livrable ; au-delà, facturé au temps passé.",
        "Les contenus (textes, photos) sont fournis par le client, sauf mention contraire.",
        `Estimation issue de l'analyse (${analysis.effort_days.min} à ${analysis.effort_days.max} jours) ; affinée après le cadrage.`,
      ]
    : [
        `Day rate of EUR ${DAY_RATE_CENTS / 100}, excluding tax.`,
        "Two rounds of feedback per deliverable; more is billed on time spent.",
        "Content (copy, photos) is provided by the client unless stated otherwise.",
        `Estimate from the analysis (${analysis.effort_days.min} to ${analysis.effort_days.max} days); refined after discovery.`,
      ];
  return {
    title: (fr ? `Proposition — ${intake.organisation}` : `Proposal — ${intake.organisation}`).slice(0, 300),
    summary: analysis.summary,
    items,
    assumptions,
    valid_until: validUntil,
  };
}
