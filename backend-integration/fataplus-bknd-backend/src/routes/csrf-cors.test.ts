/**
 * ASVS level 2, cross-origin items, against the API worker itself (the site's own checks are in
 * apps/web/e2e/security.e2e.ts): a disallowed Origin gets no CORS headers, preflight or not; a browser write
 * from another site that carries the session cookie is refused and changes nothing; the site's own origins,
 * proxied requests and bearer-token callers work.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, scenario, type TestUser } from "../../test/factories.ts";

let user: TestUser;
let cookie = "";
const SITE = "http://localhost:4321"; // in SITE_ORIGINS (wrangler.toml)
const PORTAL = "http://acme.localhost:4321";
const EVIL = "https://evil.example";

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    names: { A: "CSRF" },
    users: { user: { agency: "staff", in: { A: "admin" } } },
  });
  user = s.users.user;
  cookie = user.cookie;
  expect(cookie).toMatch(/=/);
});

const views = async () =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM saved_views WHERE user_id = ?")
      .bind(user.id)
      .first<{ n: number }>()
  )?.n;

const saveView = (headers: Record<string, string>, contentType = "application/json") =>
  call("POST", "/api/app/views", {
    rawBody: JSON.stringify({ screen: "clients", name: "csrf", query: "q=x" }),
    headers: { "content-type": contentType, cookie, ...headers },
  });

describe("CORS", () => {
  it("a disallowed Origin gets no CORS headers, on a preflight or on the request itself", async () => {
    for (const origin of [
      EVIL,
      "null",
      "http://localhost:4321.evil.example",
      "http://evil.localhost:4321.x",
    ]) {
      const pre = await call("OPTIONS", "/api/app/views", {
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      expect(pre.status, origin).toBe(403);
      expect(pre.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(pre.headers.get("access-control-allow-credentials"), origin).toBeNull();
      const get = await call("GET", "/api/health", { headers: { origin } });
      expect(get.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("the site and a project's subdomain get credentialed CORS for their own origin only", async () => {
    for (const origin of [SITE, PORTAL]) {
      const pre = await call("OPTIONS", "/api/app/views", {
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
      expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    }
  });
});

describe("cross-site writes with the session cookie (CSRF)", () => {
  it("are refused and change nothing: another site, an opaque origin, a same-site page that is not ours", async () => {
    const before = await views();
    const attempts: Array<Record<string, string>> = [
      { origin: EVIL, "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "cross-site" }, // a form post without Origin
      { origin: "null" },
      { origin: "https://other.fata.plus.evil.example", "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      for (const type of ["application/json", "text/plain", "application/x-www-form-urlencoded"]) {
        const res = await saveView(headers, type);
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/cross-site/i);
      }
    }
    const del = await call("DELETE", "/api/app/tokens/whatever", {
      headers: { cookie, origin: EVIL, "sec-fetch-site": "cross-site" },
    });
    expect(del.status).toBe(403);
    expect(await views()).toBe(before);
  });

  it("the site's own pages, requests the site proxies and bearer-token callers still write", async () => {
    const before = (await views()) ?? 0;
    expect((await saveView({ origin: SITE, "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await saveView({ origin: PORTAL, "sec-fetch-site": "same-site" })).status).toBe(201);
    expect((await saveView({ origin: SITE })).status).toBe(201); // proxied: no Sec-Fetch-Site
    const bearer = await call("POST", "/api/app/views", {
      token: user.token,
      body: { screen: "leads", name: "bearer", query: "q=y" },
      headers: { origin: EVIL, "sec-fetch-site": "cross-site" },
    });
    expect(bearer.status).toBe(201);
    expect(await views()).toBe(before + 4);
  });
});

describe("security review (issue 14), finding 6", () => {
  it("a cookie write whose Origin is foreign is refused even without Sec-Fetch-Site", async () => {
    const before = await views();
    for (const origin of [EVIL, "http://localhost:4321.evil.example", "https://fata.plus.evil.example"]) {
      for (const type of ["application/json", "text/plain"]) {
        const res = await saveView({ origin }, type);
        expect(res.status, `${origin} ${type}`).toBe(403);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/cross-site/i);
      }
    }
    expect(await views()).toBe(before);
  });

  it("a body is read as JSON only when it says it is JSON: other types are refused (415), nothing changes", async () => {
    const before = await views();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream", ""]) {
      const viaCookie = await saveView({ origin: SITE, "sec-fetch-site": "same-origin" }, type);
      expect(viaCookie.status, `cookie ${type}`).toBe(415);
      const viaBearer = await call("POST", "/api/app/views", {
        token: user.token,
        rawBody: JSON.stringify({ screen: "leads", name: "bearer", query: "q=y" }),
        headers: type ? { "content-type": type } : {},
      });
      expect(viaBearer.status, `bearer ${type}`).toBe(415);
      const body = (await viaBearer.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(body.error.message).toMatch(/application\/json/);
    }
    expect(await views()).toBe(before);
    // JSON with a charset, or a +json type, is JSON
    expect((await saveView({ origin: SITE }, "application/json; charset=utf-8")).status).toBe(201);
  });
});
