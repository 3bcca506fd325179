/**
 * MCP by URL (decision 031), with the official SDK's client against the real worker: discovery, dynamic
 * registration, the authorization request, consent by the signed-in person (the site's page calls these routes),
 * the code exchange with PKCE, tool calls with the OAuth token, refresh, and revocation from the tokens list. A
 * grant reaches what the person approved and nothing else.
 */
import { exports } from "cloudflare:workers";
import {
  auth,
  discoverAuthorizationServerMetadata,
  refreshAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, makeTenant, makeUser, type TestUser } from "../../test/factories.ts";
import { textOf } from "../../test/mcp-factories.ts";
import { MemoryOAuthClient } from "../../test/oauth-client.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const fetchFn = (input: string | URL | Request, init?: RequestInit) =>
  worker().fetch(new Request(input, { ...init, redirect: "manual" }));
const MCP = "https://bknd.test/api/system/mcp";

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let A: Tenant;
let B: Tenant;
let pm: TestUser;
beforeAll(async () => {
  A = await makeTenant("OAuth A");
  B = await makeTenant("OAuth B");
  pm = await makeUser({
    memberships: [
      [A, "project_manager"],
      [B, "project_manager"],
    ],
  });
});

function connect(provider: MemoryOAuthClient) {
  const transport = new StreamableHTTPClientTransport(new URL(MCP), {
    authProvider: provider,
    fetch: fetchFn,
  });
  const client = new Client(
    { name: "oauth-tests", version: "1.0.0" },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  return { client, transport };
}

/** The person's browser: the authorization URL leads to the site's consent page with a request handle. */
async function consentHandle(url: URL): Promise<string> {
  const res = await fetchFn(url);
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.pathname).toMatch(/^\/(connecter|en\/connect)$/);
  return location.searchParams.get("request") ?? "";
}

/** Registration and the authorization request through the SDK, then consent as `user`; returns the code. */
async function authorize(
  provider: MemoryOAuthClient,
  user: TestUser,
  choice: Record<string, unknown>,
): Promise<string> {
  expect(await auth(provider, { serverUrl: MCP, fetchFn })).toBe("REDIRECT");
  const url = provider.authorizationUrl;
  if (!url) throw new Error("the SDK asked for no authorization");
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  const handle = await consentHandle(url);
  const shown = await call("GET", `/api/app/oauth/requests/${handle}`, { token: user.token });
  expect(shown.status).toBe(200);
  const approved = await call("POST", `/api/app/oauth/requests/${handle}/approve`, {
    token: user.token,
    body: choice,
  });
  expect(approved.status, await approved.clone().text()).toBe(200);
  const redirect = new URL((await json<{ data: { redirect_to: string } }>(approved)).data.redirect_to);
  expect(redirect.origin + redirect.pathname).toBe(provider.redirect);
  expect(redirect.searchParams.get("state")).toBe(provider.stateValue);
  return redirect.searchParams.get("code") ?? "";
}

