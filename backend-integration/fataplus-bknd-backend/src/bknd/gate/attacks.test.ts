/**
 * Adversarial tests against the tenant gate and the auth routes. A user of tenant A tries to read, count, infer,
 * change or move tenant B's data through every surface of the worker (REST auto-CRUD and its aliases, fn/count,
 * fn/exists, bulk writes, /query, MCP, admin UI, auth, media, flows), with path, method, query-string, JSON,
 * content-type, token and concurrency tricks. Each test asserts what must hold; B's rows are compared with a
 * snapshot after every test.
 */
import { env } from "cloudflare:workers";
import { createInvitation, hashPassword, type TenantRef, THROTTLE } from "@fataplus/domain";
import { sign } from "hono/jwt";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  call,
  db,
  json,
  MCP_ACCEPT,
  makeTenant,
  makeUser,
  mcpTool,
  PASSWORD,
  type Refs,
  seedTenantData,
  sessionIdOf,
  snapshotTenant,
  systemCtx,
  type TestUser,
  unique,
} from "../../../test/factories.ts";
import { makeAccessToken, patCall } from "../../../test/mcp-factories.ts";

type ErrorBody = { error: { code: string; message: string } };
type ListBody = { data: Array<Record<string, unknown>> };

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let pmA: TestUser; // project manager of A
let clientA: TestUser; // client of A
let clientB: TestUser; // client of B (for cookie/bearer mixing)
let staff: TestUser; // agency staff (project manager everywhere, never admin surfaces)
let agencyAdmin: TestUser;
let bSnapshot: string;

const SECRET = (env as unknown as { JWT_SECRET: string }).JWT_SECRET;
const inA = () => ({ token: pmA.token, tenant: A.subdomain });
const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
const OR_ALL = { $or: { id: { $ne: "" } } };
let ipCounter = 0;
/** A fresh client IP for every failed login, so that this file never trips the per-IP limit by accident. */
const freshIp = () => `192.0.2.${(ipCounter++ % 250) + 1}`;

beforeAll(async () => {
  A = await makeTenant("Attack A");
  B = await makeTenant("Attack B");
  refsA = await seedTenantData(A);
  refsB = await seedTenantData(B);
  pmA = await makeUser({ memberships: [[A, "project_manager"]] });
  clientA = await makeUser({ memberships: [[A, "client"]] });
  clientB = await makeUser({ memberships: [[B, "client"]] });
  staff = await makeUser({ agencyRole: "staff" });
  agencyAdmin = await makeUser({ agencyRole: "admin" });
  bSnapshot = await snapshotTenant(B.id);
});

afterEach(async () => {
  // Whatever the attack was, nothing of B changed.
  expect(await snapshotTenant(B.id)).toBe(bSnapshot);
});

/** Markers of B's data: its id and every seeded row id. */
const bMarkers = () => [B.id, ...Object.values(refsB)];

/** Reads the body and asserts that nothing of B is in it. Returns the text. */
async function expectNoLeak(res: Response): Promise<string> {
  const text = await res.text();
  for (const m of bMarkers()) expect(text, `response leaks ${m}`).not.toContain(m);
  expect(text).not.toContain(SECRET);
  return text;
}

