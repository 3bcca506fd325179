import { describe, expect, it } from "vitest";
import { createApiClient } from "./client";
import { oauthApi } from "./oauth";

function recorder(body: unknown, status = 200) {
  const calls: Array<{ url: string; method: string; body: string | undefined }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({
      url,
      method: init?.method ?? "GET",
      body: typeof init?.body === "string" ? init.body : undefined,
    });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { calls, fetch };
}

describe("oauthApi", () => {
  it("reads a waiting consent request and relays the answer", async () => {
    const shown = {
      client_name: "Claude",
      redirect_host: "claude.ai",
      local_app: false,
      expires_at: "2026-12-04T02:00:00.000Z",
      projects: [{ id: "FP-2026-ABCDEFGHJ", subdomain: "acme", name: "Acme" }],
    };
    const read = recorder({ data: shown });
    expect(await oauthApi(createApiClient({ baseUrl: "", fetch: read.fetch })).request("h/1")).toEqual(shown);
    expect(read.calls[0]).toMatchObject({ url: "/api/app/oauth/requests/h%2F1", method: "GET" });

    const ok = recorder({ data: { redirect_to: "https://claude.ai/cb?code=x&state=y" } });
    const to = await oauthApi(createApiClient({ baseUrl: "", fetch: ok.fetch })).approve("h", {
      tenants: ["acme"],
      scope: "read",
      expires_in_days: 30,
    });
    expect(to).toBe("https://claude.ai/cb?code=x&state=y");
    expect(ok.calls[0]).toMatchObject({ url: "/api/app/oauth/requests/h/approve", method: "POST" });
    expect(JSON.parse(ok.calls[0]?.body ?? "{}")).toEqual({
      tenants: ["acme"],
      scope: "read",
      expires_in_days: 30,
    });
  });

  it("turns an expired request into the API's error", async () => {
    const gone = recorder(
      { error: { code: "NOT_FOUND", message: "This connection request has expired" } },
      404,
    );
    await expect(
      oauthApi(createApiClient({ baseUrl: "", fetch: gone.fetch })).deny("h"),
    ).rejects.toMatchObject({
      status: 404,
      code: "NOT_FOUND",
    });
  });
});
