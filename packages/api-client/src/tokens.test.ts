import { describe, expect, it } from "vitest";
import { createApiClient } from "./client";
import { tokensApi } from "./tokens";

function recorder(body: unknown, status = 200) {
  const calls: Array<{ url: string; method: string; body: string | undefined }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, method: init?.method ?? "GET", body: init?.body as string | undefined });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { calls, fetch };
}

const view = {
  id: "6f1c1b8e-4c1f-4a55-9f55-6a4f8f0f3a11",
  kind: "personal",
  name: "Claude",
  prefix: "fpat_abcdefg",
  scope: "read",
  tenants: [{ id: "FP-2026-ABCDEFGHJ", subdomain: "acme", name: "Acme" }],
  status: "active",
  expires_at: "2027-01-01T00:00:00.000Z",
  revoked_at: null,
  last_used_at: null,
  created_at: "2026-11-23T00:00:00.000Z",
};

describe("tokensApi", () => {
  it("creates a token with a JSON body and returns the secret", async () => {
    const rec = recorder({ data: { ...view, token: `fpat_${"a".repeat(43)}` } }, 201);
    const api = tokensApi(createApiClient({ baseUrl: "https://x.test", fetch: rec.fetch }));
    const created = await api.create({ name: "Claude", expires_in_days: 30, tenants: ["acme"] });
    expect(created.token).toMatch(/^fpat_/);
    expect(rec.calls[0]).toMatchObject({ url: "https://x.test/api/app/tokens", method: "POST" });
    expect(JSON.parse(rec.calls[0]?.body ?? "{}")).toEqual({
      name: "Claude",
      expires_in_days: 30,
      tenants: ["acme"],
    });
  });

  it("lists and revokes, and rejects answers of the wrong shape", async () => {
    const list = recorder({ data: [view] });
    expect(await tokensApi(createApiClient({ baseUrl: "", fetch: list.fetch })).list()).toEqual([view]);
    const revoke = recorder({ data: { id: view.id, revoked_at: "2026-11-23T01:00:00.000Z" } });
    await tokensApi(createApiClient({ baseUrl: "", fetch: revoke.fetch })).revoke(view.id);
    expect(revoke.calls[0]).toMatchObject({ url: `/api/app/tokens/${view.id}`, method: "DELETE" });
    const bad = recorder({ data: [{ ...view, scope: "admin" }] });
    await expect(tokensApi(createApiClient({ baseUrl: "", fetch: bad.fetch })).list()).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
  });

  it("turns the backend's error envelope into an ApiError", async () => {
    const rec = recorder(
      { error: { code: "VALIDATION", message: "Invalid access token: name: is required" } },
      400,
    );
    const api = tokensApi(createApiClient({ baseUrl: "", fetch: rec.fetch }));
    await expect(api.create({ name: "", expires_in_days: 1, tenants: "all" })).rejects.toMatchObject({
      status: 400,
      code: "VALIDATION",
    });
  });
});
