import { describe, expect, it } from "vitest";
import { API_ROUTES, createApiClient, type FetchLike } from "./client";
import { ApiError } from "./errors";

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake fetch that records calls and answers from a queue of responses. */
function fakeFetch(...responses: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: input,
      method: init?.method ?? "GET",
      headers: Object.fromEntries(headers.entries()),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : init?.body,
    });
    const next = responses.shift();
    if (next === undefined) throw new Error("fakeFetch: no response queued");
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the call to throw");
}

const tenant = { id: "FP-2026-X7K9M3P1A", name: "Acme Coop", subdomain: "acme" };

describe("createApiClient", () => {
  it("health() calls GET /api/health on the base URL", async () => {
    const { fetch, calls } = fakeFetch(json({ ok: true, service: "fataplus-bknd" }));
    const api = createApiClient({ baseUrl: "https://web.test/", fetch });
    await expect(api.health()).resolves.toEqual({ ok: true, service: "fataplus-bknd" });
    expect(calls).toEqual([
      {
        url: "https://web.test/api/health",
        method: "GET",
        headers: { accept: "application/json" },
        body: undefined,
      },
    ]);
  });

  it("supports a same-origin relative base URL", async () => {
    const { fetch, calls } = fakeFetch(json({ ok: true, service: "x" }));
    await createApiClient({ baseUrl: "", fetch }).health();
    expect(calls[0]?.url).toBe("/api/health");
  });

  it("sends the default headers with every request", async () => {
    const { fetch, calls } = fakeFetch(json({ ok: true, service: "x" }));
    const api = createApiClient({ baseUrl: "https://web.test", fetch, headers: { cookie: "auth=abc" } });
    await api.health();
    expect(calls[0]?.headers).toMatchObject({ cookie: "auth=abc", accept: "application/json" });
  });

  it("currentTenant() unwraps the tenant", async () => {
    const { fetch, calls } = fakeFetch(json({ tenant }));
    const api = createApiClient({ baseUrl: "https://web.test", fetch });
    await expect(api.currentTenant()).resolves.toEqual(tenant);
    expect(calls[0]?.url).toBe("https://web.test/api/public/tenant");
  });

  it("turns the backend error envelope into an ApiError", async () => {
    const { fetch } = fakeFetch(
      json({ error: { code: "NOT_FOUND", message: "Unknown project", details: { subdomain: "nope" } } }, 404),
    );
    const error = await caught(createApiClient({ baseUrl: "", fetch }).currentTenant());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: "ApiError",
      status: 404,
      code: "NOT_FOUND",
      message: "Unknown project",
      details: { subdomain: "nope" },
    });
    expect(error.toJSON()).toEqual({
      status: 404,
      error: { code: "NOT_FOUND", message: "Unknown project", details: { subdomain: "nope" } },
    });
  });

  it("reports a non-envelope error body as HTTP_ERROR", async () => {
    const { fetch } = fakeFetch(new Response("Internal Server Error", { status: 500 }));
    const error = await caught(createApiClient({ baseUrl: "", fetch }).health());
    expect(error).toMatchObject({ status: 500, code: "HTTP_ERROR", details: "Internal Server Error" });
    expect(error.message).toBe("Request failed with status 500");
  });

  it("reports a thrown fetch as NETWORK_ERROR with status 0", async () => {
    const { fetch } = fakeFetch(new TypeError("fetch failed"));
    const error = await caught(createApiClient({ baseUrl: "", fetch }).health());
    expect(error).toMatchObject({ status: 0, code: "NETWORK_ERROR" });
    expect(error.message).toContain("fetch failed");
  });

  it("rejects a 2xx body that does not match the schema", async () => {
    const { fetch } = fakeFetch(json({ ok: "yes" }));
    const error = await caught(createApiClient({ baseUrl: "", fetch }).health());
    expect(error).toMatchObject({ status: 200, code: "INVALID_RESPONSE" });
    expect(error.message).toContain("GET /api/health");
  });

  it("rejects a 2xx body that is not JSON", async () => {
    const { fetch } = fakeFetch(new Response("<html>", { status: 200 }));
    const error = await caught(createApiClient({ baseUrl: "", fetch }).health());
    expect(error).toMatchObject({ status: 200, code: "INVALID_RESPONSE" });
  });
});

