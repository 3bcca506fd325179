/**
 * Where a user lands after signing in, and which `next` targets are safe to follow. Pure, so it is tested in
 * Node; the permission decisions themselves stay in the API (it refuses what a page would wrongly offer).
 */
import { BOOTCAMP_SUBDOMAIN, opensCrm, type Viewer } from "@fataplus/domain/vocabulary";

export type Landing =
  | { kind: "path"; path: string }
  | { kind: "portal"; subdomain: string }
  | { kind: "nothing" };

/** A same-site relative path (no scheme, no `//host`, no backslash tricks), or null. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || next.length > 500) return null;
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return null;
  if ([...next].some((ch) => ch.charCodeAt(0) < 0x20)) return null;
  return next;
}

/**
 * On a project's subdomain: back to `next` (or the portal home). On the main site: back to `next` when there is
 * one (the CRM only for those who manage a project); otherwise agency staff and anyone who manages a project go
 * to the CRM, a client to their project's portal, and nobody else has anywhere to go.
 */
export function landingFor(me: Viewer, currentTenant: string | null, next: string | null): Landing {
  const safe = safeNext(next);
  if (currentTenant) return { kind: "path", path: safe ?? "/" };
  const tenants = me.tenants ?? [];
  if (opensCrm(me)) return { kind: "path", path: safe ?? "/crm" };
  // A page of the main site asked for explicitly (e.g. an invitation to accept) comes first; the CRM does not.
  if (safe && !safe.startsWith("/crm")) return { kind: "path", path: safe };
  const project = tenants.find((t) => t.kind !== "agency") ?? tenants[0];
  // Learners of the bootcamp (decision 010) go to their courses on the main site, not to a portal.
  if (project?.subdomain === BOOTCAMP_SUBDOMAIN) return { kind: "path", path: "/bootcamp/learn" };
  return project ? { kind: "portal", subdomain: project.subdomain } : { kind: "nothing" };
}