describe("MCP by URL (OAuth 2.1)", () => {
  it("publishes its metadata, and a 401 on MCP points to it", async () => {
    const as = await json<Record<string, unknown>>(
      await fetchFn("https://bknd.test/.well-known/oauth-authorization-server"),
    );
    expect(as).toMatchObject({
      issuer: "https://bknd.test",
      authorization_endpoint: "https://bknd.test/oauth/authorize",
      token_endpoint: "https://bknd.test/oauth/token",
      registration_endpoint: "https://bknd.test/oauth/register",
      code_challenge_methods_supported: ["S256"],
    });
    const pr = await json<Record<string, unknown>>(
      await fetchFn("https://bknd.test/.well-known/oauth-protected-resource/api/system/mcp"),
    );
    expect(pr).toMatchObject({ resource: MCP, authorization_servers: ["https://bknd.test"] });
    const res = await fetchFn(MCP, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain(
      'resource_metadata="https://bknd.test/.well-known/oauth-protected-resource/api/system/mcp"',
    );
  });

  it("registers, asks the person, and calls tools with what they approved only; refresh; revocation", async () => {
    const provider = new MemoryOAuthClient();
    const code = await authorize(provider, pm, {
      tenants: [A.subdomain],
      scope: "read",
      expires_in_days: 30,
    });
    expect(await auth(provider, { serverUrl: MCP, authorizationCode: code, fetchFn })).toBe("AUTHORIZED");
    const tokens = provider.saved;
    expect(tokens?.access_token.split(":")).toHaveLength(3);
    expect(tokens?.refresh_token).toBeTruthy();
    expect(tokens?.expires_in).toBeLessThanOrEqual(3600);

    // the consent page's list shows the assistant's connection next to the personal tokens
    const list = await json<{ data: Array<{ id: string; kind: string; name: string; scope: string }> }>(
      await call("GET", "/api/app/tokens", { token: pm.token }),
    );
    const row = list.data.find((t) => t.kind === "assistant");
    expect(row).toMatchObject({ name: "Claude (test)", scope: "read" });

    const { client, transport } = connect(provider);
    await client.connect(transport);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain("list_tasks");
    const inA = await client.callTool({ name: "list_tasks", arguments: { tenant: A.subdomain } });
    expect(inA.isError ?? false).toBe(false);
    // B is the person's too, but not approved for this assistant
    const inB = await client.callTool({ name: "list_tasks", arguments: { tenant: B.subdomain } });
    expect(inB.isError).toBe(true);
    expect(textOf(inB)).toMatch(/no access|not covered|FORBIDDEN/i);
    // read, as approved: no writes
    const write = await client.callTool({
      name: "post_message",
      arguments: { tenant: A.subdomain, body: "from an assistant" },
    });
    expect(write.isError).toBe(true);
    await client.close();

    // refresh: new tokens, and the new access token works
    const info = provider.info;
    if (!info || !tokens?.refresh_token) throw new Error("no client or refresh token");
    const metadata = await discoverAuthorizationServerMetadata("https://bknd.test", { fetchFn });
    const renewed = await refreshAuthorization("https://bknd.test", {
      metadata,
      clientInformation: info,
      refreshToken: tokens.refresh_token,
      resource: new URL(MCP),
      fetchFn,
    });
    expect(renewed.access_token).not.toBe(tokens.access_token);
    provider.saveTokens(renewed);
    const again = connect(provider);
    await again.client.connect(again.transport);
    expect(
      (await again.client.callTool({ name: "list_tasks", arguments: { tenant: A.subdomain } })).isError ??
        false,
    ).toBe(false);
    await again.client.close();

    // revoked from the tokens list: calls stop at once, and the refresh token is dead
    const revoked = await call("DELETE", `/api/app/tokens/${row?.id}`, { token: pm.token });
    expect(revoked.status).toBe(200);
    const after = await fetchFn(MCP, {
      method: "POST",
      headers: {
        authorization: `Bearer ${renewed.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(after.status).toBe(401);
    await expect(
      refreshAuthorization("https://bknd.test", {
        metadata,
        clientInformation: info,
        refreshToken: renewed.refresh_token ?? "",
        resource: new URL(MCP),
        fetchFn,
      }),
    ).rejects.toThrow();
  });

  it("a write grant writes; an expired or used consent request is refused; a denial goes back to the assistant", async () => {
    const provider = new MemoryOAuthClient("http://localhost:33419/cb", "Writer");
    const code = await authorize(provider, pm, {
      tenants: [A.subdomain],
      scope: "write",
      expires_in_days: 7,
    });
    expect(await auth(provider, { serverUrl: MCP, authorizationCode: code, fetchFn })).toBe("AUTHORIZED");
    const { client, transport } = connect(provider);
    await client.connect(transport);
    const created = await client.callTool({
      name: "post_message",
      arguments: { tenant: A.subdomain, body: "written by an assistant" },
    });
    expect(created.isError ?? false, textOf(created)).toBe(false);
    await client.close();

    // a second approval of the same request: it was used
    const other = new MemoryOAuthClient("http://127.0.0.1:33420/cb", "Denied");
    expect(await auth(other, { serverUrl: MCP, fetchFn })).toBe("REDIRECT");
    const handle = await consentHandle(other.authorizationUrl ?? new URL(MCP));
    const denied = await call("POST", `/api/app/oauth/requests/${handle}/deny`, { token: pm.token });
    const to = new URL((await json<{ data: { redirect_to: string } }>(denied)).data.redirect_to);
    expect(to.searchParams.get("error")).toBe("access_denied");
    expect(to.searchParams.get("state")).toBe(other.stateValue);
    const reused = await call("POST", `/api/app/oauth/requests/${handle}/approve`, {
      token: pm.token,
      body: { tenants: "all", expires_in_days: 1 },
    });
    expect(reused.status).toBe(404);
    expect((await json<{ error: { message: string } }>(reused)).error.message).toMatch(
      /expired or was already answered/,
    );
    const unknown = await call("GET", `/api/app/oauth/requests/${"x".repeat(43)}`, { token: pm.token });
    expect(unknown.status).toBe(404);
  });

  it("the consent routes need a session, and only the person's own projects can be approved", async () => {
    const provider = new MemoryOAuthClient("http://127.0.0.1:33421/cb", "Nosy");
    expect(await auth(provider, { serverUrl: MCP, fetchFn })).toBe("REDIRECT");
    const handle = await consentHandle(provider.authorizationUrl ?? new URL(MCP));
    expect((await call("GET", `/api/app/oauth/requests/${handle}`)).status).toBe(401);
    const client = await makeUser({ memberships: [[A, "client"]] });
    const shown = await json<{ data: { client_name: string; projects: Array<{ subdomain: string }> } }>(
      await call("GET", `/api/app/oauth/requests/${handle}`, { token: client.token }),
    );
    expect(shown.data.client_name).toBe("Nosy");
    expect(shown.data.projects.map((p) => p.subdomain)).toEqual([A.subdomain]);
    const refused = await call("POST", `/api/app/oauth/requests/${handle}/approve`, {
      token: client.token,
      body: { tenants: [B.subdomain], scope: "read", expires_in_days: 30 },
    });
    expect(refused.status).toBe(422);
    // bad input: a readable 400, and the request still waits for a good answer
    const bad = await call("POST", `/api/app/oauth/requests/${handle}/approve`, {
      token: client.token,
      body: { tenants: [A.subdomain], scope: "admin", expires_in_days: 30 },
    });
    expect(bad.status).toBe(400);
    expect((await call("GET", `/api/app/oauth/requests/${handle}`, { token: client.token })).status).toBe(
      200,
    );
  });

  it("refuses an authorization request it can't trust without redirecting, and one without PKCE", async () => {
    const provider = new MemoryOAuthClient("http://127.0.0.1:33422/cb", "Strict");
    expect(await auth(provider, { serverUrl: MCP, fetchFn })).toBe("REDIRECT");
    const url = new URL(provider.authorizationUrl ?? MCP);
    const wrongRedirect = new URL(url);
    wrongRedirect.searchParams.set("redirect_uri", "https://evil.example/steal");
    const res = await fetchFn(wrongRedirect);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toMatch(/not valid/);
    const noPkce = new URL(url);
    noPkce.searchParams.delete("code_challenge");
    noPkce.searchParams.delete("code_challenge_method");
    const res2 = await fetchFn(noPkce);
    expect(res2.status).toBe(400);
    expect(res2.headers.get("location")).toBeNull();
  });
});
