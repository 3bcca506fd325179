/**
 * Roles and the permission table (docs/decisions/004-permissions.md prints it).
 *
 * Two layers:
 *  - the agency-wide role on `users.role`: `admin` (agency admin), `staff` (agency staff), `member` (everybody else);
 *  - the role in one tenant on `memberships.role`: `client`, `partner`, `project_manager`, `admin`. A partner
 *    is a partner agency working on the project (docs/decisions/026-team-management.md): its tasks, shared
 *    documents and messages, never money, leads, the CRM's clients, the audit log, internal documents, the team.
 *
 * Agency staff act as project managers in every tenant; agency admins as admins in every tenant, and they alone
 * reach bknd's /admin UI and system routes. Everybody else reaches only the tenants they are members of.
 */
export const agencyRoles = ["admin", "staff", "member"] as const;
export type AgencyRole = (typeof agencyRoles)[number];

export const tenantRoles = ["client", "partner", "project_manager", "admin"] as const;
export type TenantRole = (typeof tenantRoles)[number];

export const actions = ["read", "create", "update", "delete"] as const;
export type Action = (typeof actions)[number];

/** The effective role of a user in a tenant, or null when the user has no access to it. */
export function effectiveTenantRole(
  agencyRole: AgencyRole,
  membershipRole: TenantRole | null,
): TenantRole | null {
  if (agencyRole === "admin") return "admin";
  if (agencyRole === "staff") return membershipRole === "admin" ? "admin" : "project_manager";
  return membershipRole;
}

export type Grants = Readonly<Record<TenantRole, readonly Action[]>>;

const all: readonly Action[] = actions;
const none: readonly Action[] = [];

/** Per entity exposed through the data API: what each tenant role may do. */
export const entityGrants = {
  clients: { client: none, partner: none, project_manager: all, admin: all },
  projects: { client: ["read"], partner: ["read"], project_manager: ["read", "update"], admin: all },
  tasks: { client: ["read"], partner: ["read"], project_manager: all, admin: all },
  leads: { client: none, partner: none, project_manager: all, admin: all },
  notes: { client: none, partner: none, project_manager: all, admin: all },
} as const satisfies Record<string, Grants>;

export type ExposedEntity = keyof typeof entityGrants;

/**
 * Fields a role may not see, filter or sort on, whatever the route (data API, portal, MCP): clients see no
 * money (a project's budget and estimate are the agency's business), and neither do partners (decision 026).
 */
export const hiddenFields: Readonly<
  Partial<Record<ExposedEntity, Partial<Record<TenantRole, readonly string[]>>>>
> = {
  projects: { client: ["budget_cents", "estimate_cents"], partner: ["budget_cents", "estimate_cents"] },
};

export function hiddenFieldsFor(entity: ExposedEntity, role: TenantRole): readonly string[] {
  return hiddenFields[entity]?.[role] ?? [];
}

export function can(role: TenantRole, entity: ExposedEntity, action: Action): boolean {
  return (entityGrants[entity][role] as readonly Action[]).includes(action);
}

/**
 * Capabilities outside the generic data API. `members.manage` is the team: invitations (create, re-send,
 * revoke) and members (change a role, remove); a project manager manages only the roles `managedRoles` gives it
 * (decision 026). Partners read the project's shared (client-facing) documents, like its client: internal
 * documents hold the agency's own working papers, its estimates among them, and partners never see money.
 */
export const capabilities = {
  "members.manage": ["project_manager", "admin"],
  "members.read": ["project_manager", "admin"],
  "audit.read": ["project_manager", "admin"],
  "tenant.read": ["client", "partner", "project_manager", "admin"],
  "messages.send": ["client", "partner", "project_manager", "admin"],
  "documents.read_internal": ["project_manager", "admin"],
  "documents.read_client_facing": ["client", "partner", "project_manager", "admin"],
  "documents.manage": ["project_manager", "admin"],
  "files.upload_requested": ["client", "project_manager", "admin"],
  /** The proposal (prices): between the agency and its client, never a partner's business. */
  "proposal.read": ["client", "project_manager", "admin"],
  /** Invoices and payments (decision 028): the client reads what was issued to them; never a partner. */
  "money.read": ["client", "project_manager", "admin"],
  "money.manage": ["project_manager", "admin"],
} as const satisfies Record<string, readonly TenantRole[]>;

export type Capability = keyof typeof capabilities;

export function hasCapability(role: TenantRole, capability: Capability): boolean {
  return (capabilities[capability] as readonly TenantRole[]).includes(role);
}

/**
 * The membership roles a role may grant, change or remove in a tenant (decision 026): a project admin any; a
 * project manager (agency staff among them) the people the agency brings in, clients and partners; anyone else
 * none. Whoever holds a role outside this list is out of the caller's reach (their role can't be changed, they
 * can't be removed, their invitation can't be revoked).
 */
export function managedRoles(role: TenantRole): readonly TenantRole[] {
  if (role === "admin") return tenantRoles;
  if (role === "project_manager") return ["client", "partner"];
  return [];
}
