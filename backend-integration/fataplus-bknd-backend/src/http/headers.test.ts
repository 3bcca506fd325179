/**
 * Security review (issue 14), findings 9 and 11: every answer of the API says it must not be cached, unless a
 * route says otherwise (finding 9), and carries the site's security headers, bknd's admin UI included
 * (finding 11).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, scenario, type TestUser } from "../../test/factories.ts";

let client: TestUser;
let admin: TestUser;
let tenant = "";
let taskId = "";

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    seed: true,
    roles: ["client", "project_manager"],
    users: { admin: { agency: "admin" } },
  });
  client = s.members.A.client;
  admin = s.users.admin;
  tenant = s.tenants.A.subdomain;
  taskId = s.refs.A.tasks;
});

describe("finding 9: data API answers are never cached", () => {
  it("a list, a read, a count, a write, a refusal and an admin's unscoped read all say no-store", async () => {
    const answers = [
      await call("GET", "/api/data/entity/tasks", { token: client.token, tenant }),
      await call("GET", `/api/data/entity/tasks/${taskId}`, { token: client.token, tenant }),
      await call("GET", "/api/data/tasks", { token: client.token, tenant }),
      await call("POST", "/api/data/entity/tasks/fn/count", { token: client.token, tenant, body: {} }),
      await call("POST", "/api/data/entity/tasks/query", { token: client.token, tenant, body: {} }),
      await call("PATCH", `/api/data/entity/tasks/${taskId}`, {
        token: client.token,
        tenant,
        body: { title: "x" },
      }),
      await call("GET", "/api/data/entity/tasks", { token: admin.token }),
      await call("GET", "/api/data/entity/tasks"),
    ];
    for (const res of answers) {
      expect(res.headers.get("cache-control"), `${res.status} ${res.url}`).toBe("no-store");
    }
    expect(answers[0]?.status).toBe(200);
  });

  it("a route that allows caching keeps its own header", async () => {
    const res = await call("GET", "/api/public/bootcamp/catalogue");
    expect(res.headers.get("cache-control") ?? "").not.toBe("no-store");
  });
});

describe("finding 11: the API sends the site's security headers", () => {
  const expectSecurityHeaders = (res: Response, what: string) => {
    expect(res.headers.get("x-frame-options"), what).toBe("DENY");
    expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
    expect(res.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("content-security-policy"), what).toContain("frame-ancestors 'none'");
    expect(res.headers.get("content-security-policy"), what).toContain("object-src 'none'");
    expect(res.headers.get("strict-transport-security"), what).toMatch(/max-age=\d+/);
  };

  it("on JSON answers, refusals and bknd's admin pages", async () => {
    expectSecurityHeaders(await call("GET", "/api/health"), "health");
    expectSecurityHeaders(await call("GET", "/api/data/entity/tasks"), "a refusal");
    expectSecurityHeaders(
      await call("GET", "/api/data/entity/tasks", { token: client.token, tenant }),
      "data",
    );
    expectSecurityHeaders(await call("GET", "/admin/auth/login"), "admin login page");
    expectSecurityHeaders(await call("GET", "/admin", { headers: { cookie: admin.cookie } }), "admin");
  });

  it("bknd's admin UI can't be framed, and only its own scripts run (each inline one carries the page's nonce)", async () => {
    const res = await call("GET", "/admin/data", { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeDefined();
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // a second page gets another nonce
    const again = await call("GET", "/admin/data", { headers: { cookie: admin.cookie } });
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
  });
});