describe("auth", () => {
  const user = { id: 1, email: "rado@fata.plus", name: "Rado", role: "admin", locale: "fr", extra: "kept" };

  it("login() posts the credentials as JSON", async () => {
    const { fetch, calls } = fakeFetch(json({ user, token: "jwt" }));
    const api = createApiClient({ baseUrl: "https://web.test", fetch });
    const session = await api.login({ email: "rado@fata.plus", password: "s3cret!" });
    expect(session.user.email).toBe("rado@fata.plus");
    expect(session.user).toMatchObject({ extra: "kept" });
    expect(session.token).toBe("jwt");
    expect(calls[0]).toMatchObject({
      url: "https://web.test/api/auth/login",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: { email: "rado@fata.plus", password: "s3cret!" },
    });
  });

  it("login() hands back the session's Set-Cookie headers", async () => {
    const headers = new Headers({ "content-type": "application/json" });
    headers.append("set-cookie", "auth=jwt; HttpOnly; Path=/");
    const { fetch } = fakeFetch(new Response(JSON.stringify({ user, token: "jwt" }), { headers }));
    const session = await createApiClient({ baseUrl: "", fetch }).login({ email: "a@b.c", password: "x" });
    expect(session.cookies).toEqual(["auth=jwt; HttpOnly; Path=/"]);
  });

  it("login() surfaces a 429 with the wait it asks for", async () => {
    const { fetch } = fakeFetch(
      json({ error: { code: "RATE_LIMITED", message: "Too many attempts" } }, 429, { "retry-after": "600" }),
    );
    const error = await caught(
      createApiClient({ baseUrl: "", fetch }).login({ email: "a@b.c", password: "x" }),
    );
    expect(error).toMatchObject({ status: 429, retryAfter: 600 });
  });

  it("login() surfaces a 401 as an ApiError", async () => {
    const { fetch } = fakeFetch(
      json({ error: { code: "UNAUTHENTICATED", message: "Invalid credentials" } }, 401),
    );
    const error = await caught(
      createApiClient({ baseUrl: "", fetch }).login({ email: "a@b.c", password: "x" }),
    );
    expect(error).toMatchObject({ status: 401, code: "UNAUTHENTICATED", message: "Invalid credentials" });
  });

  it("me() returns the user and their tenants, or null when signed out (401)", async () => {
    const tenants = [
      { id: "FP-2026-X7K9M3P1A", name: "Acme", subdomain: "acme", kind: "project", role: "client" },
    ];
    const { fetch, calls } = fakeFetch(
      json({ user, tenants }),
      json({ error: { code: "UNAUTHENTICATED", message: "Sign in first." } }, 401),
    );
    const api = createApiClient({ baseUrl: "", fetch });
    await expect(api.me()).resolves.toMatchObject({ user: { id: 1, email: "rado@fata.plus" }, tenants });
    await expect(api.me()).resolves.toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(["GET /api/auth/me", "GET /api/auth/me"]);
  });

  it("me() still throws other errors", async () => {
    const { fetch } = fakeFetch(json({ error: { code: "INTERNAL", message: "Oops" } }, 500));
    await expect(createApiClient({ baseUrl: "", fetch }).me()).rejects.toMatchObject({
      status: 500,
      code: "INTERNAL",
    });
  });

  it("logout() posts and ignores an empty body", async () => {
    const { fetch, calls } = fakeFetch(new Response(null, { status: 204 }));
    await expect(createApiClient({ baseUrl: "", fetch }).logout()).resolves.toEqual({ cookies: [] });
    expect(calls[0]).toMatchObject({ url: "/api/auth/logout", method: "POST" });
  });
});

