/**
 * Property-based fuzzing of every HTTP route the worker has, as every kind of caller. The routes come from the
 * real route table (the bknd app built with our plugin: bknd's routes and ours), so a route added later is
 * fuzzed without being listed here; the coverage test fails if a route of the table was not fuzzed, or if one
 * was never reached (path parameters that never matched).
 *
 * Per run, fast-check (fixed seed) picks a caller (anonymous, each tenant role in A, agency staff, agency
 * admin), a tenant to name (A, B, junk, none), path parameters (A's ids, B's ids, junk), a query string (bknd
 * list options with where-clauses: operators, $or, dotted keys, huge $in lists, deep nesting, unicode,
 * limit=-1) and a body (adversarial JSON, where-clauses, mutated valid bodies). Every answer must be a 2xx/3xx
 * or a 4xx with a readable error, never a 5xx; no answer may carry anything of tenant B; B's rows never change.
 */
import { env } from "cloudflare:workers";
import {
  createRecord,
  entities,
  exposedEntityNames,
  type TenantRef,
  type TenantRole,
  tenantRoles,
} from "@fataplus/domain";
import { createApp } from "bknd/adapter/cloudflare";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  makeTenant,
  makeUser,
  type Refs,
  sampleCreate,
  sampleUpdate,
  seedTenantData,
  snapshotTenant,
  systemCtx,
  type TestUser,
  unique,
} from "../../../test/factories.ts";
import {
  expectNoLeak,
  expectReadableAnswer,
  FUZZ_RUNS,
  FUZZ_SEED,
  failureOf,
  nastyJson,
  nastyString,
  queryParams,
  whereClause,
} from "../../../test/fuzz.ts";
import { bkndConfig } from "../app.ts";

type Route = { method: string; path: string };
type Caller = "anonymous" | TenantRole | "agency_staff" | "agency_admin";
const callers: Caller[] = ["anonymous", ...tenantRoles, "agency_staff", "agency_admin"];

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let routes: Route[] = [];
const tokens = {} as Record<Exclude<Caller, "anonymous">, TestUser>;
const marker = unique("fuzzsecretb");
let bMarkers: string[] = [];
let bUser: TestUser;

/** Route table entries that are not endpoints: bknd's catch-alls and its admin UI's HTML shell. */
const notEndpoints = (r: Route) => r.method === "ALL" || r.path === "/*";

beforeAll(async () => {
  A = await makeTenant("Fuzz A");
  B = await makeTenant("Fuzz B");
  refsA = await seedTenantData(A);
  refsB = await seedTenantData(B);
  await createRecord({ ctx: systemCtx(B), input: { entity: "clients", data: { name: `${marker} client` } } });
  await createRecord({
    ctx: systemCtx(B),
    input: { entity: "tasks", data: { title: `${marker} task`, project_id: refsB.projects } },
  });
  for (const role of tenantRoles) tokens[role] = await makeUser({ memberships: [[A, role]] });
  tokens.agency_staff = await makeUser({ agencyRole: "staff", memberships: [[A, "project_manager"]] });
  tokens.agency_admin = await makeUser({ agencyRole: "admin" });
  bUser = await makeUser({ memberships: [[B, "admin"]] });
  const { results } = await env.DB.prepare(
    `SELECT name AS label FROM clients WHERE tenant_id = ?1 UNION ALL SELECT name FROM projects WHERE tenant_id = ?1
     UNION ALL SELECT title FROM tasks WHERE tenant_id = ?1 UNION ALL SELECT title FROM leads WHERE tenant_id = ?1`,
  )
    .bind(B.id)
    .all<{ label: string }>();
  bMarkers = [marker, B.id, bUser.email, ...Object.values(refsB), ...results.map((r) => r.label)];

  const app = await createApp(bkndConfig, { env: env as Env });
  const table = (app.server as unknown as { routes: Route[] }).routes;
  const seen = new Set<string>();
  for (const r of table) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key) || notEndpoints(r)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path });
  }
  // "Sign out everywhere" and signing out end the caller's sessions: those routes go last, "everywhere" (which
  // needs a live session) before the sign-outs (which answer without one).
  const last = [/sessions\/end-all/, /logout/];
  const rank = (r: { path: string }) => {
    const i = last.findIndex((re) => re.test(r.path));
    return i === -1 ? 0 : i + 1;
  };
  routes = [...routes].sort((a, b) => rank(a) - rank(b));
});

const allFields = [...new Set(exposedEntityNames.flatMap((e) => entities[e].fields))];

/** Ids of both tenants and junk, for path parameters and id-like values. */
const idLike = () =>
  fc.oneof(
    fc.constantFrom(...Object.values(refsA)),
    fc.constantFrom(...Object.values(refsB)),
    fc.constantFrom(A.id, B.id, A.subdomain, B.subdomain, crypto.randomUUID()),
    nastyString,
  );

function paramValue(name: string): fc.Arbitrary<string> {
  const base = name.replace(/\?$/, "");
  if (base === "entity")
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...exposedEntityNames) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("users", "memberships", "audit_log", "tenants", "access_tokens"),
      },
      { weight: 1, arbitrary: nastyString },
    );
  if (base === "reference")
    return fc.oneof(
      fc.constantFrom("project", "projects", "client", "tasks", "tenant", "users"),
      nastyString,
    );
  if (base === "module" || base === "context")
    return fc.oneof(fc.constantFrom("data", "auth", "server", "create", "update"), nastyString);
  return idLike().map(String);
}

