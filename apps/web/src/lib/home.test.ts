import { createApiClient, type FetchLike } from "@fataplus/api-client";
import { describe, expect, it, vi } from "vitest";
import { loadHome } from "./home";

function client(status: number, body: unknown) {
  const urls: string[] = [];
  const fetch: FetchLike = async (input) => {
    urls.push(input);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { api: createApiClient({ baseUrl: "http://x.test", fetch }), urls };
}

function routes(table: Record<string, [number, unknown]>) {
  const urls: string[] = [];
  const fetch: FetchLike = async (input) => {
    urls.push(input);
    const [status, body] = table[new URL(input).pathname] ?? [
      404,
      { error: { code: "NOT_FOUND", message: "no route" } },
    ];
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { api: createApiClient({ baseUrl: "http://x.test", fetch }), urls };
}

const tenant = { id: "FP-2026-X7K9M3P1A", name: "Acme Coopérative", subdomain: "acme" };

describe("loadHome", () => {
  it("marketing host: reports the API as connected", async () => {
    const { api, urls } = client(200, { ok: true, service: "fataplus-bknd" });
    await expect(loadHome(api, null, "http://localhost:4321/")).resolves.toEqual({
      status: 200,
      view: { kind: "marketing", api: { state: "connected", service: "fataplus-bknd" } },
    });
    expect(urls).toEqual(["http://x.test/api/health"]);
  });

  it("marketing host: still renders (200) when the API is down", async () => {
    const { api } = client(502, { error: { code: "UPSTREAM_UNAVAILABLE", message: "down" } });
    await expect(loadHome(api, null, "http://localhost:4321/")).resolves.toEqual({
      status: 200,
      view: { kind: "marketing", api: { state: "unavailable", reason: "UPSTREAM_UNAVAILABLE (502)" } },
    });
  });

  it("tenant host: shows a member the portal home", async () => {
    const home = { tenant, role: "client", projects: [], phases: [] };
    const { api, urls } = routes({
      "/api/public/tenant": [200, { tenant }],
      "/api/auth/me": [200, { user: { id: 1, email: "c@acme.test", name: "Claire" }, tenants: [] }],
      "/api/app/portal/home": [200, home],
    });
    await expect(loadHome(api, "acme", "http://acme.localhost:4321/")).resolves.toEqual({
      status: 200,
      view: {
        kind: "portal",
        tenant,
        home,
        user: { name: "Claire", email: "c@acme.test", timeZone: "Indian/Antananarivo" },
      },
    });
    expect(urls).toEqual([
      "http://x.test/api/public/tenant",
      "http://x.test/api/auth/me",
      "http://x.test/api/app/portal/home",
    ]);
  });

  it("tenant host: a visitor signs in first and comes back", async () => {
    const { api } = routes({
      "/api/public/tenant": [200, { tenant }],
      "/api/auth/me": [401, { error: { code: "UNAUTHENTICATED", message: "Sign in" } }],
    });
    await expect(loadHome(api, "acme", "http://acme.localhost:4321/en/")).resolves.toEqual({
      status: 303,
      redirect: "/login?next=%2Fen%2F",
    });
  });

  it("tenant host: a signed-in non-member gets 403", async () => {
    const { api } = routes({
      "/api/public/tenant": [200, { tenant }],
      "/api/auth/me": [200, { user: { id: 2, email: "g@globex.test" }, tenants: [] }],
      "/api/app/portal/home": [403, { error: { code: "FORBIDDEN", message: "No access" } }],
    });
    await expect(loadHome(api, "acme", "http://acme.localhost:4321/")).resolves.toEqual({
      status: 403,
      view: { kind: "portal-forbidden", tenant, email: "g@globex.test" },
    });
  });

  it("tenant host: unknown project is a 404 with a link to the marketing site", async () => {
    const { api } = client(404, { error: { code: "NOT_FOUND", message: "Unknown project" } });
    await expect(loadHome(api, "nope", "http://nope.localhost:4321/en/")).resolves.toEqual({
      status: 404,
      view: { kind: "unknown-tenant", subdomain: "nope", marketingUrl: "http://localhost:4321" },
    });
  });

  it("tenant host: API down is a 503, not a 404", async () => {
    vi.spyOn(console, "error").mockImplementationOnce(() => {});
    const { api } = client(502, { error: { code: "UPSTREAM_UNAVAILABLE", message: "down" } });
    const result = await loadHome(api, "acme", "http://acme.localhost:4321/");
    expect(result).toEqual({ status: 503, view: { kind: "portal-unavailable", subdomain: "acme" } });
  });
});
