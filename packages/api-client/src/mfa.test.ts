import { describe, expect, it } from "vitest";
import { createApiClient } from "./client";
import { mfaApi } from "./mfa";

function recorder(body: unknown, status = 200, headers: Record<string, string> = {}) {
  const calls: Array<{ url: string; method: string; body: string | undefined }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, method: init?.method ?? "GET", body: init?.body as string | undefined });
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  };
  return { calls, fetch };
}

const client = (rec: ReturnType<typeof recorder>) =>
  mfaApi(createApiClient({ baseUrl: "https://x.test", fetch: rec.fetch }));

describe("mfaApi", () => {
  it("passwordStep() answers the session when there is no second factor", async () => {
    const rec = recorder({ user: { id: 1, email: "a@b.c" }, token: "ey.x" }, 200, {
      "set-cookie": "auth=ey.x; Path=/",
    });
    const step = await client(rec).passwordStep({ email: "a@b.c", password: "pw" });
    expect(step).toMatchObject({ kind: "session", token: "ey.x", cookies: ["auth=ey.x; Path=/"] });
    expect(rec.calls[0]).toMatchObject({ url: "https://x.test/api/auth/login", method: "POST" });
  });

  it("passwordStep() answers the challenge, and no cookie, when a second factor comes first", async () => {
    const mfa = { challenge: "c".repeat(43), step: "verify", expires_at: "2026-12-03T18:00:00.000Z" };
    const step = await client(recorder({ mfa })).passwordStep({ email: "a@b.c", password: "pw" });
    expect(step).toEqual({ kind: "challenge", mfa });
  });

  it("verify() posts the challenge with a code or a recovery code", async () => {
    const rec = recorder({ user: { id: 1 }, token: "ey.y", recoveryCodes: ["AAAAA-BBBBB"] });
    const done = await client(rec).verify("c".repeat(43), { recoveryCode: "AAAAA-BBBBB" });
    expect(done.recoveryCodes).toEqual(["AAAAA-BBBBB"]);
    expect(JSON.parse(rec.calls[0]?.body ?? "{}")).toEqual({
      challenge: "c".repeat(43),
      recoveryCode: "AAAAA-BBBBB",
    });
  });

  it("surfaces a wrong code as an ApiError with its status", async () => {
    const rec = recorder({ error: { code: "UNAUTHENTICATED", message: "This code is not right." } }, 401);
    await expect(client(rec).verify("c".repeat(43), { code: "000000" })).rejects.toMatchObject({
      status: 401,
      message: "This code is not right.",
    });
  });
});
