import { describe, expect, it } from "vitest";
import { createApiClient } from "./client";
import { teamApi } from "./team";

function recorder(body: unknown, status = 200) {
  const calls: Array<{ url: string; method: string; body: string | undefined }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, method: init?.method ?? "GET", body: init?.body as string | undefined });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { calls, fetch };
}

const INV = "6f1c1b8e-4c1f-4a55-9f55-6a4f8f0f3a11";

describe("teamApi", () => {
  it("sends each team change to its route with its method and body", async () => {
    const role = recorder({ user_id: 7, role: "partner", changed: true });
    await teamApi(createApiClient({ baseUrl: "", fetch: role.fetch })).changeRole(7, "partner");
    expect(role.calls[0]).toMatchObject({ url: "/api/app/project/members/7", method: "PUT" });
    expect(JSON.parse(role.calls[0]?.body ?? "{}")).toEqual({ role: "partner" });

    const removed = recorder({ user_id: 7, removed: true });
    await teamApi(createApiClient({ baseUrl: "", fetch: removed.fetch })).removeMember(7);
    expect(removed.calls[0]).toMatchObject({ url: "/api/app/project/members/7", method: "DELETE" });

    const resent = recorder({
      id: INV,
      token: "t",
      expiresAt: "2026-12-10T00:00:00.000Z",
      acceptPath: "/invitation?token=t",
    });
    const out = await teamApi(createApiClient({ baseUrl: "", fetch: resent.fetch })).resendInvitation(INV);
    expect(out.acceptPath).toBe("/invitation?token=t");
    expect(resent.calls[0]).toMatchObject({
      url: `/api/app/project/invitations/${INV}/resend`,
      method: "POST",
    });

    const revoked = recorder({ id: INV, revoked: true });
    await teamApi(createApiClient({ baseUrl: "", fetch: revoked.fetch })).revokeInvitation(INV);
    expect(revoked.calls[0]).toMatchObject({ url: `/api/app/project/invitations/${INV}`, method: "DELETE" });

    const status = recorder({ user_id: 9, status: "disabled", changed: true });
    await teamApi(createApiClient({ baseUrl: "", fetch: status.fetch })).setUserStatus(9, "disabled");
    expect(status.calls[0]).toMatchObject({ url: "/api/app/agency/users/9/status", method: "PUT" });
    expect(JSON.parse(status.calls[0]?.body ?? "{}")).toEqual({ status: "disabled" });
  });

  it("lists users with the query, and rejects an answer of the wrong shape", async () => {
    const list = recorder({ rows: [] });
    await teamApi(createApiClient({ baseUrl: "", fetch: list.fetch })).users({ q: "rova" });
    expect(list.calls[0]?.url).toBe("/api/app/agency/users?q=rova");
    const bad = recorder({ removed: "yes" });
    await expect(
      teamApi(createApiClient({ baseUrl: "", fetch: bad.fetch })).removeMember(7),
    ).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
  });
});
