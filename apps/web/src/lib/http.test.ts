import { ApiError } from "@fataplus/api-client/http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { dataApi, describeFailure, statusOf } from "./http";

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? "" : JSON.stringify(body), { status });
  });
  return calls;
}

describe("the islands' data API", () => {
  it("puts a row of a project and returns it", async () => {
    const calls = stubFetch(200, { data: { id: "L1", stage: "won" } });
    const row = await dataApi("acme").update("leads", "L/1", { stage: "won" });
    expect(row).toEqual({ id: "L1", stage: "won" });
    expect(calls[0]?.url).toBe("/api/data/leads/L%2F1?tenant=acme");
    expect(calls[0]?.init).toMatchObject({ method: "PUT", body: '{"stage":"won"}' });
  });

  it("creates and removes", async () => {
    const calls = stubFetch(201, { data: { id: "C1" } });
    expect((await dataApi("acme").create("clients", { name: "Rasoa" })).id).toBe("C1");
    await dataApi("acme").remove("clients", "C1");
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "POST /api/data/clients?tenant=acme",
      "DELETE /api/data/clients/C1?tenant=acme",
    ]);
  });
});

describe("describeFailure", () => {
  it("shows the API's message and its fields", async () => {
    stubFetch(400, {
      error: {
        code: "VALIDATION",
        message: "Invalid body",
        details: [{ path: "name", message: "Too small" }],
      },
    });
    const error = await dataApi("acme")
      .create("clients", {})
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
    expect(describeFailure(error, "Échec")).toEqual({
      message: "Invalid body",
      fields: { name: "Too small" },
    });
  });

  it("falls back when no answer came, or on an error that is not the API's", () => {
    expect(describeFailure(new ApiError(0, "NETWORK_ERROR", "offline"), "Réessayez.")).toEqual({
      message: "Réessayez.",
      fields: {},
    });
    expect(describeFailure(new Error("x"), "Réessayez.").message).toBe("Réessayez.");
    expect(statusOf(new Error("x"))).toBe(0);
  });
});