describe("data", () => {
  const project = { id: 7, name: "Site vitrine", tenant_id: "FP-2026-X7K9M3P1A" };

  it("list() encodes where as JSON and passes sort, limit and offset", async () => {
    const { fetch, calls } = fakeFetch(json({ data: [project], meta: { total: 1, count: 1 } }));
    const api = createApiClient({ baseUrl: "https://web.test", fetch });
    const result = await api.list("projects", {
      where: { status: { $in: ["active", "draft"] } },
      sort: { by: "created_at", dir: "desc" },
      limit: 20,
      offset: 40,
    });
    expect(result).toEqual({ data: [project], meta: { total: 1, count: 1 } });
    const url = new URL(calls[0]?.url ?? "");
    expect(url.pathname).toBe("/api/data/projects");
    expect(JSON.parse(url.searchParams.get("where") ?? "")).toEqual({ status: { $in: ["active", "draft"] } });
    expect(JSON.parse(url.searchParams.get("sort") ?? "")).toEqual({ by: "created_at", dir: "desc" });
    expect(url.searchParams.get("limit")).toBe("20");
    expect(url.searchParams.get("offset")).toBe("40");
  });

  it("list() without options sends no query string and defaults meta", async () => {
    const { fetch, calls } = fakeFetch(json({ data: [] }));
    const result = await createApiClient({ baseUrl: "", fetch }).list("projects", { sort: "-created_at" });
    expect(result).toEqual({ data: [], meta: {} });
    expect(calls[0]?.url).toBe("/api/data/projects?sort=-created_at");
  });

  it("list() checks the answer's outer shape", async () => {
    const { fetch } = fakeFetch(json({ rows: [project] }), json({ data: [7] }));
    const api = createApiClient({ baseUrl: "", fetch });
    await expect(api.list("projects")).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
    await expect(api.list("projects")).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });

  it("count() posts the where-clause to bknd's count route", async () => {
    const { fetch, calls } = fakeFetch(json({ count: 3 }));
    await expect(createApiClient({ baseUrl: "", fetch }).count("tasks", { status: "todo" })).resolves.toBe(3);
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "/api/data/entity/tasks/fn/count",
      body: { status: "todo" },
    });
  });

  it("get() reads one row and encodes the id", async () => {
    const { fetch, calls } = fakeFetch(json({ data: project }));
    const row = await createApiClient({ baseUrl: "", fetch }).get("projects", "FP/1 2");
    expect(row).toEqual(project);
    expect(calls[0]?.url).toBe("/api/data/projects/FP%2F1%202");
  });

  it("create() posts the body", async () => {
    const { fetch, calls } = fakeFetch(json({ data: project }, 201));
    const row = await createApiClient({ baseUrl: "", fetch }).create("projects", { name: "Site vitrine" });
    expect(row).toEqual(project);
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "/api/data/projects",
      body: { name: "Site vitrine" },
    });
  });

  it("update() puts the body on the item", async () => {
    const { fetch, calls } = fakeFetch(json({ data: { ...project, name: "Nouveau" } }));
    const row = await createApiClient({ baseUrl: "", fetch }).update("projects", 7, { name: "Nouveau" });
    expect(row).toMatchObject({ name: "Nouveau" });
    expect(calls[0]).toMatchObject({ method: "PUT", url: "/api/data/projects/7", body: { name: "Nouveau" } });
  });

  it("remove() deletes the item", async () => {
    const { fetch, calls } = fakeFetch(json({ data: project }));
    await expect(createApiClient({ baseUrl: "", fetch }).remove("projects", 7)).resolves.toBeUndefined();
    expect(calls[0]).toMatchObject({ method: "DELETE", url: "/api/data/projects/7" });
  });

  it("remove() throws the backend error", async () => {
    const { fetch } = fakeFetch(json({ error: { code: "FORBIDDEN", message: "Not your project" } }, 403));
    await expect(createApiClient({ baseUrl: "", fetch }).remove("projects", 7)).rejects.toMatchObject({
      status: 403,
      code: "FORBIDDEN",
    });
  });

  it("refuses entity names and ids that would change the path", async () => {
    const { fetch, calls } = fakeFetch();
    const api = createApiClient({ baseUrl: "", fetch });
    // The entity is typed, but a name read from a URL must not reach the path either.
    expect(() => API_ROUTES.data("../auth")).toThrow(TypeError);
    expect(() => API_ROUTES.dataItem("projects?x=1", 1)).toThrow(TypeError);
    await expect(api.get("projects", "..")).rejects.toBeInstanceOf(TypeError);
    await expect(api.get("projects", "")).rejects.toBeInstanceOf(TypeError);
    expect(calls).toEqual([]);
  });
});
