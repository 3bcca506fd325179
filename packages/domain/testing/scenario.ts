/**
 * One factory for multi-tenant test setups, shared by the domain's workerd tests and the worker's tests
 * (`@fataplus/domain/testing`). A scenario makes its own tenants (unique names and subdomains, never a shared
 * seed), its users with their agency role and memberships, optionally one row of every exposed entity per
 * tenant and personal access tokens, and hands back contexts to call verbs as any of its people.
 *
 *   const s = await scenario(db, { tenants: ["a", "b"], roles: tenantRoles, users: { staff: { agency: "staff" } } });
 *   s.members.a.client          // a client of tenant a
 *   s.users.staff               // agency staff, no membership
 *   s.ctx("a", s.members.a.client) // the verb's ctx: tenant a, the user's effective role in it
 *
 * It writes through the domain's verbs (createTenant, createRecord, createToken) and, for people, plain SQL
 * (there is no "create user" verb: accounts come from invitations and the intake).
 */

import { z } from "zod";
import {
  type AgencyRole,
  type CrmCtx,
  type Ctx,
  createRecord,
  createTenant,
  createToken,
  type ExposedEntity,
  effectiveTenantRole,
  entities,
  exposedEntityNames,
  hashPassword,
  type Identity,
  type TenantRef,
  type TenantRole,
  type TokenScope,
} from "../src/index.ts";

export const PASSWORD = "Correct-horse-battery-9";
/** A low iteration count keeps factories fast; the stored format carries it and login verifies any count. */
export const TEST_ITERATIONS = 1_000;

let counter = 0;
/** A name no other suite (nor another run on the same database) uses. */
export const unique = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;

export type Refs = Record<ExposedEntity, string>;

/**
 * A valid create body of `entity`, built from its definition (records/entities.ts), so a new entity needs no
 * sample here: every required field without a default gets a unique text, and every reference to another
 * entity points at `refs` (a self-reference, a client's organisation, stays empty; so does a contact, since the
 * seeded client is an organisation).
 */
export function sampleCreate(entity: ExposedEntity, refs: Partial<Refs>): Record<string, unknown> {
  const def = entities[entity];
  const body: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(def.create.shape)) {
    const target: ExposedEntity | undefined = def.references[field];
    if (target !== undefined) {
      const contact = def.contactReferences.includes(field);
      if (target !== entity && !contact && refs[target] !== undefined) body[field] = refs[target];
    } else if (!z.safeParse(schema, undefined).success) {
      body[field] = unique(`${entity} ${field} `);
    }
  }
  return body;
}

/** A valid update body of `entity`: its first required text field renamed. */
export function sampleUpdate(entity: ExposedEntity): Record<string, unknown> {
  const def = entities[entity];
  const field = Object.entries(def.create.shape).find(
    ([f, schema]) => def.references[f] === undefined && !z.safeParse(schema, undefined).success,
  )?.[0];
  if (field === undefined) throw new Error(`${entity} has no required text field to rename`);
  return { [field]: unique("Renamed ") };
}

/** The system acting in a tenant (seeding, jobs), with a tenant role for the permission checks. */
export function systemCtx(db: D1Database, tenant: TenantRef, role: TenantRole = "admin"): Ctx {
  return { db, tenant, role, actor: { type: "system", reason: "test" }, now: () => new Date() };
}

export async function makeTenant(
  db: D1Database,
  name = "Tenant",
  kind: "agency" | "project" = "project",
): Promise<TenantRef> {
  return createTenant({
    ctx: { db, now: () => new Date() },
    input: { name: `${name} ${unique("")}`, subdomain: unique("t-"), kind },
  });
}

/** One row of every exposed entity in the tenant, created in dependency order through createRecord. */
export async function seedTenantData(db: D1Database, tenant: TenantRef): Promise<Refs> {
  const ctx = systemCtx(db, tenant);
  const refs: Partial<Refs> = {};
  // Definition order is dependency order: an entity refers only to those defined before it.
  for (const entity of exposedEntityNames) {
    const row = await createRecord({ ctx, input: { entity, data: sampleCreate(entity, refs) } });
    refs[entity] = row.id;
  }
  if (!isComplete(refs)) throw new Error("seed: a row was not created");
  return refs;
}

function isComplete(refs: Partial<Refs>): refs is Refs {
  return exposedEntityNames.every((e) => refs[e] !== undefined);
}

export type UserSpec<T extends string> = {
  /** The agency-wide role on users.role (default `member`). */
  agency?: AgencyRole;
  /** Memberships: the role in each named tenant of the scenario. */
  in?: Partial<Record<T, TenantRole>>;
  status?: "active" | "disabled" | "invited";
  name?: string;
  locale?: "fr" | "en";
};

