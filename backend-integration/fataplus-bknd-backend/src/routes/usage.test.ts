/**
 * The platform's usage (decision 029): each request leaves a point with its tenant (as the gate resolved it),
 * route, status, latency and caller; agency admins read the figures per tenant and for the platform, as JSON
 * and CSV; nobody else does. Points go to the isolate's store here (Analytics Engine in production).
 */
import { env } from "cloudflare:workers";
import type { TenantRef, UsageSummary } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, scenario, type TestUser, unique } from "../../test/factories.ts";
import { AnalyticsEngineUsage, type DataPoint, fromDataPoint, toDataPoint } from "../http/usage.ts";

let A: TenantRef;
let B: TenantRef;
let admin: TestUser;
let clientA: TestUser;
let pmA: TestUser;
let pmB: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Usage A", B: "Usage B" },
    roles: ["client", "project_manager"],
    users: { admin: { agency: "admin" } },
  });
  ({ A, B } = s.tenants);
  admin = s.users.admin;
  clientA = s.members.A.client;
  pmA = s.members.A.project_manager;
  pmB = s.members.B.project_manager;
});

const usage = async (days = 1) => {
  const res = await call("GET", `/api/app/crm/usage?days=${days}`, { token: admin.token });
  expect(res.status).toBe(200);
  return json<UsageSummary>(res);
};
const of = (s: UsageSummary, t: TenantRef) => s.tenants.find((x) => x.tenant === t.subdomain);

