/**
 * What a signed-in person may open, decided from who they are (`GET /api/auth/me`: their agency role and their
 * role in each tenant). Pages use these to choose what to show; the API decides again on every request, with
 * the same rules (crm/scope.ts, invitations/, bootcamp/access.ts), so a wrong guess here is only a refusal.
 */
import {
  type AgencyRole,
  agencyRoles,
  hasCapability,
  type TenantRole,
  tenantRoles,
} from "../kernel/roles.ts";
import { BOOTCAMP_SUBDOMAIN } from "./subdomains.ts";

export {
  type Action,
  type AgencyRole,
  actions,
  agencyRoles,
  type Capability,
  can,
  capabilities,
  type ExposedEntity,
  effectiveTenantRole,
  entityGrants,
  type Grants,
  hasCapability,
  hiddenFields,
  hiddenFieldsFor,
  managedRoles,
  type TenantRole,
  tenantRoles,
} from "../kernel/roles.ts";

/** A person as `/api/auth/me` describes them (roles as strings: anything unknown grants nothing). */
export type Viewer = {
  user: { role?: string | null | undefined };
  tenants?:
    | ReadonlyArray<{ subdomain: string; role?: string | null | undefined; kind?: string | null | undefined }>
    | undefined;
};

/** The agency role named by a string; anything unknown is the least: `member`. */
export const asAgencyRole = (role: string | null | undefined): AgencyRole =>
  agencyRoles.find((r) => r === role) ?? "member";

/** The tenant role named by a string, or null (no role there). */
export const asTenantRole = (role: string | null | undefined): TenantRole | null =>
  tenantRoles.find((r) => r === role) ?? null;

/** The tenant roles that manage a tenant (crm/scope.ts selects the same: `role IN ('project_manager', 'admin')`). */
export const managerRoles: readonly TenantRole[] = ["project_manager", "admin"];

/** Agency admins and staff: the agency's own people. */
export const isAgencyPerson = (role: string | null | undefined): boolean => asAgencyRole(role) !== "member";

/** A project manager or an admin of a tenant manages it: its clients, leads, projects and tasks. */
export const managesTenant = (role: string | null | undefined): boolean => {
  const r = asTenantRole(role);
  return r !== null && managerRoles.includes(r);
};

/**
 * Who opens the CRM: the agency's people, and anyone who manages at least one (active) tenant. The same rule
 * as crm/scope.ts `canUseCrm`, which the CRM's routes apply.
 */
export function opensCrm(viewer: Viewer): boolean {
  return isAgencyPerson(viewer.user.role) || (viewer.tenants ?? []).some((t) => managesTenant(t.role));
}

/**
 * Who may invite people into a tenant: its managers (`members.manage`: project managers invite clients and
 * partners, admins anyone, decision 026), and (while invitation links are handed over by hand) only when they
 * are the agency's people. The same rule as invitations/ `createInvitation`.
 */
export function mayInvite(
  tenantRole: string | null | undefined,
  agencyRole: string | null | undefined,
): boolean {
  const r = asTenantRole(tenantRole);
  return r !== null && hasCapability(r, "members.manage") && isAgencyPerson(agencyRole);
}

/**
 * The bootcamp's staff (courses, cohorts, enrolments): the agency's people and the bootcamp tenant's admins.
 * The same rule as bootcamp/access.ts `bootcampRole` giving "staff".
 */
export function runsBootcamp(viewer: Viewer): boolean {
  return (
    isAgencyPerson(viewer.user.role) ||
    (viewer.tenants ?? []).some((t) => t.subdomain === BOOTCAMP_SUBDOMAIN && asTenantRole(t.role) === "admin")
  );
}

/** Who manages a tenant's team (role changes, removals, revoking invitations): the same rule as team/members.ts. */
export function managesTeam(tenantRole: string | null | undefined): boolean {
  const r = asTenantRole(tenantRole);
  return r !== null && hasCapability(r, "members.manage");
}

/** Partners of a project see its working documents but change nothing of the agency's (decision 026). */
export const isPartner = (tenantRole: string | null | undefined): boolean =>
  asTenantRole(tenantRole) === "partner";
