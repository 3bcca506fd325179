import type { AgencyRole, TenantRole } from "./roles.ts";

export type TenantRef = { id: string; subdomain: string; name: string; kind: "agency" | "project" };

export type Actor =
  | { type: "user"; userId: number; email: string; agencyRole: AgencyRole }
  | { type: "token"; tokenId: string; userId: number; agencyRole: AgencyRole; write: boolean }
  | { type: "system"; reason: string };

/** What every tenant-scoped verb receives: the tenant, who acts in it and with which role, and the database. */
export type Ctx = {
  db: D1Database;
  tenant: TenantRef;
  actor: Actor;
  role: TenantRole;
  now: () => Date;
};

/** For verbs that run before a tenant is known (login, provisioning, accepting an invitation). */
export type SystemCtx = { db: D1Database; now: () => Date };

export const actorId = (a: Actor): string | null =>
  a.type === "user" ? String(a.userId) : a.type === "token" ? a.tokenId : null;

/** The person behind the actor (a user, or the user a token acts for); null for the system. */
export const actorUserId = (a: Actor): number | null => (a.type === "system" ? null : a.userId);

/** What a tenant-scoped verb takes: its context and the input as it came (the verb parses it with its schema). */
export type VerbArgs = { ctx: Ctx; input: unknown };