describe("usage", () => {
  it("counts each tenant's calls, refusals, messages and active users, and the platform's", async () => {
    const before = await usage();
    const asClient = { token: clientA.token, tenant: A.subdomain };
    for (let i = 0; i < 3; i++)
      expect((await call("GET", "/api/app/portal/home", asClient)).status).toBe(200);
    const sent = await call("POST", "/api/app/portal/messages", {
      ...asClient,
      body: { body: unique("bonjour ") },
    });
    expect(sent.status).toBe(201);
    // a client has no CRM: refused, and counted against A as a 4xx, not an error
    expect((await call("GET", "/api/app/crm/clients", asClient)).status).toBe(403);
    expect(
      (await call("GET", "/api/app/portal/home", { token: pmB.token, tenant: B.subdomain })).status,
    ).toBe(200);
    // naming a tenant one cannot open counts for nobody's tenant
    expect(
      (await call("GET", "/api/app/portal/home", { token: pmB.token, tenant: A.subdomain })).status,
    ).toBe(403);

    const after = await usage();
    const a = of(after, A);
    expect(a).toMatchObject({ calls: (of(before, A)?.calls ?? 0) + 5, messages: 1, errors: 0 });
    expect(a?.refused).toBe((of(before, A)?.refused ?? 0) + 1);
    expect(a?.active_users).toBe(1);
    expect(a?.p95_ms).toBeGreaterThanOrEqual(a?.p50_ms ?? 0);
    expect(of(after, B)?.calls).toBe((of(before, B)?.calls ?? 0) + 1);
    expect(after.platform.active_tenants).toBeGreaterThanOrEqual(2);
    expect(after.platform.calls).toBeGreaterThan(before.platform.calls + 6); // the admin's own reads count too
    expect(after.source).toBe("local");
    expect(after.slowest_routes.length).toBeGreaterThan(0);
    expect(after.slowest_routes.every((r) => !r.route.includes("?"))).toBe(true);
  });

  it("exports the same figures as CSV, one row per tenant and the platform's", async () => {
    await call("GET", "/api/app/portal/home", { token: pmA.token, tenant: A.subdomain });
    const res = await call("GET", "/api/app/crm/usage.csv?days=7", { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="fataplus-usage-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = (await res.text()).trim().split("\r\n");
    expect(rows[0]).toBe(
      "tenant,calls,errors,refused,error_rate,p50_ms,p95_ms,active_users,downloads,messages,from,to",
    );
    const a = rows.find((r) => r.startsWith(`${A.subdomain},`))?.split(",");
    const s = await usage(7);
    expect(Number(a?.[1])).toBe(of(s, A)?.calls);
    expect(rows.at(-1)?.startsWith("(platform),")).toBe(true);
  });

  it("is for agency admins only, and says why a range is refused", async () => {
    for (const u of [clientA, pmA, pmB]) {
      for (const path of ["/api/app/crm/usage", "/api/app/crm/usage.csv"]) {
        const res = await call("GET", path, { token: u.token, tenant: A.subdomain });
        expect(res.status).toBe(403);
        expect(await res.text()).not.toContain(A.subdomain);
      }
    }
    expect((await call("GET", "/api/app/crm/usage")).status).toBe(401);
    const bad = await call("GET", "/api/app/crm/usage?days=0", { token: admin.token });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("at least 1 day");
    expect((await call("GET", "/api/app/crm/usage?days=abc", { token: admin.token })).status).toBe(400);
    expect((await call("GET", "/api/app/crm/usage?days=91", { token: admin.token })).status).toBe(400);
  });

  it("shows the nightly backups' last runs to agency admins, a failed one as failed", async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO job_runs (job, started_at, finished_at, ok) VALUES ('backup', '2026-11-30T02:00:00Z', '2026-11-30T02:00:09Z', 1)",
      ),
      env.DB.prepare(
        "INSERT INTO job_runs (job, started_at, finished_at, ok, detail) VALUES ('backup', '2026-12-01T02:00:00Z', '2026-12-01T02:00:07Z', 0, 'backup 2026-12-01 incomplete: 1 of 3 tenants failed')",
      ),
    ]);
    const res = await call("GET", "/api/app/crm/jobs?job=backup", { token: admin.token });
    expect(res.status).toBe(200);
    const { items } = await json<{
      items: Array<{ started_at: string; ok: boolean | null; detail: string | null }>;
    }>(res);
    expect(items.slice(0, 2).map((r) => [r.started_at, r.ok])).toEqual([
      ["2026-12-01T02:00:00Z", false],
      ["2026-11-30T02:00:00Z", true],
    ]);
    expect(items[0]?.detail).toContain("incomplete");
    expect((await call("GET", "/api/app/crm/jobs", { token: pmA.token, tenant: A.subdomain })).status).toBe(
      403,
    );
    expect((await call("GET", "/api/app/crm/jobs?job=other", { token: admin.token })).status).toBe(400);
  });

  it("holds each point to Analytics Engine's limits", () => {
    const point = toDataPoint({
      at: 0,
      tenant: "t".repeat(200),
      route: `/${"r".repeat(1000)}`,
      method: "GET",
      status: 200,
      ms: 12.345,
      user: "7",
      kind: "call",
    });
    expect(point.indexes).toHaveLength(1);
    expect(new TextEncoder().encode(point.indexes[0]).length).toBeLessThanOrEqual(96);
    expect(point.blobs.length).toBeLessThanOrEqual(20);
    expect(point.blobs.reduce((n, b) => n + new TextEncoder().encode(b).length, 0)).toBeLessThanOrEqual(
      16_384,
    );
    expect(point.doubles).toEqual([200, 12.3]);
    expect(fromDataPoint(point, 0)).toMatchObject({ method: "GET", status: 200, user: "7", kind: "call" });
  });
});

describe("deep health check", () => {
  it("proves D1, R2 and the Durable Object answer, for agency admins only; the plain check stays public", async () => {
    const res = await call("GET", "/api/health?deep=1", { token: admin.token });
    expect(res.status).toBe(200);
    const body = await json<{ ok: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>(res);
    expect(body.ok).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(["d1", "durable_object", "r2"]);
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
    expect(body.checks.d1?.detail).toMatch(/^\d+ migrations applied$/);
    expect((await env.BUCKET.list({ prefix: "health/" })).objects).toEqual([]); // nothing left behind
    expect((await call("GET", "/api/health?deep=1", { token: pmA.token, tenant: A.subdomain })).status).toBe(
      403,
    );
    expect((await call("GET", "/api/health?deep=1")).status).toBe(401);
    const plain = await call("GET", "/api/health");
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ ok: true, service: "fataplus-bknd" });
  });
});

