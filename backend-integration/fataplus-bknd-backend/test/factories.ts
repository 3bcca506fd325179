/**
 * Test factories. Every suite makes its own tenants and users through these (no shared seed), and talks to
 * the real worker (bknd + gate) through `exports.default.fetch`, on a real local D1.
 */

import { env, exports } from "cloudflare:workers";
import {
  type AgencyRole,
  type Ctx,
  createRecord,
  createTenant,
  type ExposedEntity,
  hashPassword,
  type TenantRef,
  type TenantRole,
  tenantOwnedTables,
} from "@fataplus/domain";

export const db = (): D1Database => env.DB;
export const PASSWORD = "Correct-horse-battery-9";
// A low iteration count keeps factories fast; the stored format carries it, and login verifies any count ≤ 100k.
const TEST_ITERATIONS = 1_000;

let counter = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeTenant(name = "Tenant"): Promise<TenantRef> {
  return createTenant({
    ctx: { db: db(), now: () => new Date() },
    input: { name: `${name} ${unique("")}`, subdomain: unique("t-") },
  });
}

export type TestUser = { id: number; email: string; token: string };

export async function makeUser(opts: {
  agencyRole?: AgencyRole;
  memberships?: Array<[TenantRef, TenantRole]>;
  login?: boolean;
}): Promise<TestUser> {
  const email = `${unique("u")}@example.test`;
  const hash = await hashPassword(PASSWORD, TEST_ITERATIONS);
  const row = await db()
    .prepare(
      "INSERT INTO users (email, strategy, strategy_value, role, status) VALUES (?, 'password', ?, ?, 'active') RETURNING id",
    )
    .bind(email, hash, opts.agencyRole ?? "member")
    .first<{ id: number }>();
  if (!row) throw new Error("user insert failed");
  for (const [tenant, role] of opts.memberships ?? []) {
    await db()
      .prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, ?)")
      .bind(tenant.id, row.id, role)
      .run();
  }
  const token = opts.login === false ? "" : await loginToken(email);
  return { id: row.id, email, token };
}

export async function loginToken(email: string, password = PASSWORD): Promise<string> {
  const res = await call("POST", "/api/auth/login", { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string };
  return body.token;
}

export function systemCtx(tenant: TenantRef, role: TenantRole = "admin"): Ctx {
  return { db: db(), tenant, role, actor: { type: "system", reason: "test" }, now: () => new Date() };
}

/** A valid create body for each exposed entity. `satisfies` makes a new entity fail to compile until added. */
export const sampleCreate = {
  clients: () => ({ kind: "organization", name: unique("Org ") }),
  projects: (refs: Refs) => ({ name: unique("Project "), client_id: refs.clients }),
  tasks: (refs: Refs) => ({ title: unique("Task "), project_id: refs.projects }),
  leads: (refs: Refs) => ({ title: unique("Lead "), client_id: refs.clients }),
} satisfies Record<ExposedEntity, (refs: Refs) => Record<string, unknown>>;

/** A valid update body for each exposed entity. */
export const sampleUpdate = {
  clients: () => ({ name: unique("Renamed ") }),
  projects: () => ({ name: unique("Renamed ") }),
  tasks: () => ({ title: unique("Renamed ") }),
  leads: () => ({ title: unique("Renamed ") }),
} satisfies Record<ExposedEntity, () => Record<string, unknown>>;

export type Refs = Record<ExposedEntity, string>;

/** One row of every exposed entity in the tenant, created in dependency order. */
export async function seedTenantData(tenant: TenantRef): Promise<Refs> {
  const ctx = systemCtx(tenant);
  const refs = {} as Refs;
  for (const entity of ["clients", "projects", "tasks", "leads"] as const) {
    const row = await createRecord({ ctx, input: { entity, data: sampleCreate[entity](refs) } });
    refs[entity] = row.id;
  }
  return refs;
}

export async function call(
  method: string,
  path: string,
  opts: {
    token?: string;
    tenant?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
  if (opts.tenant) headers.set("x-fataplus-tenant", opts.tenant);
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`https://bknd.test${path}`, {
      method,
      headers,
      redirect: "manual",
      ...(body !== undefined ? { body } : {}),
    }),
  );
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 300)}`);
  }
}

/** Left out of snapshots: the audit log and the active-day markers record visits, not the tenant's data. */
const NOT_SNAPSHOTTED = new Set<string>(["audit_log", "tenant_active_days"]);

/** A snapshot of every row a tenant owns, to prove that nothing of it changed. */
export async function snapshotTenant(tenantId: string): Promise<string> {
  const tables = tenantOwnedTables.filter((t) => !NOT_SNAPSHOTTED.has(t));
  const out: Record<string, unknown> = {};
  for (const t of tables) {
    const { results } = await db()
      .prepare(`SELECT * FROM ${t} WHERE tenant_id = ? ORDER BY id`)
      .bind(tenantId)
      .all();
    out[t] = results;
  }
  return JSON.stringify(out);
}

/** What an MCP Streamable HTTP client accepts. */
export const MCP_ACCEPT = { accept: "application/json, text/event-stream" } as const;

/** A JSON-RPC `tools/call` message. */
export const mcpTool = (name: string, args: Record<string, unknown>, id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

/** POST to the MCP endpoint, in a tenant (`?tenant=`) or none. A string body is sent as it is. */
export const mcpCall = (
  token: string,
  tenant: string | null,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  call("POST", `/api/system/mcp${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ""}`, {
    token,
    rawBody: typeof body === "string" ? body : JSON.stringify(body),
    headers: { ...MCP_ACCEPT, "content-type": "application/json", ...headers },
  });
