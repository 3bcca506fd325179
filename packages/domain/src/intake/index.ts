// The intake's public verbs and types. Files not listed here (provision-batch, provision-submitter,
// provision-mail, lead-scope, builtin/*) are internal helpers of the verbs; of proposals.ts, loadProposal is
// internal too.
export * from "./analyser.ts";
export * from "./builtin.ts";
export * from "./claude.ts";
export * from "./lead-actions.ts";
export * from "./leads.ts";
export * from "./portal-proposal.ts";
export {
  ACCEPTANCE_TERMS_VERSION,
  type AcceptanceRecord,
  acceptedContent,
  getAcceptanceRecord,
  type SignatureSource,
} from "./proposal-acceptance.ts";
export * from "./proposal-draft.ts";
export {
  PROPOSAL_COLUMNS,
  type Proposal,
  type ProposalStatus,
  proposalFromRow,
  proposalStatuses,
} from "./proposals.ts";
export * from "./provision.ts";
export * from "./schema.ts";
export * from "./subdomains.ts";
export * from "./workers-ai.ts";
