/**
 * The bridge between the gate and Fataplus' own routes under /api/app/. The gate has already re-read the
 * caller from D1 (and its role in the tenant named by the x-fataplus-tenant header or ?tenant=); handlers
 * take that access from here and never trust anything else in the request for it.
 */
import { type Access, type Actor, type Ctx, DomainError } from "@fataplus/domain";
import type { Context } from "hono";
import { runtimeEnv } from "../runtime.ts";

type Resolved = { access: Access; tenantRef: string | null };
const accessByRequest = new WeakMap<Request, Resolved>();

export function setAppAccess(c: Context, access: Access, tenantRef: string | null): void {
  accessByRequest.set(c.req.raw, { access, tenantRef });
}

function resolved(c: Context): Resolved {
  const r = accessByRequest.get(c.req.raw);
  if (!r) throw new DomainError("UNAUTHENTICATED", "Sign in first.");
  return r;
}

/** The signed-in caller's access, as resolved by the gate. */
export function appAccess(c: Context): Access {
  return resolved(c).access;
}

export function actorOf(access: Access): Actor {
  return {
    type: "user",
    userId: access.identity.id,
    email: access.identity.email,
    agencyRole: access.identity.role,
  };
}

/** A tenant-scoped context for a domain verb: the request must name a tenant the caller may open. */
export function tenantCtx(c: Context): Ctx {
  const { access, tenantRef } = resolved(c);
  if (!tenantRef) {
    throw new DomainError("TENANT_REQUIRED", "Say which project you work in: x-fataplus-tenant or ?tenant=.");
  }
  // An unknown tenant and a tenant without access get the same answer: nothing to infer.
  if (!access.tenant || !access.role)
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  return {
    db: runtimeEnv().DB,
    tenant: access.tenant,
    actor: actorOf(access),
    role: access.role,
    now: () => new Date(),
  };
}
