/**
 * Test factories. Every suite makes its own tenants and users (no shared seed), with `scenario()` from
 * `@fataplus/domain/testing` (the same factory the domain's own workerd tests use), and talks to the real worker
 * (bknd + gate) through `exports.default.fetch`, on a real local D1.
 *
 *   const s = await scenario({ tenants: ["A", "B"], seed: true, roles: tenantRoles, users: { staff: { agency: "staff" } } });
 *   call("GET", "/api/data/tasks", { token: s.members.A.client.token, tenant: s.tenants.A.subdomain })
 */

import { env, exports } from "cloudflare:workers";
import {
  type AgencyRole,
  type Ctx,
  type TenantRef,
  type TenantRole,
  tenantOwnedTables,
} from "@fataplus/domain";
import {
  scenario as domainScenario,
  makeAccount,
  PASSWORD,
  type ScenarioSpec,
  type ScenarioUser,
  seedTenantData as seedOn,
  systemCtx as systemOn,
  makeTenant as tenantOn,
} from "@fataplus/domain/testing";

export {
  labelsOf,
  PASSWORD,
  type Refs,
  sampleCreate,
  sampleUpdate,
  toolCases,
  toolNamesWhere,
  unique,
} from "@fataplus/domain/testing";

export const db = (): D1Database => env.DB;

/** A person signed in through the real route: their session token (Bearer) and cookie. */
export type TestUser = ScenarioUser & { token: string; cookie: string };

/** Signs in through POST /api/auth/login, as the site does. */
export async function signIn(email: string, password = PASSWORD): Promise<{ token: string; cookie: string }> {
  const res = await call("POST", "/api/auth/login", { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { token: body.token, cookie };
}

/**
 * A scenario on the worker's D1 (tenants, people per role, seeded rows, tokens; see @fataplus/domain/testing),
 * with every active person signed in (`token`, `cookie`) unless `login: false`.
 */
export function scenario<
  const T extends string,
  const R extends TenantRole = never,
  const U extends string = never,
  const K extends string = never,
>(spec: ScenarioSpec<T, R, U, K>, opts: { login?: boolean } = {}) {
  const login = opts.login ?? true;
  return domainScenario<T, R, U, K, { token: string; cookie: string }>(db(), spec, (u) =>
    login ? signIn(u.email) : Promise.resolve({ token: "", cookie: "" }),
  );
}

/** One tenant (unique name and subdomain). Prefer `scenario()` for a suite's setup. */
export async function makeTenant(
  name = "Tenant",
  kind: "agency" | "project" = "project",
): Promise<TenantRef> {
  return tenantOn(db(), name, kind);
}

/** One person, signed in unless `login: false`. Prefer `scenario()` for a suite's setup. */
export async function makeUser(opts: {
  agencyRole?: AgencyRole;
  memberships?: Array<[TenantRef, TenantRole]>;
  login?: boolean;
}): Promise<TestUser> {
  const account = await makeAccount(db(), {
    ...(opts.agencyRole ? { agency: opts.agencyRole } : {}),
    memberships: opts.memberships ?? [],
  });
  const session = opts.login === false ? { token: "", cookie: "" } : await signIn(account.email);
  return { ...account, ...session };
}

/** The session row a session token names (its `sid` claim, decision 022). */
export function sessionIdOf(token: string): string {
  const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")));
  if (typeof payload?.sid !== "string") throw new Error("not a session token");
  return payload.sid;
}

export async function loginToken(email: string, password = PASSWORD): Promise<string> {
  return (await signIn(email, password)).token;
}

export function systemCtx(tenant: TenantRef, role: TenantRole = "admin"): Ctx {
  return systemOn(db(), tenant, role);
}

/** One row of every exposed entity in the tenant, created in dependency order. */
export function seedTenantData(tenant: TenantRef) {
  return seedOn(db(), tenant);
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