/** A 4xx from the gate: JSON with our error envelope, a readable message and no internals. */
async function expectGate4xx(res: Response, statuses: number[]): Promise<ErrorBody> {
  expect(statuses, `unexpected status ${res.status}`).toContain(res.status);
  const text = await expectNoLeak(res);
  expect(text).not.toMatch(/\bat\s+\S+\s+\(|\.ts:\d+|D1_ERROR|SQLITE/);
  const body = JSON.parse(text) as ErrorBody;
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(5);
  return body;
}

const rowsOf = async (res: Response) => (await json<ListBody>(res)).data;

function expectOnlyA(rows: Array<Record<string, unknown>>) {
  for (const r of rows) {
    if (r.tenant_id !== undefined) expect(r.tenant_id).toBe(A.id);
    expect(bMarkers()).not.toContain(String(r.id));
  }
}

const mcp = (token: string, query: string, body: unknown, headers: Record<string, string> = {}) =>
  call("POST", `/api/system/mcp${query}`, {
    token,
    rawBody: typeof body === "string" ? body : JSON.stringify(body),
    headers: { ...MCP_ACCEPT, "content-type": "application/json", ...headers },
  });
const tool = mcpTool;

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const now = () => Math.floor(Date.now() / 1000);
/** The claims of a session token of `u`: its own session row (decision 022), so only `extra` is forged. */
const claimsOf = (u: TestUser, extra: Record<string, unknown> = {}) => ({
  id: u.id,
  sid: sessionIdOf(u.token),
  email: u.email,
  role: "member",
  iat: now() - 10,
  exp: now() + 600,
  iss: "fataplus",
  ...extra,
});

async function loginRaw(body: unknown, ip = freshIp(), path = "/api/auth/login") {
  return call("POST", path, { body, headers: { "cf-connecting-ip": ip } });
}

// ---------------------------------------------------------------------------------------------------------------
describe("paths and methods", () => {
  it("case variants of /api and /admin never reach bknd's data or admin routes", async () => {
    for (const path of [
      "/API/data/entity/tasks",
      "/Api/data/entity/tasks",
      "/api/DATA/entity/tasks",
      "/api/Data/entity/tasks",
      `/API/data/entity/tasks/${refsB.tasks}`,
      "/api/data/Entity/tasks",
      "/api/data/entity/TASKS",
      "/api/data/entity/Tasks/query",
      "/ADMIN",
      "/Admin/data",
      "/API/system/config",
      "/api/SYSTEM/config",
      "/api/system/MCP",
      "/api",
      "/api;/data/entity/tasks",
      "/apix/data/entity/tasks",
      "/admin;/data",
      "/admin;x",
      "/adminx",
      "/admin-x/data",
      "/flow/x",
    ]) {
      for (const opts of [{}, inA()]) {
        const res = await call("GET", path, opts);
        expect(res.status, `${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path}`).toBeLessThan(500);
        const text = await expectNoLeak(res);
        expect(text).not.toContain("__BKND__");
        expect(text).not.toContain('"data"');
      }
    }
  });

  it("trailing slashes, matrix params, dot segments, backslashes and encoded characters reach nothing of B", async () => {
    const t = refsB.tasks;
    const paths = [
      `/api/data/entity/tasks/${t}/`,
      `/api/data/entity/tasks/${t};x=1`,
      `/api/data/entity/tasks;tenant=${B.id}`,
      `/api/data/entity/tasks;/${t}`,
      `/api/data/entity/x/../tasks/${t}`,
      `/api/data/entity/./tasks/${t}`,
      `/api/data/entity\\tasks\\${t}`,
      `/api/data/entity/tasks%2F${t}`,
      `/api/data/entity/tasks/${t}%00`,
      `/api/data/entity/tasks/${t}%20`,
      `/api/data/entity//tasks/${t}`,
      `/api/data/entity/tasks/${t}/..`,
      `/api/data/tasks/${t}/`,
      `/api/data/tasks;x/${t}`,
      `/api/data/entity/tasks/${t}/projects`,
      `/api/data/entity/projects/${refsB.projects}/tasks`,
      "/api/data/info/tasks",
      "/api/data/schema.json",
      "/api/data/types",
      "/api/data/schemas/tasks",
      "/api/data/entity/tasks/fn/count",
    ];
    for (const path of paths) {
      const res = await call("GET", path, inA());
      if (res.status === 200) {
        // only a list of A can come back (e.g. "/./" normalised away to a list)
        const text = await expectNoLeak(res);
        const body = JSON.parse(text) as ListBody;
        expect(Array.isArray(body.data), path).toBe(true);
        expectOnlyA(body.data);
      } else {
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
        await expectNoLeak(res);
      }
    }
    // The same tricks on writes change nothing (afterEach) and answer 4xx.
    for (const [method, path, body] of [
      ["PATCH", `/api/data/entity/tasks/${t}/`, { title: "pwned" }],
      ["PATCH", `/api/data/entity/tasks/${t};x`, { title: "pwned" }],
      ["DELETE", `/api/data/entity/tasks/${t}/`, undefined],
      ["DELETE", `/api/data/entity/tasks%2F${t}`, undefined],
      ["PUT", `/api/data/tasks/${t}/`, { title: "pwned" }],
      ["DELETE", `/api/data/tasks/${t}`, undefined],
      ["PUT", `/api/data/tasks/${t}`, { title: "pwned" }],
      ["POST", `/api/data/entity/tasks/${t}`, { title: "pwned" }],
      ["PUT", `/api/data/entity/tasks/${t}`, { title: "pwned" }],
      ["PATCH", `/api/data/tasks/${t}`, { title: "pwned" }],
      ["PATCH", "/api/data/tasks", { update: { title: "pwned" }, where: OR_ALL }],
      ["DELETE", "/api/data/tasks", OR_ALL],
      ["PUT", "/api/data/tasks", { update: { title: "pwned" }, where: OR_ALL }],
    ] as const) {
      const res = await call(method, path, { ...inA(), body });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      await expectNoLeak(res);
    }
  });

  it("HEAD answers without data, and never for routes the caller may not use", async () => {
    for (const path of [
      `/api/data/entity/tasks/${refsB.tasks}`,
      "/api/data/entity/tasks",
      "/api/system/config",
      "/admin",
      "/api/media/files",
    ]) {
      const res = await call("HEAD", path, inA());
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it("OPTIONS (with or without Origin) never runs a route: no data, no tool call, no secret", async () => {
    const rpc = JSON.stringify(tool("auth_user_token", { email: agencyAdmin.email }));
    for (const path of [
      `/api/data/entity/tasks?tenant=${B.id}`,
      `/api/data/entity/tasks/${refsB.tasks}`,
      "/api/data/entity/users",
      "/api/system/config?secrets=true",
      "/api/system/mcp?explain=1",
      "/api/system/mcp",
      "/api/auth/password/register",
      "/api/flows/x",
    ]) {
      const origins: Array<Record<string, string>> = [
        {},
        { origin: "https://evil.example" },
        { origin: "https://fata.plus" },
      ];
      for (const headers of origins) {
        const res = await call("OPTIONS", path, {
          token: pmA.token,
          rawBody: rpc,
          headers: { ...headers, "content-type": "application/json" },
        });
        // a preflight from a foreign origin is refused; our own origin, or none, gets an empty 204
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(
          headers.origin === "https://evil.example" ? 403 : 204,
        );
        const text = await expectNoLeak(res);
        expect(text).not.toContain("eyJ"); // no minted token
        expect(text).not.toContain("tools");
      }
    }
  });

  it("method-override headers and parameters do not turn a read into a write", async () => {
    const aBefore = await snapshotTenant(A.id);
    for (const h of ["x-http-method-override", "x-http-method", "x-method-override"]) {
      for (const m of ["DELETE", "PATCH", "PUT"]) {
        const res = await call("POST", "/api/data/entity/tasks/query", {
          ...inA(),
          headers: { [h]: m },
          body: { where: { id: refsA.tasks } },
        });
        expect(res.status).toBe(200);
        expectOnlyA(await rowsOf(res));
        const get = await call("GET", `/api/data/entity/tasks/${refsA.tasks}`, {
          ...inA(),
          headers: { [h]: m },
        });
        expect(get.status).toBe(200);
        await get.text();
      }
    }
    for (const q of ["_method=DELETE", "method=DELETE", "__method=PATCH"]) {
      // /query drops its query string: at most an A-only read
      const query = await call("POST", `/api/data/entity/tasks/query?${q}`, { ...inA(), body: {} });
      if (query.status === 200) expectOnlyA(await rowsOf(query));
      else await expectGate4xx(query, [400]);
      await expectGate4xx(await call("DELETE", `/api/data/entity/tasks/${refsA.tasks}?${q}`, inA()), [400]);
      await expectGate4xx(
        await call("POST", `/api/data/entity/tasks/fn/count?${q}`, { ...inA(), body: {} }),
        [400],
      );
      await expectGate4xx(await call("GET", `/api/data/entity/tasks/${refsA.tasks}?${q}`, inA()), [400]);
    }
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("query-string tricks", () => {
  it("duplicate where/limit/select/tenant parameters cannot smuggle a second, unchecked value", async () => {
    // each trick's one right answer: refused (400), or answered with the last value only, A's rows alone (200)
    const queries: Array<[string, 200 | 400]> = [
      [`where=${enc({ id: refsA.tasks })}&where=${enc(OR_ALL)}`, 400],
      [`where=${enc(OR_ALL)}&where=${enc({ id: refsA.tasks })}`, 200],
      [`where=${enc({ id: refsB.tasks })}&where=${enc({ id: refsB.tasks })}`, 200],
      [`limit=1&limit=100000`, 200],
      [`select=id&select=id,tenant_id&select=title`, 200],
      [`tenant=${A.subdomain}&tenant=${B.subdomain}`, 200],
      [`tenant=${B.subdomain}&tenant=${A.subdomain}`, 200],
      [`where[id][$ne]=x`, 400],
      [`where[$or][id][$ne]=`, 400],
      [`wh%65re=${enc(OR_ALL)}`, 400],
      [`where=${enc({ id: { $ne: "" } })}&with=projects`, 400],
      [`where=${enc({ id: { $ne: "" } })}&join=projects`, 400],
      [`sort=-created_at&sort=${enc({ by: "tenant_id" })}`, 400],
    ];
    for (const [q, status] of queries) {
      const res = await call("GET", `/api/data/entity/tasks?${q}`, inA());
      expect(res.status, q).toBe(status);
      if (status === 200) {
        const text = await expectNoLeak(res);
        expectOnlyA((JSON.parse(text) as ListBody).data);
      } else await expectGate4xx(res, [400]);
    }
  });

  it("the tenant from x-fataplus-tenant wins over ?tenant=, and a disagreement never widens access", async () => {
    // header B (no membership), query A (member): refused, the header is the tenant
    await expectGate4xx(
      await call("GET", `/api/data/entity/tasks?tenant=${A.subdomain}`, {
        token: pmA.token,
        tenant: B.subdomain,
      }),
      [403],
    );
    // header A (member), query B: scoped to A
    const res = await call("GET", `/api/data/entity/tasks?tenant=${B.id}`, inA());
    expect(res.status).toBe(200);
    const rows = await rowsOf(res);
    expect(rows.length).toBeGreaterThan(0);
    expectOnlyA(rows);
    // header A, query B on a single row of B: not found in A
    await expectGate4xx(
      await call("GET", `/api/data/entity/tasks/${refsB.tasks}?tenant=${B.id}`, inA()),
      [404],
    );
    // a header sent twice is one combined value that names no tenant
    const twice = new Headers({ authorization: `Bearer ${pmA.token}` });
    twice.append("x-fataplus-tenant", A.subdomain);
    twice.append("x-fataplus-tenant", B.subdomain);
    await expectGate4xx(
      await call("GET", "/api/data/entity/tasks", { headers: Object.fromEntries(twice) }),
      [403],
    );
  });

  it("tenant references by id, subdomain, case and padding resolve to the same membership check", async () => {
    for (const ref of [
      B.id,
      B.subdomain,
      B.subdomain.toUpperCase(),
      ` ${B.subdomain} `,
      B.id.toLowerCase(),
    ]) {
      await expectGate4xx(
        await call("GET", `/api/data/entity/tasks?tenant=${encodeURIComponent(ref)}`, { token: pmA.token }),
        [403],
      );
      await expectGate4xx(
        await call("POST", "/api/data/entity/tasks/fn/count", { token: pmA.token, tenant: ref, body: {} }),
        [403],
      );
    }
    for (const ref of [A.id, A.subdomain.toUpperCase(), ` ${A.subdomain}`]) {
      const res = await call("GET", `/api/data/entity/tasks?tenant=${encodeURIComponent(ref)}`, {
        token: pmA.token,
      });
      expect(res.status, ref).toBe(200);
      expectOnlyA(await rowsOf(res));
    }
    // SQL wildcards and injections in the tenant reference are plain values
    for (const ref of [
      "%",
      "_%",
      `${B.subdomain.slice(0, -1)}_`,
      `' OR 1=1 --`,
      `${A.subdomain}' OR subdomain='${B.subdomain}`,
    ]) {
      await expectGate4xx(
        await call("GET", `/api/data/entity/tasks?tenant=${encodeURIComponent(ref)}`, { token: pmA.token }),
        [403],
      );
    }
  });

  it("sort and select accept only the entity's own column names", async () => {
    const bad = [
      "sort=name;DROP TABLE tasks",
      "sort=-created_at,tenant_id",
      "sort=(SELECT 1)",
      `sort=${enc({ by: "title", dir: "asc; DROP TABLE tasks" })}`,
      `sort=${enc({ by: "projects.tenant_id" })}`,
      "sort=random()",
      "select=*",
      "select=id,(select count(*) from tasks)",
      "select=tasks.*",
      "select=project.tenant_id",
      "select=id,TENANT_ID",
      "select=",
    ];
    for (const q of bad) {
      const res = await call("GET", `/api/data/entity/tasks?${q}`, inA());
      if (q === "select=") {
        // an empty select is no select: a normal list of A
        expect(res.status).toBe(200);
        expectOnlyA(await rowsOf(res));
        continue;
      }
      await expectGate4xx(res, [400]);
    }
    for (const body of [
      { sort: { by: "title", dir: "desc", nulls: "first" } },
      { sort: ["title"] },
      { select: ["id", "tenant_id; DROP TABLE tasks"] },
      { select: "id,(select 1)" },
      { with: { project: {} } },
      { join: ["project"] },
      { where: {}, limit: 5, offset: 0, extra: true },
    ]) {
      await expectGate4xx(await call("POST", "/api/data/entity/tasks/query", { ...inA(), body }), [400]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("JSON tricks", () => {
  const rawPost = (method: string, path: string, raw: string, contentType = "application/json") =>
    call(method, path, { ...inA(), rawBody: raw, headers: { "content-type": contentType } });

  it("duplicate keys, escaped keys and __proto__ cannot sneak $or, tenant_id or relations in", async () => {
    const id = refsA.tasks;
    const attempts: Array<[string, string, string]> = [
      ["POST", "/api/data/entity/tasks/query", `{"where":{"id":"${id}","$or":{"id":{"$ne":""}}}}`],
      [
        "POST",
        "/api/data/entity/tasks/query",
        `{"where":{"id":"${id}"},"where":{"\\u0024or":{"id":{"$ne":""}}}}`,
      ],
      ["POST", "/api/data/entity/tasks/query", `{"where":{"\\u0024or":{"id":{"$ne":""}}}}`],
      [
        "POST",
        "/api/data/entity/tasks/query",
        `{"where":{"id":{"\\u0024ne":""},"tenant\\u005fid":"${B.id}"}}`,
      ],
      ["POST", "/api/data/entity/tasks/query", `{"where":{"__proto__":{"$or":{"id":{"$ne":""}}}}}`],
      ["POST", "/api/data/entity/tasks/query", `{"__proto__":{"with":{"project":{}}},"where":{}}`],
      ["POST", "/api/data/entity/tasks/query", `{"where":{"constructor":{"prototype":{"x":1}}}}`],
      ["POST", "/api/data/entity/tasks/fn/count", `{"$or":{"id":{"$ne":""}},"id":"${id}"}`],
      [
        "POST",
        "/api/data/entity/tasks/fn/count",
        `{"id":"${id}","tenant_id":"${B.id}","tenant_id":"${A.id}"}`,
      ],
      [
        "POST",
        "/api/data/entity/tasks/fn/exists",
        `{"id":{"$eq":"${refsB.tasks}"},"\\u0074enant_id":"${B.id}"}`,
      ],
      ["POST", "/api/data/entity/clients", `{"name":"dup","tenant_id":"${A.id}","tenant_id":"${B.id}"}`],
      ["POST", "/api/data/entity/clients", `{"name":"esc","tenant\\u005fid":"${B.id}"}`],
      ["POST", "/api/data/entity/clients", `{"name":"proto","__proto__":{"tenant_id":"${B.id}"}}`],
      [
        "PATCH",
        `/api/data/entity/clients/${refsA.clients}`,
        `{"name":"x","__proto__":{"tenant_id":"${B.id}"}}`,
      ],
      ["PATCH", `/api/data/entity/clients/${refsA.clients}`, `{"name":"x","id":"${refsB.clients}"}`],
      [
        "PATCH",
        "/api/data/entity/tasks",
        `{"update":{"title":"pwned"},"where":{"id":"${id}"},"where":{"$or":{"id":{"$ne":""}}}}`,
      ],
      [
        "PATCH",
        "/api/data/entity/tasks",
        `{"update":{"title":"pwned"},"where":{"id":"${id}"},"__proto__":{"x":1}}`,
      ],
      ["DELETE", "/api/data/entity/tasks", `{"id":"${refsB.tasks}","$or":{"id":{"$ne":""}}}`],
    ];
    for (const [method, path, raw] of attempts) {
      // every trick is refused as a bad body: duplicate keys, escapes and prototype keys included
      const res = await rawPost(method, path, raw);
      expect(res.status, `${method} ${path} ${raw}`).toBe(400);
      await expectGate4xx(res, [400]);
    }
    // whatever was accepted landed in A
    const stray = await db()
      .prepare("SELECT count(*) AS n FROM clients WHERE tenant_id = ? AND name IN ('dup', 'esc', 'proto')")
      .bind(B.id)
      .first<{ n: number }>();
    expect(stray?.n).toBe(0);
  });

  it("operators nested inside field conditions are refused", async () => {
    for (const where of [
      { id: { $or: { $ne: "" } } },
      { id: { $and: [{ $ne: "" }] } },
      { id: { $eq: { $ne: "" } } },
      { id: { $in: [{ $ne: "" }] } },
      { id: { $ne: ["", ""] } },
      { id: { $between: ["", { $ne: "" }] } },
      { id: { $regex: ".*" } },
      { id: { $not: { $eq: "" } } },
      { id: { $isnull: { $or: 1 } } },
      { id: [refsB.tasks] },
      { id: {} },
      { title: { $like: { $ne: "" } } },
      { "tenant_id ": B.id },
      { TENANT_ID: B.id },
      { "project.tenant_id": B.id },
      { project_id: { $in: [refsB.projects] }, $and: [{ tenant_id: B.id }] },
    ]) {
      for (const [method, path, body] of [
        ["POST", "/api/data/entity/tasks/query", { where }],
        ["POST", "/api/data/entity/tasks/fn/count", where],
        ["POST", "/api/data/entity/tasks/fn/exists", where],
        ["PATCH", "/api/data/entity/tasks", { update: { title: "pwned" }, where }],
        ["DELETE", "/api/data/entity/tasks", where],
      ] as const) {
        await expectGate4xx(await call(method, path, { ...inA(), body }), [400]);
      }
      await expectGate4xx(await call("GET", `/api/data/entity/tasks?where=${enc(where)}`, inA()), [400]);
    }
  });

  it("a where-clause sent as a JSON string inside JSON is validated like an object", async () => {
    const inner = JSON.stringify(OR_ALL);
    for (const [method, path, body] of [
      ["POST", "/api/data/entity/tasks/fn/count", inner],
      ["POST", "/api/data/entity/tasks/query", { where: inner }],
      ["PATCH", "/api/data/entity/tasks", { update: { title: "pwned" }, where: inner }],
      ["DELETE", "/api/data/entity/tasks", inner],
    ] as const) {
      await expectGate4xx(await call(method, path, { ...inA(), body }), [400]);
    }
  });

  it("where-clauses past D1's 100 bound parameters get a 4xx, not bknd's 500", async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => crypto.randomUUID().slice(0, 8) + i);
    for (const where of [
      { id: { $in: values(100) } }, // the documented maximum of one list
      { id: { $notin: values(100) } },
      { id: { $in: values(60) }, title: { $in: values(60) } },
    ]) {
      for (const [method, path, body] of [
        ["POST", "/api/data/entity/tasks/query", { where }],
        ["POST", "/api/data/entity/tasks/fn/count", where],
        ["PATCH", "/api/data/entity/tasks", { update: { title: "pwned" }, where }],
        ["DELETE", "/api/data/entity/tasks", where],
      ] as const) {
        const res = await call(method, path, { ...inA(), body });
        const label = `${method} ${path} ${Object.keys(where).join("+")}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status >= 400) await expectGate4xx(res, [400]);
        else await expectNoLeak(res);
      }
    }
  });

  it("deeply nested, huge and extreme-number bodies give a 4xx, never a 5xx", async () => {
    const deep = `${'{"id":'.repeat(20_000)}1${"}".repeat(20_000)}`;
    const deepArray = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
    for (const [method, path, raw] of [
      ["POST", "/api/data/entity/tasks/query", `{"where":${deep}}`],
      ["POST", "/api/data/entity/tasks/fn/count", deep],
      ["POST", "/api/data/entity/tasks", deepArray],
      ["DELETE", "/api/data/entity/tasks", deepArray],
      ["POST", "/api/data/entity/tasks/query", `{"limit":1e400}`],
      ["POST", "/api/data/entity/tasks/query", `{"offset":-1e400}`],
      ["POST", "/api/data/entity/tasks/query", `{"limit":1.5}`],
      ["POST", "/api/data/entity/projects", `{"name":"big","budget_cents":1e400}`],
      ["POST", "/api/data/entity/projects", `{"name":"big","budget_cents":-0.0000001}`],
      [
        "POST",
        "/api/data/entity/tasks",
        `{"title":"t","project_id":"${refsA.projects}","assignee_id":1e400}`,
      ],
      ["POST", "/api/data/entity/tasks", `{"title":"t","project_id":"${refsA.projects}","assignee_id":-1}`],
      ["POST", "/api/data/entity/clients", JSON.stringify({ name: "x".repeat(300_000) })],
      ["POST", "/api/auth/login", deep],
      ["POST", "/api/auth/invitations/accept", deep],
    ] as const) {
      const res = await call(method, path, {
        ...inA(),
        rawBody: raw,
        headers: { "content-type": "application/json" },
      });
      expect(res.status, `${method} ${path} ${raw.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${raw.slice(0, 40)}`).toBeLessThan(500);
      await expectNoLeak(res);
    }
    // very large limits and offsets in the query string are capped or refused, never a 5xx
    for (const q of ["limit=1e400", "limit=9007199254740993", "offset=1e308", "limit=0x10", "offset=-0"]) {
      const res = await call("GET", `/api/data/entity/tasks?${q}`, inA());
      expect(res.status, q).toBeLessThan(500);
      if (res.status === 200) expectOnlyA(await rowsOf(res));
      else await expectGate4xx(res, [400]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("content types", () => {
  it("non-JSON bodies on data routes are refused and change nothing", async () => {
    const aBefore = await snapshotTenant(A.id);
    const form = new URLSearchParams({ name: "form", tenant_id: B.id }).toString();
    const multipart =
      '--X\r\nContent-Disposition: form-data; name="name"\r\n\r\nmulti\r\n--X\r\nContent-Disposition: form-data; name="tenant_id"\r\n\r\n' +
      `${B.id}\r\n--X--\r\n`;
    for (const [method, path] of [
      ["POST", "/api/data/entity/clients"],
      ["PATCH", `/api/data/entity/clients/${refsA.clients}`],
      ["PATCH", "/api/data/entity/clients"],
      ["DELETE", "/api/data/entity/clients"],
      ["POST", "/api/data/entity/clients/query"],
      ["POST", "/api/data/entity/clients/fn/count"],
      ["POST", "/api/data/clients"],
      ["PUT", `/api/data/clients/${refsA.clients}`],
    ] as const) {
      for (const [ct, raw] of [
        ["application/x-www-form-urlencoded", form],
        ["multipart/form-data; boundary=X", multipart],
        ["text/plain", "name=plain"],
        ["application/xml", "<name>x</name>"],
      ] as const) {
        const res = await call(method, path, { ...inA(), rawBody: raw, headers: { "content-type": ct } });
        await expectGate4xx(res, [415]);
      }
    }
    // JSON in a text/plain or form content type is refused before anything reads it (bknd would parse it)
    for (const ct of ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream"]) {
      const create = await call("POST", "/api/data/entity/clients", {
        ...inA(),
        rawBody: JSON.stringify({ name: "ct", tenant_id: B.id }),
        headers: { "content-type": ct },
      });
      await expectGate4xx(create, [415]);
      const patch = await call("PATCH", "/api/data/entity/tasks", {
        ...inA(),
        rawBody: JSON.stringify({ update: { title: "pwned" }, where: OR_ALL }),
        headers: { "content-type": ct },
      });
      await expectGate4xx(patch, [415]);
    }
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("bulk create", () => {
  it("an array mixing valid items with one that points into B (or names B) writes nothing at all", async () => {
    const aBefore = await snapshotTenant(A.id);
    const ok = (i: number) => ({ title: `mix ${i}`, project_id: refsA.projects });
    // a reference outside the tenant is 422 (valid shape, unknown here); anything the schema refuses is 400
    const mixes: Array<[unknown, 400 | 422]> = [
      [{ title: "into B", project_id: refsB.projects }, 422],
      [{ title: "names B", project_id: refsA.projects, tenant_id: B.id }, 400],
      [{ title: "has id", project_id: refsA.projects, id: refsB.tasks }, 400],
      [{ title: "assignee of B", project_id: refsA.projects, assignee_id: clientB.id }, 422],
      [[ok(9)], 400],
      ["not an object", 400],
      [null, 400],
    ];
    for (const [bad, status] of mixes) {
      for (const path of ["/api/data/entity/tasks", "/api/data/tasks"]) {
        const res = await call("POST", path, { ...inA(), body: [ok(1), ok(2), bad, ok(3)] });
        await expectGate4xx(res, [status]);
      }
    }
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });

  it("creates over MCP are checked the same way (bknd's insert tool is gone; our create_task checks references)", async () => {
    const aBefore = await snapshotTenant(A.id);
    // a session reaches no MCP tool at all (decision 006)
    const viaSession = await mcp(
      pmA.token,
      `?tenant=${A.subdomain}`,
      tool("data_entity_insert", {
        entity: "tasks",
        json: [{ title: "into B", project_id: refsB.projects }],
      }),
    );
    expect(viaSession.status).toBe(403);
    await expectNoLeak(viaSession);
    const pat = await makeAccessToken(pmA, { scope: "write", tenants: [A] });
    const res = await patCall(
      pat.token,
      tool("create_task", { title: "into B", project_id: refsB.projects }),
      { query: `?tenant=${A.subdomain}` },
    );
    const text = await expectNoLeak(res);
    expect(text).toContain('"isError":true');
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("references and moves", () => {
  it("updates (single, bulk, alias) cannot point A's rows at B's rows", async () => {
    const attempts: Array<[string, string, unknown]> = [
      ["PATCH", `/api/data/entity/tasks/${refsA.tasks}`, { project_id: refsB.projects }],
      ["PUT", `/api/data/tasks/${refsA.tasks}`, { project_id: refsB.projects }],
      ["PATCH", `/api/data/entity/projects/${refsA.projects}`, { client_id: refsB.clients }],
      ["PATCH", `/api/data/entity/leads/${refsA.leads}`, { client_id: refsB.clients }],
      ["PATCH", `/api/data/entity/clients/${refsA.clients}`, { organization_id: refsB.clients }],
      ["PATCH", `/api/data/entity/tasks/${refsA.tasks}`, { assignee_id: clientB.id }],
      [
        "PATCH",
        "/api/data/entity/tasks",
        { update: { project_id: refsB.projects }, where: { id: refsA.tasks } },
      ],
      [
        "PATCH",
        "/api/data/entity/tasks",
        { update: { assignee_id: clientB.id }, where: { id: refsA.tasks } },
      ],
      [
        "PATCH",
        "/api/data/entity/leads",
        { update: { client_id: refsB.clients }, where: { id: refsA.leads } },
      ],
    ];
    const aBefore = await snapshotTenant(A.id);
    for (const [method, path, body] of attempts) {
      await expectGate4xx(await call(method, path, { ...inA(), body }), [422]);
    }
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });

  it("B's ids are indistinguishable from ids that do not exist, on every route", async () => {
    const ghost = crypto.randomUUID();
    const pairs: Array<[string, (id: string) => Promise<Response>]> = [
      ["read", (id) => call("GET", `/api/data/entity/tasks/${id}`, inA())],
      ["alias read", (id) => call("GET", `/api/data/tasks/${id}`, inA())],
      ["update", (id) => call("PATCH", `/api/data/entity/tasks/${id}`, { ...inA(), body: { title: "x" } })],
      ["delete", (id) => call("DELETE", `/api/data/entity/tasks/${id}`, inA())],
      ["count", (id) => call("POST", "/api/data/entity/tasks/fn/count", { ...inA(), body: { id } })],
      ["exists", (id) => call("POST", "/api/data/entity/tasks/fn/exists", { ...inA(), body: { id } })],
      ["list", (id) => call("GET", `/api/data/entity/tasks?where=${enc({ id })}`, inA())],
      [
        "bulk update",
        (id) =>
          call("PATCH", "/api/data/entity/tasks", {
            ...inA(),
            body: { update: { title: "x" }, where: { id } },
          }),
      ],
      ["bulk delete", (id) => call("DELETE", "/api/data/entity/tasks", { ...inA(), body: { id } })],
    ];
    const refPairs: Array<[string, (id: string) => Promise<Response>]> = [
      [
        "create ref",
        (id) => call("POST", "/api/data/entity/tasks", { ...inA(), body: { title: "x", project_id: id } }),
      ],
      [
        "update ref",
        (id) =>
          call("PATCH", `/api/data/entity/tasks/${refsA.tasks}`, { ...inA(), body: { project_id: id } }),
      ],
    ];
    const strip = (t: string) => t.replace(/"time":\d+(\.\d+)?/g, '"time":0');
    for (const [name, send] of pairs) {
      const [b, g] = [await send(refsB.tasks), await send(ghost)];
      expect(b.status, name).toBe(g.status);
      expect(strip(await b.text()), name).toBe(strip(await g.text()));
    }
    for (const [name, send] of refPairs) {
      const [b, g] = [await send(refsB.projects), await send(ghost)];
      expect(b.status, name).toBe(422);
      expect(await b.text(), name).toBe(await g.text());
    }
  });

  it("an agency admin who names tenant A is scoped to A like anybody else", async () => {
    const opts = { token: agencyAdmin.token, tenant: A.subdomain };
    const list = await call("GET", "/api/data/entity/tasks?limit=100", opts);
    expect(list.status).toBe(200);
    expectOnlyA(await rowsOf(list));
    await expectGate4xx(await call("GET", `/api/data/entity/tasks/${refsB.tasks}`, opts), [404]);
    await expectGate4xx(
      await call("POST", "/api/data/entity/tasks", {
        ...opts,
        body: { title: "x", project_id: refsB.projects },
      }),
      [422],
    );
    const count = await call("POST", "/api/data/entity/tasks/fn/count", {
      ...opts,
      body: { id: refsB.tasks },
    });
    expect((await json<{ count: number }>(count)).count).toBe(0);
  });

  it("agency staff act in tenants but never reach admin surfaces or non-data MCP tools", async () => {
    for (const path of ["/admin", "/api/system/config", "/api/system/info", "/api/media/files"]) {
      const res = await call("GET", path, { token: staff.token });
      expect(res.status, path).toBe(403);
    }
    const res = await mcp(
      staff.token,
      `?tenant=${A.subdomain}`,
      tool("auth_user_token", { email: agencyAdmin.email }),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("eyJ");
    // unscoped data access is for agency admins only
    await expectGate4xx(await call("GET", "/api/data/entity/tasks", { token: staff.token }), [400]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("archived tenants", () => {
  it("an archived tenant is closed to its members, to agency admins naming it, and to the public lookup", async () => {
    const T = await makeTenant("Archived");
    const refsT = await seedTenantData(T);
    const member = await makeUser({ memberships: [[T, "admin"]] });
    expect(
      (await call("GET", "/api/data/entity/tasks", { token: member.token, tenant: T.subdomain })).status,
    ).toBe(200);
    await db().prepare("UPDATE tenants SET status = 'archived' WHERE id = ?").bind(T.id).run();
    for (const ref of [T.subdomain, T.id]) {
      for (const token of [member.token, agencyAdmin.token]) {
        await expectGate4xx(await call("GET", "/api/data/entity/tasks", { token, tenant: ref }), [403]);
        await expectGate4xx(
          await call("PATCH", `/api/data/entity/tasks/${refsT.tasks}`, {
            token,
            tenant: ref,
            body: { title: "x" },
          }),
          [403],
        );
        const viaMcp = await mcp(token, `?tenant=${ref}`, tool("data_entity_fn_count", { entity: "tasks" }));
        expect(await viaMcp.text()).not.toContain('\\"count\\"');
      }
      expect((await call("GET", `/api/public/tenant?tenant=${ref}`)).status).toBe(404);
    }
    const me = await json<{ tenants: Array<{ id: string }> }>(
      await call("GET", "/api/auth/me", { token: member.token }),
    );
    expect(me.tenants.map((t) => t.id)).not.toContain(T.id);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("tokens", () => {
  it("alg none, a wrong secret, another HMAC size, expiry, issuer and malformed ids are nobody", async () => {
    const header = (alg: string) => b64url(JSON.stringify({ alg, typ: "JWT" }));
    const asAdmin = claimsOf(agencyAdmin, { role: "admin" });
    const tokens: Record<string, string> = {
      "alg none": `${header("none")}.${b64url(JSON.stringify(asAdmin))}.`,
      "alg None": `${header("None")}.${b64url(JSON.stringify(asAdmin))}.`,
      "wrong secret": await sign(asAdmin, "not-the-secret-0123456789abcdefghijklmnop", "HS256"),
      "HS512 with the right secret": await sign(asAdmin, SECRET, "HS512"),
      "HS384 with the right secret": await sign(asAdmin, SECRET, "HS384"),
      expired: await sign({ ...asAdmin, iat: now() - 7200, exp: now() - 3600 }, SECRET, "HS256"),
      "not yet valid": await sign({ ...asAdmin, nbf: now() + 3600 }, SECRET, "HS256"),
      "issued in the future": await sign({ ...asAdmin, iat: now() + 3600 }, SECRET, "HS256"),
      "wrong issuer": await sign({ ...asAdmin, iss: "bknd" }, SECRET, "HS256"),
      "no issuer": await sign({ id: agencyAdmin.id, role: "admin", exp: now() + 600 }, SECRET, "HS256"),
      "id as string": await sign({ ...asAdmin, id: String(agencyAdmin.id) }, SECRET, "HS256"),
      "id as float": await sign({ ...asAdmin, id: agencyAdmin.id + 0.5 }, SECRET, "HS256"),
      "no id": await sign({ ...asAdmin, id: undefined }, SECRET, "HS256"),
      "unknown user": await sign({ ...asAdmin, id: 987_654_321 }, SECRET, "HS256"),
      "signature stripped": `${(await sign(asAdmin, "x".repeat(40), "HS256")).split(".").slice(0, 2).join(".")}.`,
      "payload swapped": (() => {
        const [h, , s] = pmA.token.split(".");
        return `${h}.${b64url(JSON.stringify(asAdmin))}.${s}`;
      })(),
    };
    for (const [name, token] of Object.entries(tokens)) {
      for (const [method, path, tenant] of [
        ["GET", "/api/data/entity/tasks", B.subdomain],
        ["GET", "/api/system/config", undefined],
        ["GET", "/api/auth/me", undefined],
      ] as const) {
        const res = await call(method, path, { token, ...(tenant ? { tenant } : {}) });
        expect(res.status, `${name}: ${method} ${path}`).toBe(401);
        await expectNoLeak(res);
      }
      const admin = await call("GET", "/admin", { token });
      // a bad token is a redirect to the login form; a well-signed token of nobody is a 401
      expect(admin.status, `${name}: /admin`).toBe(name === "unknown user" ? 401 : 302);
      expect(await admin.text()).not.toContain("__BKND__");
      const viaMcp = await mcp(
        token,
        `?tenant=${B.subdomain}`,
        tool("data_entity_fn_count", { entity: "tasks" }),
      );
      expect(viaMcp.status, `${name}: mcp`).toBe(401);
    }
  });

  it("a validly signed token that claims admin is only what the database says", async () => {
    const forged = await sign(claimsOf(pmA, { role: "admin", email: agencyAdmin.email }), SECRET, "HS256");
    for (const path of ["/admin", "/api/system/config", "/api/system/info"]) {
      expect((await call("GET", path, { token: forged })).status, path).toBe(403);
    }
    await expectGate4xx(await call("GET", "/api/data/entity/tasks", { token: forged }), [400]);
    await expectGate4xx(
      await call("GET", "/api/data/entity/tasks", { token: forged, tenant: B.subdomain }),
      [403],
    );
    const res = await mcp(
      forged,
      `?tenant=${A.subdomain}`,
      tool("auth_user_token", { email: agencyAdmin.email }),
    );
    expect(res.status).toBe(403);
    const me = await json<{ user: { id: number; role: string; email: string } }>(
      await call("GET", "/api/auth/me", { token: forged }),
    );
    expect(me.user).toMatchObject({ id: pmA.id, role: "member", email: pmA.email });
  });

  it("tokens of deleted, disabled and invited users are refused everywhere", async () => {
    for (const status of ["deleted", "disabled", "invited"] as const) {
      const u = await makeUser({ memberships: [[A, "admin"]] });
      expect(
        (await call("GET", "/api/data/entity/tasks", { token: u.token, tenant: A.subdomain })).status,
      ).toBe(200);
      if (status === "deleted") await db().prepare("DELETE FROM users WHERE id = ?").bind(u.id).run();
      else await db().prepare("UPDATE users SET status = ? WHERE id = ?").bind(status, u.id).run();
      for (const [method, path, body] of [
        ["GET", "/api/data/entity/tasks", undefined],
        ["POST", "/api/data/entity/tasks/fn/count", {}],
        ["POST", "/api/data/entity/clients", { name: "ghost" }],
        ["DELETE", `/api/data/entity/leads/${refsA.leads}`, undefined],
        ["GET", "/api/auth/me", undefined],
      ] as const) {
        const res = await call(method, path, { token: u.token, tenant: A.subdomain, body });
        expect(res.status, `${status}: ${method} ${path}`).toBe(401);
      }
      const viaMcp = await mcp(
        u.token,
        `?tenant=${A.subdomain}`,
        tool("data_entity_fn_count", { entity: "tasks" }),
      );
      expect(viaMcp.status, `${status}: mcp`).toBe(401);
    }
    const ghost = await db().prepare("SELECT 1 FROM clients WHERE name = 'ghost'").first();
    expect(ghost).toBeNull();
    const lead = await db().prepare("SELECT 1 FROM leads WHERE id = ?").bind(refsA.leads).first();
    expect(lead).not.toBeNull();
  });

  it("cookie and bearer of different users: the bearer decides, and a bad bearer never falls back to the cookie", async () => {
    const login = await call("POST", "/api/auth/login", {
      body: { email: agencyAdmin.email, password: PASSWORD },
    });
    const adminCookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(adminCookie).toMatch(/^auth=/);
    await login.text();
    // cookie alone: the agency admin
    expect((await call("GET", "/api/system/info", { headers: { cookie: adminCookie } })).status).toBe(200);
    // bearer of a client of B + admin cookie: acts as the client of B, everywhere
    const mixed = { token: clientB.token, headers: { cookie: adminCookie } };
    expect((await call("GET", "/api/system/info", mixed)).status).toBe(403);
    expect((await call("GET", "/admin", mixed)).status).toBe(403);
    await expectGate4xx(
      await call("GET", "/api/data/entity/tasks", { ...mixed, tenant: A.subdomain }),
      [403],
    );
    await expectGate4xx(await call("GET", "/api/data/entity/tasks", mixed), [400]);
    const me = await json<{ user: { id: number } }>(await call("GET", "/api/auth/me", mixed));
    expect(me.user.id).toBe(clientB.id);
    // a broken bearer next to a valid admin cookie is nobody
    for (const bad of ["garbage", "", "Bearer", `${agencyAdmin.token}x`]) {
      const res = await call("GET", "/api/system/info", {
        headers: { cookie: adminCookie, authorization: `Bearer ${bad}` },
      });
      expect(res.status, bad).toBe(401);
    }
  });

  it("a cookie whose signature does not match, or that carries a forged token, is nobody", async () => {
    const login = await call("POST", "/api/auth/login", { body: { email: pmA.email, password: PASSWORD } });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    await login.text();
    const value = decodeURIComponent(cookie.slice("auth=".length));
    const lastDot = value.lastIndexOf(".");
    const token = value.slice(0, lastDot);
    const cookieSig = value.slice(lastDot + 1);
    const adminClaims = claimsOf(agencyAdmin, { role: "admin" });
    const forgedToken = await sign(adminClaims, "wrong-secret-0123456789abcdefghijklmnopqrstu", "HS256");
    for (const bad of [
      `auth=${encodeURIComponent(`${token}.${cookieSig.slice(0, -2)}AA`)}`,
      `auth=${encodeURIComponent(token)}`,
      `auth=${encodeURIComponent(`${forgedToken}.${cookieSig}`)}`,
      `auth=${encodeURIComponent(agencyAdmin.token)}`,
    ]) {
      expect((await call("GET", "/api/auth/me", { headers: { cookie: bad } })).status).toBe(401);
      expect((await call("GET", "/api/system/info", { headers: { cookie: bad } })).status).toBe(401);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("MCP", () => {
  const q = () => `?tenant=${A.subdomain}`;

  it("a JSON-RPC batch mixing allowed and forbidden calls is refused as a whole", async () => {
    for (const batch of [
      [
        { jsonrpc: "2.0", id: 1, method: "tools/list" },
        tool("auth_user_token", { email: agencyAdmin.email }, 2),
      ],
      [tool("data_entity_fn_count", { entity: "tasks" }, 1), tool("system_config", { secrets: true }, 2)],
      [
        { jsonrpc: "2.0", id: 1, method: "ping" },
        { jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: "x" } },
      ],
      [
        tool("data_entity_read_many", { entity: "tasks" }, 1),
        { jsonrpc: "2.0", id: 2, result: {} },
        tool("auth_user_create", { email: "x@example.test", password: "Password-123", role: "admin" }, 3),
      ],
    ]) {
      const res = await mcp(pmA.token, q(), batch);
      expect(res.status).toBe(403);
      const text = await expectNoLeak(res);
      expect(text).not.toContain("eyJ");
    }
    expect(await db().prepare("SELECT 1 FROM users WHERE email = 'x@example.test'").first()).toBeNull();
  });

  it("tool calls in a tenant without membership, or with header and ?tenant= disagreeing, are refused", async () => {
    for (const [query, headers] of [
      [`?tenant=${B.subdomain}`, {}],
      [`?tenant=${B.id}`, {}],
      [`?tenant=${A.subdomain}`, { "x-fataplus-tenant": B.subdomain }],
      ["", { "x-fataplus-tenant": B.id }],
      [`?tenant=no-such-tenant`, {}],
    ] as const) {
      const res = await mcp(pmA.token, query, tool("data_entity_read_many", { entity: "tasks" }), headers);
      expect(res.status, `${query} ${JSON.stringify(headers)}`).toBe(403);
      await expectNoLeak(res);
    }
    // With a personal access token: B (named on the URL, by header or as the tool's tenant) is refused too.
    const pat = await makeAccessToken(pmA, { tenants: "all" });
    for (const [query, headers] of [
      [`?tenant=${B.subdomain}`, {}],
      [`?tenant=${B.id}`, {}],
      ["", { "x-fataplus-tenant": B.subdomain }],
    ] as const) {
      const res = await call("POST", `/api/system/mcp${query}`, {
        token: pat.token,
        rawBody: JSON.stringify(tool("list_tasks", {})),
        headers: { ...MCP_ACCEPT, "content-type": "application/json", ...headers },
      });
      expect(res.status, `${query} ${JSON.stringify(headers)}`).toBe(403);
      await expectNoLeak(res);
    }
    const named = await patCall(pat.token, tool("list_tasks", { tenant: B.subdomain }));
    expect(await expectNoLeak(named)).toContain('"isError":true');
    // header A (member) and ?tenant=B: the header's tenant, and only A's rows
    const ok = await call("POST", `/api/system/mcp?tenant=${B.subdomain}`, {
      token: pat.token,
      rawBody: JSON.stringify(tool("list_tasks", {})),
      headers: { ...MCP_ACCEPT, "content-type": "application/json", "x-fataplus-tenant": A.subdomain },
    });
    expect(ok.status).toBe(200);
    const text = await expectNoLeak(ok);
    expect(text).toContain(refsA.tasks);
  });

  it("data tools never return, count or change B's rows", async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      ["data_entity_read_one", { entity: "tasks", id: refsB.tasks }],
      ["data_entity_read_one", { entity: "tasks", id: refsB.tasks, select: ["id", "tenant_id"] }],
      ["data_entity_read_many", { entity: "tasks", limit: 1000 }],
      ["data_entity_read_many", { entity: "tasks", where: { id: refsB.tasks } }],
      ["data_entity_read_many", { entity: "tasks", where: JSON.stringify(OR_ALL) }],
      ["data_entity_read_many", { entity: "tasks", with: { project: {} } }],
      ["data_entity_read_many", { entity: "tasks", join: ["project"] }],
      ["data_entity_fn_count", { entity: "tasks", json: { id: refsB.tasks } }],
      ["data_entity_fn_count", { entity: "tasks", json: JSON.stringify(OR_ALL) }],
      ["data_entity_fn_exists", { entity: "tasks", json: { id: refsB.tasks } }],
      ["data_entity_update_one", { entity: "tasks", id: refsB.tasks, json: { title: "pwned" } }],
      ["data_entity_update_one", { entity: "tasks", id: refsA.tasks, json: { tenant_id: B.id } }],
      ["data_entity_update_one", { entity: "tasks", id: refsA.tasks, json: { project_id: refsB.projects } }],
      [
        "data_entity_update_many",
        { entity: "tasks", update: { title: "pwned" }, where: { id: refsB.tasks } },
      ],
      ["data_entity_update_many", { entity: "tasks", update: { title: "pwned" }, where: OR_ALL }],
      ["data_entity_delete_one", { entity: "tasks", id: refsB.tasks }],
      ["data_entity_delete_many", { entity: "tasks", json: { id: refsB.tasks } }],
      ["data_entity_delete_many", { entity: "tasks", json: OR_ALL }],
      ["data_entity_insert", { entity: "tasks", json: { title: "x", project_id: refsB.projects } }],
      ["data_entity_insert", { entity: "clients", json: { name: "x", tenant_id: B.id } }],
      ["data_entity_info", { entity: "tasks" }],
      ["data_entity_read_many", { entity: "users" }],
      ["data_entity_read_many", { entity: "memberships" }],
      ["data_entity_fn_count", { entity: "tenants" }],
    ];
    const aBefore = await snapshotTenant(A.id);
    for (const [name, args] of calls) {
      const res = await mcp(pmA.token, q(), tool(name, args));
      const text = await expectNoLeak(res);
      if (name === "data_entity_fn_count" || name === "data_entity_fn_exists") {
        expect(text, `${name} ${JSON.stringify(args)}`).not.toMatch(/\\"count\\":[1-9]|\\"exists\\":true/);
      }
      expect(text).not.toContain("strategy_value");
    }
    const tasksOfA = await db()
      .prepare("SELECT tenant_id, project_id FROM tasks WHERE id = ?")
      .bind(refsA.tasks)
      .first<{ tenant_id: string; project_id: string }>();
    expect(tasksOfA).toEqual({ tenant_id: A.id, project_id: refsA.projects });
    expect(await snapshotTenant(A.id)).toBe(aBefore);
  });

  it("tool arguments that traverse out of /api/data reach only what the caller could reach directly", async () => {
    const attempts: Array<[string, Record<string, unknown>]> = [
      // GET /api/system/config
      ["data_entity_read_one", { entity: "../../system", id: "config", select: ["secrets"] }],
      ["data_entity_read_one", { entity: "../../system/config", id: "auth" }],
      // POST /api/system/mcp with a forbidden tool inside: the gate sees the nested call too
      [
        "data_entity_insert",
        { entity: "../../system/mcp", json: tool("auth_user_token", { email: agencyAdmin.email }, 77) },
      ],
      ["data_entity_fn_count", { entity: "../../../auth/password/register/x/y" }],
      ["data_entity_read_one", { entity: "tasks", id: `${refsB.tasks}?tenant=${B.id}` }],
      ["data_entity_read_one", { entity: "tasks", id: `x/../${refsB.tasks}` }],
      ["data_entity_read_one", { entity: `tasks?tenant=${B.id}#`, id: refsB.tasks }],
      ["data_entity_read_one", { entity: "users", id: agencyAdmin.id }],
      ["data_entity_update_one", { entity: "users", id: pmA.id, json: { role: "admin" } }],
      ["data_entity_read_one", { entity: "../../media", id: "files" }],
      ["data_entity_read_one", { entity: "../../flows", id: "x" }],
    ];
    // bknd's tools are gone: a session is refused before any tool runs (decision 006) ...
    for (const [name, args] of attempts) {
      const res = await mcp(pmA.token, q(), tool(name, args));
      expect(res.status, `${name} ${JSON.stringify(args)}`).toBe(403);
      const text = await expectNoLeak(res);
      expect(text, `${name} ${JSON.stringify(args)}`).toMatch(/disabled/);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    }
    // ... and with a token, the same path tricks in our tools' arguments are bad arguments (ids are UUIDs)
    const pat = await makeAccessToken(pmA, { scope: "write", tenants: [A] });
    for (const [name, args] of [
      ["get_task", { id: `${refsB.tasks}?tenant=${B.id}` }],
      ["get_task", { id: `x/../${refsB.tasks}` }],
      ["get_project", { id: "../../system/config" }],
      ["update_task_status", { id: `../../../auth/password/register`, status: "done" }],
      ["list_tasks", { project_id: `${refsB.projects}#` }],
    ] as const) {
      const res = await patCall(pat.token, tool(name, args));
      expect(res.status).toBe(200);
      const text = await expectNoLeak(res);
      expect(text, `${name} ${JSON.stringify(args)}`).toContain('"code":-32602');
      expect(text, `${name} ${JSON.stringify(args)}`).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      expect(text).not.toContain("jwt");
      expect(text).not.toContain("strategy_value");
    }
    const me = await db()
      .prepare("SELECT role FROM users WHERE id = ?")
      .bind(pmA.id)
      .first<{ role: string }>();
    expect(me?.role).toBe("member");
  });

  it("JSON-RPC bodies bknd's MCP server cannot handle get a 4xx from the gate, not a 500", async () => {
    // A signed-in user (no tenant needed: a message without a method passes the gate as a "response") makes
    // bknd's JSON-RPC validation recurse until the stack overflows.
    for (const raw of [
      `${'{"id":'.repeat(20_000)}1${"}".repeat(20_000)}`,
      `[${'{"result":'.repeat(20_000)}1${"}".repeat(20_000)}]`,
    ]) {
      for (const query of [`?tenant=${A.subdomain}`, ""]) {
        const res = await mcp(clientA.token, query, raw);
        expect(res.status, `${query} ${raw.slice(0, 30)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${query} ${raw.slice(0, 30)}`).toBeLessThan(500);
        await expectNoLeak(res);
      }
    }
  });

  it("non-POST MCP requests and the explain endpoint need a session, and carry no tool call", async () => {
    expect((await call("GET", "/api/system/mcp?explain=1")).status).toBe(401);
    for (const method of ["GET", "DELETE", "PUT", "PATCH"]) {
      const res = await call(method, `/api/system/mcp?tenant=${A.subdomain}`, {
        token: pmA.token,
        ...(method === "GET"
          ? {}
          : { rawBody: JSON.stringify(tool("auth_user_token", { email: agencyAdmin.email })) }),
      });
      const text = await expectNoLeak(res);
      expect(text, method).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("closed surfaces", () => {
  it("registration, flows, media, sync and raw stay closed under path variants", async () => {
    const email = `reg-${unique("")}@example.test`;
    for (const [method, path] of [
      ["POST", "/api/auth/password/register/"],
      ["POST", "/api/auth/register/"],
      ["POST", "/api/auth/PASSWORD/register"],
      ["POST", "/api/auth/password/Register"],
      ["POST", "/api/auth/password/register;x"],
      ["POST", "/api/flows/"],
      ["GET", "/api/flows"],
      ["POST", "/api/flows/flow/x/run"],
      ["GET", "/api/media/files/"],
      ["GET", "/api/media/files;x"],
      ["POST", "/api/media/upload/x.html"],
      ["GET", "/api/data/sync"],
      ["GET", "/api/data/sync/"],
      ["POST", "/api/data/raw"],
    ] as const) {
      for (const token of [undefined, pmA.token, clientA.token]) {
        const res = await call(method, path, {
          ...(token ? { token } : {}),
          ...(method === "GET"
            ? {}
            : { body: { email, password: PASSWORD, role: "admin", tenant_id: A.id } }),
        });
        expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        await expectNoLeak(res);
      }
    }
    expect(await db().prepare("SELECT 1 FROM users WHERE email = ?").bind(email).first()).toBeNull();
  });

  it("the public and open routes reveal nothing beyond a tenant's name", async () => {
    const pub = await json<Record<string, unknown>>(
      await call("GET", `/api/public/tenant?tenant=${B.subdomain}`),
    );
    expect(Object.keys(pub)).toEqual(["tenant"]);
    expect(Object.keys(pub.tenant as object).sort()).toEqual(["id", "name", "subdomain"]);
    for (const [path, token] of [
      ["/api/auth/strategies", undefined],
      ["/api/system/ping", undefined],
      ["/api/health", undefined],
      ["/admin/auth/login", undefined],
      ["/api/system/openapi.json", pmA.token],
      ["/api/system/swagger", pmA.token],
      ["/api/auth/me", clientA.token],
    ] as const) {
      const res = await call("GET", path, token ? { token } : {});
      expect(res.status, path).toBe(200);
      const text = await expectNoLeak(res);
      expect(text, path).not.toMatch(/pbkdf2-sha256\$|"secret":"|"strategy_value":"/i);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("login throttling and enumeration", () => {
  it("unknown, disabled and invited accounts get exactly the same answer as a wrong password", async () => {
    const disabled = await makeUser({ login: false });
    await db().prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(disabled.id).run();
    const invited = await makeUser({ login: false });
    await db().prepare("UPDATE users SET status = 'invited' WHERE id = ?").bind(invited.id).run();
    const noHash = await makeUser({ login: false });
    await db().prepare("UPDATE users SET strategy_value = NULL WHERE id = ?").bind(noHash.id).run();
    const answers = [];
    for (const [email, password] of [
      [pmA.email, "wrong-password-123"],
      [`ghost-${unique("")}@example.test`, "wrong-password-123"],
      [disabled.email, PASSWORD],
      [invited.email, PASSWORD],
      [noHash.email, PASSWORD],
    ]) {
      const res = await loginRaw({ email, password });
      answers.push({ status: res.status, body: await res.text(), cookie: res.headers.get("set-cookie") });
    }
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(401);
  });

  it("every failed sign-in costs the same PBKDF2 work: known, unknown, disabled and non-PBKDF2 accounts", async () => {
    // Deterministic instead of timed: count the key derivations and their iterations.
    const email = `work-${unique("")}@example.test`;
    const disabled = `work-off-${unique("")}@example.test`;
    const legacy = `work-legacy-${unique("")}@example.test`;
    const insert =
      "INSERT INTO users (email, strategy, strategy_value, role, status) VALUES (?, 'password', ?, 'member', ?)";
    await db().batch([
      db()
        .prepare(insert)
        .bind(email, await hashPassword(PASSWORD), "active"),
      db()
        .prepare(insert)
        .bind(disabled, await hashPassword(PASSWORD), "disabled"),
      db()
        .prepare(insert)
        .bind(legacy, "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", "active"),
    ]);
    const spy = vi.spyOn(crypto.subtle, "deriveBits");
    try {
      for (const [who, password] of [
        [email, "wrong"],
        [`nobody-${unique("")}@example.test`, "wrong"],
        [disabled, PASSWORD],
        [legacy, "password"],
      ] as const) {
        spy.mockClear();
        const res = await loginRaw({ email: who, password });
        expect(res.status, who).toBe(401);
        expect(spy, who).toHaveBeenCalledTimes(1);
        const params = spy.mock.calls[0]?.[0] as { iterations?: number };
        expect(params.iterations, who).toBe(100_000);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it("email case and whitespace variants count against the same account", async () => {
    const victim = await makeUser({ login: false });
    const variants = [
      victim.email.toUpperCase(),
      ` ${victim.email}`,
      `${victim.email}\t`,
      victim.email.replace(/^./, (c) => c.toUpperCase()),
      `\n${victim.email.toUpperCase()} `,
    ];
    // from one client (the per-account limit counts per account and client: decision 019)
    const from = freshIp();
    for (const email of variants)
      expect((await loginRaw({ email, password: "wrong-password-123" }, from)).status).toBe(401);
    const locked = await loginRaw({ email: victim.email, password: PASSWORD }, from);
    expect(locked.status).toBe(429);
  });

  it("failures through the admin form route count against the JSON route and vice versa", async () => {
    const victim = await makeUser({ login: false });
    const from = freshIp();
    for (let i = 0; i < THROTTLE.perAccount; i++) {
      const res = await call("POST", "/api/auth/password/login", {
        rawBody: new URLSearchParams({ email: victim.email, password: `wrong-${i}` }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": from },
      });
      expect(res.status).toBe(303);
    }
    expect((await loginRaw({ email: victim.email, password: PASSWORD }, from)).status).toBe(429);
    expect(
      (await loginRaw({ email: victim.email, password: PASSWORD }, from, "/api/auth/password/login")).status,
    ).toBe(429);
    // the owner, from another client, is not locked out (security review, finding 1)
    expect((await loginRaw({ email: victim.email, password: PASSWORD }, freshIp())).status).toBe(200);
  });

  it("a burst of parallel guesses is held to the per-account limit", async () => {
    const victim = await makeUser({ login: false });
    const from = freshIp();
    const burst = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        loginRaw({ email: victim.email, password: `wrong-guess-${i}` }, from),
      ),
    );
    const statuses = burst.map((r) => r.status);
    await Promise.all(burst.map((r) => r.text()));
    const evaluated = statuses.filter((s) => s === 401).length;
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // At most `perAccount` passwords may be tried per window from one client, however the requests are timed.
    expect(evaluated, `guesses evaluated: ${evaluated} (${statuses.join(",")})`).toBeLessThanOrEqual(
      THROTTLE.perAccount,
    );
  });

  it("failures from one IPv6 /64 count as one client for the per-IP limit", async () => {
    const prefix = "2001:db8:5ee:beef";
    let last = 0;
    for (let i = 0; i <= THROTTLE.perIp; i++) {
      const res = await loginRaw(
        { email: `nobody-v6-${unique("")}@example.test`, password: "x" },
        `${prefix}:${(i + 1).toString(16)}:0:0:${(i * 7 + 3).toString(16)}`,
      );
      last = res.status;
      await res.text();
    }
    expect(last).toBe(429);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("invitations", () => {
  it("one invitation token can be redeemed once, even by two concurrent requests", async () => {
    const email = `race-${unique("")}@example.test`;
    const inv = await createInvitation({ ctx: systemCtx(A), input: { email, role: "client" } });
    const accept = (password: string) =>
      call("POST", "/api/auth/invitations/accept", { body: { token: inv.token, password } });
    const results = await Promise.all([accept("First-password-123"), accept("Second-password-456")]);
    const statuses = results.map((r) => r.status).sort();
    await Promise.all(results.map((r) => r.text()));
    // one is created; the other is told the invitation is used up (404, or 409 for a lost race)
    expect(statuses[0]).toBe(201);
    expect([404, 409]).toContain(statuses[1]);
    // exactly the password of the request that was told "created" works
    const winner = results[0]?.status === 201 ? "First-password-123" : "Second-password-456";
    const loser = winner === "First-password-123" ? "Second-password-456" : "First-password-123";
    expect((await loginRaw({ email, password: winner })).status).toBe(200);
    expect((await loginRaw({ email, password: loser })).status).toBe(401);
  });

  it("an invitation of A grants nothing in B, and a token cannot be replayed or guessed", async () => {
    const email = `inv-${unique("")}@example.test`;
    const inv = await createInvitation({ ctx: systemCtx(A), input: { email, role: "admin" } });
    const res = await call("POST", "/api/auth/invitations/accept", {
      body: { token: inv.token, password: "A-strong-password-1", tenant_id: B.id },
    });
    // unknown fields are refused rather than ignored
    expect(res.status).toBe(400);
    await res.text();
    const ok = await call("POST", "/api/auth/invitations/accept", {
      body: { token: inv.token, password: "A-strong-password-1" },
    });
    expect(ok.status).toBe(201);
    await ok.text();
    const login = await loginRaw({ email, password: "A-strong-password-1" });
    const { token } = await json<{ token: string }>(login);
    await expectGate4xx(await call("GET", "/api/data/entity/tasks", { token, tenant: B.subdomain }), [403]);
    for (const guess of [inv.token.slice(0, -1), `${inv.token}A`, inv.token.toUpperCase()]) {
      const r = await call("POST", "/api/auth/invitations/accept", {
        body: { token: guess, password: "Another-password-1" },
      });
      // a well-formed guess (length 20–200) is simply unknown, exactly like a token that never existed
      expect(r.status, guess).toBe(404);
      await r.text();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("identifiers", () => {
  it("row ids minted through the API are random (UUID v4), so they reveal no time or ordering across tenants", async () => {
    const ids: string[] = [];
    for (const path of ["/api/data/entity/clients", "/api/data/clients"]) {
      const res = await call("POST", path, { ...inA(), body: { name: unique("Id probe ") } });
      expect(res.status).toBe(201);
      ids.push((await json<{ data: { id: string } }>(res)).data.id);
    }
    const bulk = await call("POST", "/api/data/entity/clients", {
      ...inA(),
      body: [{ name: unique("Id probe ") }, { name: unique("Id probe ") }],
    });
    expect(bulk.status).toBe(201);
    ids.push(...(await json<{ data: Array<{ id: string }> }>(bulk)).data.map((r) => r.id));
    for (const id of ids) {
      expect(id, id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
