import { describe, expect, it } from "vitest";
import { createApiClient } from "./client";
import { crmApi } from "./crm";

function recorder(body: unknown, status = 200) {
  const calls: Array<{ url: string; method: string; body: string | undefined }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, method: init?.method ?? "GET", body: init?.body as string | undefined });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { calls, fetch };
}

describe("crmApi", () => {
  it("sends list filters as query parameters and skips empty ones", async () => {
    const rec = recorder({ rows: [], total: 0, page: 1, pageSize: 25, pages: 1 });
    const api = crmApi(createApiClient({ baseUrl: "https://x.test", fetch: rec.fetch }));
    await api.clients({ q: "acme", sort: "name", kind: undefined, page: 2, tenant: "" });
    expect(rec.calls[0]?.url).toBe("https://x.test/api/app/crm/clients?q=acme&sort=name&page=2");
  });

  it("names the project with ?tenant= on a client made for it", async () => {
    const rec = recorder({
      tenant: {},
      role: "admin",
      projects: [],
      members: [],
      invitations: [],
      activity: [],
    });
    const api = crmApi(createApiClient({ baseUrl: "", fetch: rec.fetch }).forTenant("acme"));
    await api.projectOverview();
    expect(rec.calls[0]?.url).toBe("/api/app/project/overview?tenant=acme");
  });

  it("rejects a list answer of the wrong shape", async () => {
    const rec = recorder({ rows: "nope" });
    const api = crmApi(createApiClient({ baseUrl: "", fetch: rec.fetch }));
    await expect(api.leads()).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });
});
