/**
 * What the public intake form asks (intake/schema.ts validates it with these values): the kinds of project,
 * budget bands, timelines, field caps and steps; what an analysis cites; a proposal's statuses and when staff
 * may still edit one.
 */

export const projectTypes = [
  "website",
  "mobile_app",
  "agritech_platform",
  "ux_audit",
  "branding",
  "training",
] as const;
export type ProjectType = (typeof projectTypes)[number];

export const budgetBands = ["lt_5k", "5k_15k", "15k_40k", "40k_100k", "gt_100k", "unknown"] as const;
export type BudgetBand = (typeof budgetBands)[number];

export const timelines = ["asap", "1_3_months", "3_6_months", "6_plus_months", "flexible"] as const;
export type Timeline = (typeof timelines)[number];

/** Field length caps, shared by the form's attributes and the schema. */
export const INTAKE_LIMITS = {
  name: 120,
  email: 254,
  phone: 40,
  organisation: 120,
  role: 120,
  goals: 2000,
  features: 2000,
  assets: 2000,
  links: 1000,
  maxLinks: 5,
  honeypot: 200,
} as const;

/** The answers a requirement, a risk or a proposal line can cite. */
export const answerKeys = [
  "organisation",
  "project_type",
  "goals",
  "features",
  "assets",
  "links",
  "budget",
  "timeline",
] as const;
export type AnswerKey = (typeof answerKeys)[number];

/** The steps of the form and the fields each holds (the page renders them in this order). */
export const intakeSteps = [
  { id: "you", fields: ["name", "email", "phone", "organisation", "role"] },
  { id: "project", fields: ["project_type"] },
  { id: "needs", fields: ["goals", "features", "assets", "links"] },
  { id: "budget", fields: ["budget", "timeline"] },
] as const;

export const complexities = ["low", "medium", "high"] as const;
/** The phases a proposal's lines are grouped by. */
export const phaseKeys = ["discovery", "design", "build", "launch", "support"] as const;
export type PhaseKey = (typeof phaseKeys)[number];

export const proposalStatuses = ["draft", "sent", "accepted", "changes_requested"] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];

/**
 * Staff edit a proposal while it is a draft or the client asked for changes (intake/leads.ts `updateProposal`
 * refuses sent and accepted ones), and only while its project space is active: rejecting the lead archives the
 * space and closes its proposal.
 */
export function isProposalEditable(proposalStatus: string, tenantStatus: string): boolean {
  return (proposalStatus === "draft" || proposalStatus === "changes_requested") && tenantStatus === "active";
}