/** A person of a scenario: their row and their identity as the verbs see it. */
export type ScenarioUser = { id: number; email: string; identity: Identity; agencyRole: AgencyRole };

/** Creates one account (password PASSWORD) and its memberships in one batch. */
export async function makeAccount(
  db: D1Database,
  opts: {
    agency?: AgencyRole;
    memberships?: ReadonlyArray<readonly [TenantRef, TenantRole]>;
    status?: "active" | "disabled" | "invited";
    name?: string;
    locale?: "fr" | "en";
  } = {},
): Promise<ScenarioUser> {
  const email = `${unique("u")}@example.test`;
  const agencyRole = opts.agency ?? "member";
  const status = opts.status ?? "active";
  const locale = opts.locale ?? "fr";
  const hash = status === "invited" ? null : await hashPassword(PASSWORD, TEST_ITERATIONS);
  const row = await db
    .prepare(
      "INSERT INTO users (email, strategy, strategy_value, role, status, name, locale) VALUES (?, 'password', ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(email, hash, agencyRole, status, opts.name ?? null, locale)
    .first<{ id: number }>();
  if (!row) throw new Error("user insert failed");
  const memberships = opts.memberships ?? [];
  if (memberships.length > 0) {
    await db.batch(
      memberships.map(([tenant, role]) =>
        db
          .prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, ?)")
          .bind(tenant.id, row.id, role),
      ),
    );
  }
  return {
    id: row.id,
    email,
    agencyRole,
    identity: { id: row.id, email, name: opts.name ?? null, role: agencyRole, locale },
  };
}

export type TokenSpec<T extends string, R extends TenantRole, U extends string> = {
  /** A key of `users`, or `[tenant, role]` for one of `members`. */
  user: U | readonly [T, R];
  scope?: TokenScope;
  /** Every tenant the user can open (default), or some of the scenario's tenants. */
  tenants?: "all" | readonly T[];
  days?: number;
};

export type ScenarioSpec<T extends string, R extends TenantRole, U extends string, K extends string> = {
  /** The scenario's tenants, by the keys the test uses (each gets a unique name and subdomain). */
  tenants: readonly T[];
  /** Readable names (default: the key); a unique suffix is added. */
  names?: Partial<Record<T, string>>;
  /** Tenants that exist already (the migrations' bootcamp tenant): used as they are, not created. */
  existing?: Partial<Record<T, TenantRef>>;
  /** Tenants of kind `agency` (default `project`). */
  agency?: readonly T[];
  /** One member per role in every tenant: `s.members[tenant][role]`. */
  roles?: readonly R[];
  /** Other people, by name: agency staff, members of several tenants, disabled accounts… */
  users?: Record<U, UserSpec<T>>;
  /** Tenants that get one row of every exposed entity (`s.refs[tenant]`); `true` for all of them. */
  seed?: boolean | readonly T[];
  /** Personal access tokens, by name (`s.tokens[name]`), created with the createToken verb. */
  tokens?: Record<K, TokenSpec<T, R, U>>;
};

export type Scenario<
  T extends string,
  R extends TenantRole,
  U extends string,
  K extends string,
  P extends ScenarioUser,
> = {
  db: D1Database;
  tenants: Record<T, TenantRef>;
  /** Only for seeded tenants; reading another throws. */
  refs: Record<T, Refs>;
  members: Record<T, Record<R, P>>;
  users: Record<U, P>;
  tokens: Record<K, { id: string; token: string }>;
  /** The verb's context for `who` in `tenant`: their effective role there (FORBIDDEN-worthy null becomes an error). */
  ctx: (tenant: T, who: P | ScenarioUser) => Ctx;
  /** The context for `who` in `tenant` with an explicit role (for a person without access, as the gate would refuse). */
  ctxAs: (tenant: T, who: P | ScenarioUser, role: TenantRole) => Ctx;
  /** The system in `tenant`, with a tenant role (default admin). */
  system: (tenant: T, role?: TenantRole) => Ctx;
  /** Cross-tenant contexts (the CRM, one's own tokens and saved views). */
  crm: (who: P | ScenarioUser) => CrmCtx;
  /** The effective role of `who` in `tenant`, or null without access. */
  roleOf: (tenant: T, who: P | ScenarioUser) => TenantRole | null;
};

/**
 * Builds a scenario on `db`. `signIn` adds what a transport needs to each person (the worker's tests sign in
 * through the real route and keep the session token and cookie); without it, people are plain accounts.
 */
