import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, callApi, exchange, fieldErrorsOf, queryOf, readBody, retryAfterOf } from "./http";

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? "" : JSON.stringify(body), { status, headers });
  });
  return calls;
}

describe("callApi, the islands' caller", () => {
  it("sends JSON with the project as ?tenant= and the session cookie, and returns the body", async () => {
    const calls = stubFetch(200, { data: { id: "L1", stage: "won" } });
    const body = await callApi("PUT", "/api/data/leads/L%2F1", { tenant: "acme", body: { stage: "won" } });
    expect(body).toEqual({ data: { id: "L1", stage: "won" } });
    expect(calls[0]?.url).toBe("/api/data/leads/L%2F1?tenant=acme");
    expect(calls[0]?.init).toMatchObject({
      method: "PUT",
      body: '{"stage":"won"}',
      credentials: "same-origin",
    });
    expect(calls[0]?.init.headers).toMatchObject({
      "content-type": "application/json",
      accept: "application/json",
    });
  });

  it("drops empty query values", async () => {
    const calls = stubFetch(200, { rows: [] });
    await callApi("GET", "/api/app/crm/clients", {
      query: { tenant: "FP-1", kind: undefined, q: "", pageSize: 100 },
    });
    expect(calls[0]?.url).toBe("/api/app/crm/clients?tenant=FP-1&pageSize=100");
  });

  it("turns the error envelope into an ApiError with its fields and Retry-After", async () => {
    stubFetch(
      429,
      {
        error: {
          code: "RATE_LIMITED",
          message: "Too many",
          details: [
            { path: "name", message: "Too small" },
            { path: "links.0", message: "not a web address" },
            { path: "name", message: "second message, dropped" },
          ],
        },
      },
      { "retry-after": "120" },
    );
    const error = await callApi("POST", "/api/intake", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: "RATE_LIMITED", message: "Too many", retryAfter: 120 });
    expect(error instanceof ApiError && error.fields).toEqual({
      name: "Too small",
      links: "not a web address",
    });
  });

  it("reports a body that is not an envelope as HTTP_ERROR, and no answer as NETWORK_ERROR", async () => {
    stubFetch(502, undefined);
    await expect(callApi("DELETE", "/api/app/views/1")).rejects.toMatchObject({
      status: 502,
      code: "HTTP_ERROR",
    });
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("offline");
    });
    await expect(callApi("GET", "/api/app/crm/clients")).rejects.toMatchObject({
      status: 0,
      code: "NETWORK_ERROR",
    });
  });
});

describe("exchange", () => {
  it("sends a FormData as multipart, without a JSON content type", async () => {
    const seen: RequestInit[] = [];
    const form = new FormData();
    form.set("note", "v2");
    await exchange(
      async (_url, init) => {
        seen.push(init ?? {});
        return new Response('{"id":"S1"}', { status: 201 });
      },
      "https://web.test",
      { method: "POST", path: "/api/app/bootcamp/x", body: form },
    );
    expect(seen[0]?.body).toBe(form);
    expect(seen[0]?.headers).toEqual({ accept: "application/json" });
  });

  it("refuses a 2xx answer that is not JSON", async () => {
    await expect(
      exchange(async () => new Response("<html>", { status: 200 }), "", { method: "GET", path: "/api/x" }),
    ).rejects.toMatchObject({ status: 200, code: "INVALID_RESPONSE" });
  });
});

describe("the small readers", () => {
  it("read a body once: JSON, empty, or text", () => {
    expect(readBody('{"a":1}')).toEqual({ json: true, value: { a: 1 } });
    expect(readBody("  ")).toEqual({ json: true, value: undefined });
    expect(readBody("Bad gateway")).toEqual({ json: false, value: "Bad gateway" });
  });

  it("read Retry-After in seconds or as a date", () => {
    expect(retryAfterOf(new Headers({ "retry-after": "30" }))).toBe(30);
    expect(retryAfterOf(new Headers())).toBeNull();
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfterOf(new Headers({ "retry-after": inAMinute }))).toBeGreaterThan(50);
    expect(retryAfterOf(new Headers({ "retry-after": "soon" }))).toBeNull();
  });

  it("build a query: the call's tenant unless the query names one", () => {
    expect(queryOf({ a: 1, b: null, c: false }, "acme")).toBe("a=1&c=false&tenant=acme");
    expect(queryOf(new URLSearchParams({ tenant: "FP-1" }), "acme")).toBe("tenant=FP-1");
  });

  it("ignore details that are not field problems", () => {
    expect(fieldErrorsOf({ subdomain: "nope" })).toEqual({});
    expect(fieldErrorsOf([null, "x", { path: "", message: "m" }, { path: "email", message: "" }])).toEqual(
      {},
    );
  });
});
