/**
 * Roles and the permission table (docs/decisions/004-permissions.md prints it).
 *
 * Two layers:
 *  - the agency-wide role on `users.role`: `admin` (agency admin), `staff` (agency staff), `member` (everybody else);
 *  - the role in one tenant on `memberships.role`: `client`, `project_manager`, `admin`.
 *
 * Agency staff act as project managers in every tenant; agency admins as admins in every tenant, and they alone
 * reach bknd's /admin UI and system routes. Everybody else reaches only the tenants they are members of.
 */
export const agencyRoles = ["admin", "staff", "member"] as const;
export type AgencyRole = (typeof agencyRoles)[number];

export const tenantRoles = ["client", "project_manager", "admin"] as const;
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
  clients: { client: none, project_manager: all, admin: all },
  projects: { client: ["read"], project_manager: ["read", "update"], admin: all },
  tasks: { client: ["read"], project_manager: all, admin: all },
  leads: { client: none, project_manager: all, admin: all },
  notes: { client: none, project_manager: all, admin: all },
} as const satisfies Record<string, Grants>;

export type ExposedEntity = keyof typeof entityGrants;

/**
 * Fields a role may not see, filter or sort on, whatever the route (data API, portal, MCP): clients see no
 * money (a project's budget and estimate are the agency's business).
 */
export const hiddenFields: Readonly<
  Partial<Record<ExposedEntity, Partial<Record<TenantRole, readonly string[]>>>>
> = {
  projects: { client: ["budget_cents", "estimate_cents"] },
};

export function hiddenFieldsFor(entity: ExposedEntity, role: TenantRole): readonly string[] {
  return hiddenFields[entity]?.[role] ?? [];
}

export function can(role: TenantRole, entity: ExposedEntity, action: Action): boolean {
  return (entityGrants[entity][role] as readonly Action[]).includes(action);
}

/** Capabilities outside the generic data API. */
export const capabilities = {
  "members.manage": ["admin"],
  "members.read": ["project_manager", "admin"],
  "audit.read": ["project_manager", "admin"],
  "tenant.read": ["client", "project_manager", "admin"],
  "messages.send": ["client", "project_manager", "admin"],
  "documents.read_internal": ["project_manager", "admin"],
  "documents.read_client_facing": ["client", "project_manager", "admin"],
  "files.upload_requested": ["client", "project_manager", "admin"],
} as const satisfies Record<string, readonly TenantRole[]>;

export type Capability = keyof typeof capabilities;

export function hasCapability(role: TenantRole, capability: Capability): boolean {
  return (capabilities[capability] as readonly TenantRole[]).includes(role);
}