describe("the production store (Analytics Engine)", () => {
  it("writes one point per request and reads the figures back with the SQL API (a fake of it)", async () => {
    const points: DataPoint[] = [];
    const dataset = { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p as DataPoint) };
    const asked: string[] = [];
    // the SQL API's answer shape: { data: [...rows], meta, rows }, numbers often as strings
    const fakeApi = async (url: RequestInfo | URL, init?: RequestInit) => {
      expect(String(url)).toBe("https://api.cloudflare.com/client/v4/accounts/acc-1/analytics_engine/sql");
      expect(new Headers(init?.headers).get("authorization")).toBe("Bearer read-token");
      const sql = String(init?.body);
      asked.push(sql);
      const data = sql.includes("GROUP BY tenant")
        ? [
            {
              tenant: "acme",
              calls: "12",
              errors: "1",
              refused: "2",
              p50_ms: 8,
              p95_ms: 40,
              active_users: "3",
              downloads: "1",
              messages: "2",
            },
          ]
        : sql.includes("active_tenants")
          ? [
              {
                calls: "20",
                errors: "1",
                refused: "2",
                p50_ms: 7,
                p95_ms: 35,
                active_users: "4",
                downloads: "1",
                messages: "2",
                active_tenants: "2",
              },
            ]
          : [{ route: "/api/app/portal/home", method: "GET", calls: "9", p95_ms: 40 }];
      return Response.json({ data, meta: [], rows: data.length });
    };
    const store = new AnalyticsEngineUsage(dataset, {
      accountId: "acc-1",
      token: "read-token",
      fetch: fakeApi as typeof fetch,
    });
    store.record({
      at: 0,
      tenant: "acme",
      route: "/api/app/portal/home",
      method: "GET",
      status: 200,
      ms: 8,
      user: "3",
      kind: "call",
    });
    expect(points).toEqual([
      { indexes: ["acme"], blobs: ["acme", "/api/app/portal/home", "GET", "call", "3"], doubles: [200, 8] },
    ]);

    const from = new Date("2026-12-01T00:00:00Z");
    const to = new Date("2026-12-02T00:00:00Z");
    const s = await store.summary(from, to);
    expect(s.source).toBe("analytics-engine");
    expect(s.tenants).toEqual([
      {
        tenant: "acme",
        calls: 12,
        errors: 1,
        refused: 2,
        error_rate: 0.0833,
        p50_ms: 8,
        p95_ms: 40,
        active_users: 3,
        downloads: 1,
        messages: 2,
      },
    ]);
    expect(s.platform).toMatchObject({ calls: 20, active_tenants: 2, error_rate: 0.05 });
    expect(s.slowest_routes).toEqual([
      { route: "/api/app/portal/home", method: "GET", calls: 9, p95_ms: 40 },
    ]);
    expect(asked).toHaveLength(3);
    for (const sql of asked) {
      expect(sql).toContain(`timestamp >= toDateTime(${from.getTime() / 1000})`);
      expect(sql).toContain(`timestamp < toDateTime(${to.getTime() / 1000})`);
      expect(sql).toContain("FROM fataplus_usage");
    }

    const failing = new AnalyticsEngineUsage(dataset, {
      accountId: "acc-1",
      token: "read-token",
      fetch: (async () => new Response("no", { status: 500 })) as typeof fetch,
    });
    await expect(failing.summary(from, to)).rejects.toThrow("Analytics Engine's SQL API answered 500.");
    await expect(new AnalyticsEngineUsage(dataset, null).summary(from, to)).rejects.toThrow(
      /ANALYTICS_ACCOUNT_ID/,
    );
  });
});
