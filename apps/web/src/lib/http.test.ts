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
    // a detail without a key was written for people by the API: shown as it is, under the page's summary
    expect(describeFailure(error, "Échec", "en")).toEqual({
      message: "Some fields need fixing. name : Too small",
      fields: { name: "Too small" },
    });
    expect(describeFailure(error, "Échec", "fr").message).toBe(
      "Certains champs sont à corriger. name : Too small",
    );
  });

  it("renders a field's key and params in the page's language, plural included", () => {
    const error = new ApiError(400, "VALIDATION", "Invalid input: title: Too big", [
      { path: "title", message: "Too big", key: "too_long", params: { max: 80 } },
      { path: "tags", message: "Too big", key: "too_many", params: { max: 1 } },
    ]);
    expect(describeFailure(error, "x", "fr").fields).toEqual({
      title: "Au plus 80 caractères.",
      tags: "Au plus 1 élément.",
    });
    expect(describeFailure(error, "x", "en").fields).toEqual({
      title: "At most 80 characters.",
      tags: "At most 1 item.",
    });
  });

  it("a French reader gets the code's French sentence, not the API's English message", () => {
    const signIn = new ApiError(401, "UNAUTHENTICATED", "Sign in first.");
    expect(describeFailure(signIn, "x", "fr").message).toBe("Connectez-vous d'abord.");
    expect(describeFailure(signIn, "x", "en").message).toBe("Sign in first.");
    const busy = new ApiError(429, "RATE_LIMITED", "Too many requests", undefined, 90);
    expect(describeFailure(busy, "x", "fr").message).toBe(
      "Trop de tentatives en peu de temps. Réessayez dans 2 minutes.",
    );
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
