import { afterEach, describe, expect, it, vi } from "vitest";
import { callApi, dataApi, describeFailure, HttpError } from "./http";

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? "" : JSON.stringify(body), { status });
  });
  return calls;
}

describe("callApi", () => {
  it("sends JSON with the project as ?tenant= and returns the body", async () => {
    const calls = stubFetch(200, { data: { id: "L1", stage: "won" } });
    const row = await dataApi("acme").update("leads", "L/1", { stage: "won" });
    expect(row).toEqual({ id: "L1", stage: "won" });
    expect(calls[0]?.url).toBe("/api/data/leads/L%2F1?tenant=acme");
    expect(calls[0]?.init.method).toBe("PUT");
    expect(calls[0]?.init.body).toBe('{"stage":"won"}');
  });

  it("turns the error envelope into an HttpError with its field details", async () => {
    stubFetch(400, {
      error: {
        code: "VALIDATION",
        message: "Invalid body",
        details: [{ path: "name", message: "Too small" }],
      },
    });
    const error = await callApi("POST", "/api/data/clients", { tenant: "acme", body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, code: "VALIDATION" });
    expect(describeFailure(error, "Échec")).toEqual({
      message: "Invalid body",
      fields: { name: "Too small" },
    });
  });

  it("a body that is not an envelope, or no answer at all, gives the fallback message", async () => {
    stubFetch(502, undefined);
    const error = await callApi("DELETE", "/api/app/views/1").catch((e) => e);
    expect(error).toMatchObject({ status: 502, code: "HTTP_ERROR" });
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("offline");
    });
    const offline = await callApi("GET", "/api/app/crm/clients").catch((e) => e);
    expect(describeFailure(offline, "Réessayez.")).toEqual({ message: "Réessayez.", fields: {} });
    expect(describeFailure(new Error("x"), "Réessayez.").message).toBe("Réessayez.");
  });
});
