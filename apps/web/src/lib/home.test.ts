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

  it("tenant host: shows the tenant", async () => {
    const { api, urls } = client(200, { tenant });
    await expect(loadHome(api, "acme", "http://acme.localhost:4321/")).resolves.toEqual({
      status: 200,
      view: { kind: "portal", tenant },
    });
    expect(urls).toEqual(["http://x.test/api/public/tenant"]);
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
