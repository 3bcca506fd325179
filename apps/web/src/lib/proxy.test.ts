import { describe, expect, it, vi } from "vitest";
import { type ApiService, forwardToApi, isStrippedRequestHeader, toUpstreamRequest } from "./proxy";

/** A fake service binding that records what it receives. */
function fakeApi(respond: (request: Request) => Response | Promise<Response>) {
  const received: Request[] = [];
  const api: ApiService = {
    async fetch(request) {
      received.push(request);
      return respond(request);
    },
  };
  return { api, received };
}

describe("toUpstreamRequest", () => {
  it("replaces a client-supplied tenant header with the Host-derived one", () => {
    const request = new Request("http://acme.localhost:4321/api/data/projects", {
      headers: {
        "x-fataplus-tenant": "other",
        "x-fataplus-user": "1",
        "x-forwarded-host": "other.fata.plus",
        cookie: "auth=1",
      },
    });
    const upstream = toUpstreamRequest(request, "acme");
    expect(upstream.headers.get("x-fataplus-tenant")).toBe("acme");
    expect(upstream.headers.get("x-fataplus-user")).toBeNull();
    expect(upstream.headers.get("x-forwarded-host")).toBeNull();
    expect(upstream.headers.get("cookie")).toBe("auth=1");
    expect(isStrippedRequestHeader("x-forwarded-for")).toBe(true);
    expect(isStrippedRequestHeader("x-real-ip")).toBe(true);
    expect(isStrippedRequestHeader("Content-Type")).toBe(false);
    expect(upstream.url).toBe("http://acme.localhost:4321/api/data/projects");
    expect(upstream.redirect).toBe("manual");
  });

  it("sends no tenant header on the marketing host, even if the client sent one", () => {
    const request = new Request("http://localhost:4321/api/health", {
      headers: { "X-Fataplus-Tenant": "acme", "X-Forwarded-Host": "acme.localhost" },
    });
    const upstream = toUpstreamRequest(request, null);
    expect(upstream.headers.has("x-fataplus-tenant")).toBe(false);
    expect(upstream.headers.has("x-forwarded-host")).toBe(false);
  });
});

describe("forwardToApi", () => {
  it("keeps method, query, body, status and every Set-Cookie", async () => {
    const { api, received } = fakeApi(async (request) => {
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", "a=1; Path=/; HttpOnly");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response(JSON.stringify({ echo: await request.text() }), { status: 201, headers });
    });
    const request = new Request("http://acme.localhost:4321/api/data/projects?limit=5", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: "auth=abc" },
      body: JSON.stringify({ name: "Site" }),
    });
    const response = await forwardToApi(api, request, "acme");

    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe("POST");
    expect(received[0]?.url).toBe("http://acme.localhost:4321/api/data/projects?limit=5");
    expect(received[0]?.headers.get("cookie")).toBe("auth=abc");
    expect(received[0]?.headers.get("x-fataplus-tenant")).toBe("acme");
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/"]);
    expect(await response.json()).toEqual({ echo: JSON.stringify({ name: "Site" }) });
  });

  it("passes upstream errors through untouched", async () => {
    const { api } = fakeApi(() =>
      Response.json({ error: { code: "NOT_FOUND", message: "Unknown" } }, { status: 404 }),
    );
    const response = await forwardToApi(api, new Request("http://nope.localhost/api/public/tenant"), "nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: "Unknown" } });
  });

  it("passes redirects through instead of following them", async () => {
    const { api } = fakeApi(
      () =>
        new Response(null, {
          status: 302,
          headers: { location: "/login", "set-cookie": "auth=; Max-Age=0" },
        }),
    );
    const response = await forwardToApi(api, new Request("http://localhost/api/auth/logout"), null);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
    expect(response.headers.getSetCookie()).toEqual(["auth=; Max-Age=0"]);
  });

  it("answers 502 JSON when the binding throws", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { api } = fakeApi(() => {
      throw new Error("Network connection lost.");
    });
    const response = await forwardToApi(api, new Request("http://localhost/api/health"), null);
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(body.error.message).not.toContain("Network connection lost");
    error.mockRestore();
  });

  it("answers 502 JSON when the binding is missing", async () => {
    const response = await forwardToApi(undefined, new Request("http://localhost/api/health"), null);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: "UPSTREAM_UNAVAILABLE" } });
  });

  it("answers 502 JSON when wrangler dev reports the API worker is not running", async () => {
    const { api } = fakeApi(
      () =>
        new Response('Worker "fataplus-bknd" not found. Make sure it is running locally.', {
          status: 503,
          headers: { "content-type": "text/plain;charset=UTF-8" },
        }),
    );
    const response = await forwardToApi(api, new Request("http://localhost/api/health"), null);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: "UPSTREAM_UNAVAILABLE" } });
  });

  it("keeps a genuine 503 from the API", async () => {
    const { api } = fakeApi(
      () => new Response("Maintenance", { status: 503, headers: { "content-type": "text/plain" } }),
    );
    const response = await forwardToApi(api, new Request("http://localhost/api/health"), null);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("Maintenance");
  });
});

describe("WebSocket upgrades (/ws/*)", () => {
  it("forwards the handshake headers but never the test clock, and hands a 101 back untouched", async () => {
    const request = new Request("http://acme.localhost:4321/ws/messages?ticket=t", {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
        "x-fataplus-test-now": "2099-01-01T00:00:00Z",
      },
    });
    const upstream = toUpstreamRequest(request, "acme");
    expect(upstream.headers.get("upgrade")).toBe("websocket");
    expect(upstream.headers.get("sec-websocket-key")).toBe("dGhlIHNhbXBsZSBub25jZQ==");
    expect(upstream.headers.get("sec-websocket-version")).toBe("13");
    expect(upstream.headers.get("x-fataplus-test-now")).toBeNull();
    // Node can't build a 101 Response; workerd's carries the socket, which a copy would lose.
    const handshake = { status: 101, headers: new Headers() } as unknown as Response;
    const { api } = fakeApi(() => handshake);
    expect(await forwardToApi(api, request, "acme")).toBe(handshake);
  });
});
