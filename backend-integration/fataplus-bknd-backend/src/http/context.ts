/**
 * What every request carries, explicitly, in Hono's variables:
 *  - `config`: the typed configuration, parsed from `c.env` by the first middleware (`withConfig`);
 *  - `access`: the caller as the gate re-read it from D1 (its role in the tenant named by the
 *    x-fataplus-tenant header or ?tenant=), set by the gate for /api/app/ routes only.
 * Handlers take the caller from here and never trust anything else in the request for it. Bindings are
 * `c.env` (the Worker's Env, which bknd's adapter hands to its Hono app).
 */
import { type Access, type Actor, type Ctx, DomainError, type Identity } from "@fataplus/domain";
import type { ServerEnv } from "bknd";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { type AppConfig, parseConfig } from "../config.ts";
import { errorResponse } from "./errors.ts";

export type ResolvedAccess = { access: Access; tenantRef: string | null };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: AppConfig;
    access: ResolvedAccess | undefined;
    /** bknd's own per-request auth state (src/http/session.ts shares the gate's verified session with it). */
    auth: ServerEnv["Variables"]["auth"];
  };
};
export type AppContext = Context<AppEnv>;
export type AppServer = Hono<AppEnv>;

/** The configuration of an env, parsed once: the Worker's env is the same object for every request it serves. */
const configs = new WeakMap<Env, AppConfig>();
function configOf(env: Env): AppConfig {
  const known = configs.get(env);
  if (known) return known;
  const config = parseConfig(env);
  configs.set(env, config);
  return config;
}

/** The plugin's first middleware: the configuration, parsed from this request's env (once per env). */
export const withConfig: MiddlewareHandler<AppEnv> = async (c, next) => {
  // bknd re-issues some requests internally (its SDK) without the Worker's env: nothing of ours serves those.
  if (!c.env?.DB) {
    return errorResponse(new DomainError("FORBIDDEN", "This request did not come through the Worker."));
  }
  c.set("config", configOf(c.env));
  await next();
};

/** The signed-in caller's access, as resolved by the gate. */
function resolved(c: AppContext): ResolvedAccess {
  const r = c.get("access");
  if (!r) throw new DomainError("UNAUTHENTICATED", "Sign in first.");
  return r;
}

export function appAccess(c: AppContext): Access {
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

/** A context for verbs that act for the signed-in person across tenants (CRM lists, tokens, intake leads). */
export function identityCtx(c: AppContext): { db: D1Database; identity: Identity; now: () => Date } {
  return { db: c.env.DB, identity: appAccess(c).identity, now: () => new Date() };
}

/** A tenant-scoped context for a domain verb: the request must name a tenant the caller may open. */
export function tenantCtx(c: AppContext): Ctx {
  const { access, tenantRef } = resolved(c);
  if (!tenantRef) {
    throw new DomainError("TENANT_REQUIRED", "Say which project you work in: x-fataplus-tenant or ?tenant=.");
  }
  // An unknown tenant and a tenant without access get the same answer: nothing to infer.
  if (!access.tenant || !access.role)
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  return {
    db: c.env.DB,
    tenant: access.tenant,
    actor: actorOf(access),
    role: access.role,
    now: () => new Date(),
  };
}

/** A context for verbs that run before anybody is known (public routes, sign-in). */
export const systemCtx = (c: AppContext) => ({ db: c.env.DB, now: () => new Date() });