export async function scenario<
  const T extends string,
  const R extends TenantRole = never,
  const U extends string = never,
  const K extends string = never,
  X extends object = Record<never, never>,
>(
  db: D1Database,
  spec: ScenarioSpec<T, R, U, K>,
  signIn?: (user: ScenarioUser) => Promise<X>,
): Promise<Scenario<T, R, U, K, ScenarioUser & X>> {
  type P = ScenarioUser & X;
  const tenants = {} as Record<T, TenantRef>;
  for (const key of spec.tenants) {
    const existing = spec.existing?.[key];
    if (existing) {
      tenants[key] = existing;
      continue;
    }
    tenants[key] = await makeTenant(
      db,
      spec.names?.[key] ?? key,
      spec.agency?.includes(key) ? "agency" : "project",
    );
  }
  const refs = new Proxy({} as Record<T, Refs>, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (v === undefined && typeof prop === "string" && (spec.tenants as readonly string[]).includes(prop))
        throw new Error(`scenario: tenant "${prop}" was not seeded (add it to seed)`);
      return v;
    },
  });
  const seeded = spec.seed === true ? spec.tenants : spec.seed === false || !spec.seed ? [] : spec.seed;
  for (const key of seeded) refs[key] = await seedTenantData(db, tenants[key]);

  const memberships = new Map<number, Map<string, TenantRole>>();
  const person = async (opts: Parameters<typeof makeAccount>[1]): Promise<P> => {
    const account = await makeAccount(db, opts);
    memberships.set(account.id, new Map((opts?.memberships ?? []).map(([t, r]) => [t.id, r])));
    const extra =
      signIn && account.identity && (opts?.status ?? "active") === "active" ? await signIn(account) : null;
    return { ...account, ...extra } as P;
  };

  const members = {} as Record<T, Record<R, P>>;
  for (const key of spec.tenants) {
    const byRole = {} as Record<R, P>;
    for (const role of spec.roles ?? []) byRole[role] = await person({ memberships: [[tenants[key], role]] });
    members[key] = byRole;
  }
  const users = {} as Record<U, P>;
  for (const [name, u] of Object.entries(spec.users ?? {}) as Array<[U, UserSpec<T>]>) {
    users[name] = await person({
      ...(u.agency ? { agency: u.agency } : {}),
      ...(u.status ? { status: u.status } : {}),
      ...(u.name ? { name: u.name } : {}),
      ...(u.locale ? { locale: u.locale } : {}),
      memberships: (Object.entries(u.in ?? {}) as Array<[T, TenantRole]>).map(
        ([t, r]) => [tenants[t], r] as const,
      ),
    });
  }

  const roleOf = (tenant: T, who: ScenarioUser): TenantRole | null =>
    effectiveTenantRole(who.agencyRole, memberships.get(who.id)?.get(tenants[tenant].id) ?? null);
  const ctxAs = (tenant: T, who: ScenarioUser, role: TenantRole): Ctx => ({
    db,
    tenant: tenants[tenant],
    role,
    actor: { type: "user", userId: who.id, email: who.email, agencyRole: who.agencyRole },
    now: () => new Date(),
  });
  const ctx = (tenant: T, who: ScenarioUser): Ctx => {
    const role = roleOf(tenant, who);
    if (!role) throw new Error(`scenario: ${who.email} has no role in ${tenant}: use ctxAs() to force one`);
    return ctxAs(tenant, who, role);
  };
  const crm = (who: ScenarioUser): CrmCtx => ({ db, identity: who.identity, now: () => new Date() });

  const tokens = {} as Record<K, { id: string; token: string }>;
  for (const [name, t] of Object.entries(spec.tokens ?? {}) as Array<[K, TokenSpec<T, R, U>]>) {
    const owner: ScenarioUser | undefined =
      typeof t.user === "string" ? users[t.user as U] : members[t.user[0]][t.user[1]];
    if (!owner) throw new Error(`scenario: token "${name}" names an unknown user`);
    const made = await createToken({
      ctx: crm(owner),
      input: {
        name,
        expires_in_days: t.days ?? 30,
        scope: t.scope ?? "read",
        tenants: !t.tenants || t.tenants === "all" ? "all" : t.tenants.map((k) => tenants[k].subdomain),
      },
    });
    tokens[name] = { id: made.id, token: made.token };
  }

  return {
    db,
    tenants,
    refs,
    members,
    users,
    tokens,
    ctx,
    ctxAs,
    system: (tenant, role = "admin") => systemCtx(db, tenants[tenant], role),
    crm,
    roleOf,
  };
}
