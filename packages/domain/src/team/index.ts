// Team management (docs/decisions/026-team-management.md): a project's members and pending invitations, and the
// agency's accounts.
export * from "./invitations.ts";
export * from "./members.ts";
export * from "./schemas.ts";
export * from "./users.ts";
