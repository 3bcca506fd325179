/**
 * Where a user lands after signing in, and which `next` targets are safe to follow. Pure, so it is tested in
 * Node; the permission decisions themselves stay in the API (it refuses what a page would wrongly offer).
 */
import type { MeResponse } from "@fataplus/api-client";

export type Landing =
  | { kind: "path"; path: string }
  | { kind: "portal"; subdomain: string }
  | { kind: "nothing" };

const MANAGER_ROLES = new Set(["project_manager", "admin"]);

/** A same-site relative path (no scheme, no `//host`, no backslash tricks), or null. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || next.length > 500) return null;
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return null;
  if ([...next].some((ch) => ch.charCodeAt(0) < 0x20)) return null;
  return next;
}

/**
 * On a project's subdomain: back to `next` (or the portal home). On the main site: agency staff and anyone who
 * manages a project go to the CRM; a client goes to their project's portal; nobody else has anywhere to go.
 */
export function landingFor(me: MeResponse, currentTenant: string | null, next: string | null): Landing {
  const safe = safeNext(next);
  if (currentTenant) return { kind: "path", path: safe ?? "/" };
  const role = me.user.role;
  const tenants = me.tenants ?? [];
  const manages =
    role === "admin" || role === "staff" || tenants.some((t) => MANAGER_ROLES.has(t.role ?? ""));
  if (manages) return { kind: "path", path: safe?.startsWith("/crm") ? safe : "/crm" };
  const project = tenants.find((t) => t.kind !== "agency") ?? tenants[0];
  return project ? { kind: "portal", subdomain: project.subdomain } : { kind: "nothing" };
}