/** The concrete path for a route pattern, with each `:param` (and `*`) filled. */
function pathArb(pattern: string): fc.Arbitrary<string> {
  const parts = pattern.split("/").map((seg) => {
    if (seg.startsWith(":")) return paramValue(seg.slice(1)).map((v) => encodeURIComponent(v));
    if (seg === "*")
      return fc.oneof(fc.constantFrom("x", "index", "schema.json"), nastyString.map(encodeURIComponent));
    return fc.constant(seg);
  });
  return fc.tuple(...parts).map((segs) => segs.join("/").replace(/\/+$/, "") || "/");
}

/** Bodies: adversarial JSON, where-clauses, and valid bodies of every entity with one field made hostile. */
function bodyArb(): fc.Arbitrary<string | undefined> {
  const mutatedValid = fc
    .tuple(fc.constantFrom(...exposedEntityNames), fc.boolean(), fc.constantFrom(...allFields), nastyJson)
    .map(([entity, create, field, value]) => ({
      ...(create ? sampleCreate(entity, refsA) : sampleUpdate(entity)),
      [field]: value,
    }));
  const json = fc.oneof(
    nastyJson,
    whereClause(allFields, idLike()),
    mutatedValid,
    fc.record({ update: mutatedValid, where: whereClause(allFields, idLike()) }),
    fc.array(mutatedValid, { maxLength: 3 }),
    fc.record({ email: nastyString, password: nastyString }),
    fc.record({
      name: nastyString,
      expires_in_days: fc.integer(),
      tenants: fc.oneof(fc.constant("all"), fc.array(idLike())),
    }),
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: nastyString },
    { weight: 6, arbitrary: json.map((v) => JSON.stringify(v) ?? "null") },
  );
}

const tenantArb = () =>
  fc.oneof(
    fc.constantFrom(
      A.subdomain,
      A.subdomain,
      A.id,
      B.subdomain,
      B.id,
      ` ${B.id} `,
      B.subdomain.toUpperCase(),
    ),
    fc.constant(undefined),
    nastyString,
  );

/** How many runs reached each route (an answer other than "no such route"). */
const reached = new Map<string, number>();
const fuzzed = new Set<string>();

async function runOnce(
  route: Route,
  input: {
    caller: Caller;
    path: string;
    query: string;
    tenant: string | undefined;
    body: string | undefined;
    contentType: string;
  },
) {
  const token = input.caller === "anonymous" ? undefined : tokens[input.caller].token;
  const url = `${input.path}${input.query ? `?${input.query}` : ""}`;
  const hasBody = input.body !== undefined && route.method !== "GET" && route.method !== "HEAD";
  const headers: Record<string, string> = hasBody ? { "content-type": input.contentType } : {};
  const res = await call(route.method, url, {
    ...(token ? { token } : {}),
    ...(input.tenant !== undefined && /^[\x20-\x7e]*$/.test(input.tenant) ? { tenant: input.tenant } : {}),
    ...(hasBody ? { rawBody: input.body } : {}),
    headers,
  });
  const text = await res.text();
  const what = `${input.caller} ${route.method} ${url.slice(0, 300)}`;
  expectReadableAnswer(res.status, text, what);
  const sent = `${url} ${input.tenant ?? ""} ${input.body ?? ""}`;
  // Agency staff and admins see every tenant by design (decision 004): the leak check is for everybody else.
  // The public tenant lookup answers a tenant's name and id by design (what a portal shows before sign-in).
  if (!input.caller.startsWith("agency_")) {
    const markers = route.path === "/api/public/tenant" ? bMarkers.filter((m) => m !== B.id) : bMarkers;
    expectNoLeak(text, markers, sent, what);
  }
  const key = `${route.method} ${route.path}`;
  fuzzed.add(key);
  const noRoute =
    res.status === 404 &&
    /no such (data )?route|not found/i.test(text) &&
    !/project|record|with this id/i.test(text);
  // Reached: a signed-in caller got past authentication to the route's own checks (or its answer).
  if (!noRoute && res.status !== 401) reached.set(key, (reached.get(key) ?? 0) + 1);
}

describe("fuzzing every route of the real route table", () => {
  it("the route table holds bknd's data routes and ours", () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toContain("GET /api/data/entity/:entity");
    expect(keys).toContain("POST /api/app/crm/projects");
    expect(keys).toContain("POST /api/system/mcp");
    expect(routes.length).toBeGreaterThan(50);
  });

  it("every route answers 2xx or a readable 4xx, shows nothing of B and changes nothing of B, as every caller", async () => {
    const before = await snapshotTenant(B.id);
    for (const route of routes) {
      const isData = route.path.startsWith("/api/data/");
      const out = await fc.check(
        fc.asyncProperty(
          fc.record({
            caller: fc.constantFrom(...callers),
            path: pathArb(route.path),
            query: queryParams(isData ? allFields : ["name", "status"], idLike()),
            tenant: tenantArb(),
            body: bodyArb(),
            contentType: fc.constantFrom(
              "application/json",
              "application/json",
              "application/json; charset=utf-8",
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x",
            ),
          }),
          (input) => runOnce(route, input),
        ),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
      );
      if (out.failed) throw new Error(`${route.method} ${route.path}: ${failureOf(out)}`);
    }
    expect(await snapshotTenant(B.id)).toBe(before);
  }, 600_000);

  it("coverage: every route of the table was fuzzed, and every API route was reached", () => {
    const all = routes.map((r) => `${r.method} ${r.path}`);
    expect([...fuzzed].sort()).toEqual([...all].sort());
    // Admin UI pages and bknd's routes the gate closes answer "not found"/refusals; every /api route we
    // serve must have been reached by some run (a path parameter matched, the handler ran).
    const ours = all.filter((k) => /\/api\/(app|data\/entity|auth|public|health|system\/mcp)/.test(k));
    const unreached = ours.filter((k) => (reached.get(k) ?? 0) === 0);
    expect(unreached).toEqual([]);
  });
});
