/**
 * MCP by URL end to end (decision 031): the official MCP SDK client, as an assistant on this machine would run
 * it, against the local stack. It registers, sends the person's browser (Chromium) to the authorization URL; the
 * person signs in, sees the consent page, approves one project read-only; the browser comes back to the client's
 * loopback redirect URI with the code. The client then calls tools, refreshes its tokens, and stops working once
 * the person revokes it from the tokens list. The grant for acme reaches nothing of globex through any tool or
 * resource. Uses acme's project manager.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  auth,
  discoverAuthorizationServerMetadata,
  type OAuthClientProvider,
  refreshAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, DEMO_PASSWORD, freshPage, screenshot, siteUrl } from "./stack.ts";

const API = process.env.API_URL ?? "http://localhost:8787";
const MCP = `${API}/api/system/mcp`;
const context = useBrowserContext();

/** The client's loopback redirect URI: a tiny server that receives the code, as desktop assistants do. */
let callback: Server;
let callbackUrl = "";
const codes: URLSearchParams[] = [];
beforeAll(async () => {
  callback = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // only the redirect itself (the browser also asks this server for a favicon)
    if (url.pathname === "/callback") codes.push(url.searchParams);
    res.writeHead(200, { "content-type": "text/plain" }).end("You can close this window.");
  });
  await new Promise<void>((resolve) => callback.listen(0, "127.0.0.1", resolve));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
});
afterAll(() => new Promise<void>((resolve) => callback.close(() => resolve())));

/** The assistant's OAuth state (in memory), and where it would open the person's browser. */
class Assistant implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  opened: URL | null = null;
  readonly stateValue = crypto.randomUUID();
  get redirectUrl() {
    return callbackUrl;
  }
  get clientMetadata() {
    return {
      client_name: "Claude (e2e)",
      redirect_uris: [callbackUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  state = () => this.stateValue;
  clientInformation = () => this.info;
  saveClientInformation = (i: OAuthClientInformationMixed) => {
    this.info = i;
  };
  tokens = () => this.saved;
  saveTokens = (t: OAuthTokens) => {
    this.saved = t;
  };
  redirectToAuthorization = (url: URL) => {
    this.opened = url;
  };
  saveCodeVerifier = (v: string) => {
    this.verifier = v;
  };
  codeVerifier = () => this.verifier;
}

async function connected(assistant: Assistant): Promise<Client> {
  const client = new Client({ name: "e2e-assistant", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(MCP), { authProvider: assistant }));
  return client;
}

describe("an assistant connects by URL", () => {
  const assistant = new Assistant();

  it("the person signs in, approves one project read-only on the consent page, and the code comes back", async () => {
    expect(await auth(assistant, { serverUrl: MCP })).toBe("REDIRECT");
    const url = assistant.opened;
    if (!url) throw new Error("the SDK opened no authorization URL");
    const page = await freshPage(context());
    await page.goto(url.href, { waitUntil: "domcontentloaded" });
    // not signed in yet: the sign-in page, which comes back to the consent page
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel(/e-mail|email/i).fill(DEMO.pmAcme);
    await page.getByLabel(/mot de passe|password/i).fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/connecter", { timeout: 15_000 }),
      page.getByRole("button", { name: /se connecter|sign in/i }).click(),
    ]);
    expect(await page.getByTestId("consent-client").textContent()).toContain("Claude (e2e)");
    expect(await page.locator("body").textContent()).toContain("127.0.0.1");
    await page.getByLabel("Seulement ces projets :").check();
    await page.getByRole("checkbox", { name: /acme/i }).check();
    await page.getByLabel("Lecture seule").check();
    await screenshot(page, "mcp-consent");
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(callbackUrl), { timeout: 15_000 }),
      page.getByTestId("consent-approve").click(),
    ]);
    const answer = codes.at(-1);
    expect(answer?.get("state")).toBe(assistant.stateValue);
    const code = answer?.get("code") ?? "";
    expect(code).not.toBe("");
    expect(await auth(assistant, { serverUrl: MCP, authorizationCode: code })).toBe("AUTHORIZED");
    await page.close();
  });

  it("calls tools in acme; nothing of globex through any tool or resource; no writes", async () => {
    const client = await connected(assistant);
    const inAcme = await client.callTool({ name: "list_tasks", arguments: { tenant: "acme" } });
    expect(inAcme.isError ?? false).toBe(false);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(3);
    for (const tool of tools) {
      // every tool, aimed at globex (with whatever other arguments it needs missing or wrong): refused
      const res = await client
        .callTool({ name: tool.name, arguments: { tenant: "globex" } })
        .catch((e: unknown) => ({ isError: true, content: [{ type: "text", text: String(e) }] }));
      expect(res.isError, tool.name).toBe(true);
      expect(JSON.stringify(res.content), tool.name).not.toMatch(/Globex/);
    }
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).join(" ")).not.toMatch(/globex/i);
    await expect(client.readResource({ uri: "fataplus://projects/globex/summary" })).rejects.toThrow();
    const write = await client.callTool({
      name: "post_message",
      arguments: { tenant: "acme", body: "hello" },
    });
    expect(write.isError).toBe(true);
    await client.close();
  });

  it("refreshes its tokens, and stops working once the person revokes it", async () => {
    const metadata = await discoverAuthorizationServerMetadata(API);
    const info = assistant.info;
    const refreshToken = assistant.saved?.refresh_token;
    if (!info || !refreshToken) throw new Error("no client or refresh token");
    const renewed = await refreshAuthorization(API, {
      metadata,
      clientInformation: info,
      refreshToken,
      resource: new URL(MCP),
    });
    assistant.saveTokens(renewed);
    const client = await connected(assistant);
    expect(
      (await client.callTool({ name: "list_tasks", arguments: { tenant: "acme" } })).isError ?? false,
    ).toBe(false);
    await client.close();

    const page = await freshPage(context());
    await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/e-mail|email/i).fill(DEMO.pmAcme);
    await page.getByLabel(/mot de passe|password/i).fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.endsWith("/login")),
      page.getByRole("button", { name: /se connecter|sign in/i }).click(),
    ]);
    await page.goto(siteUrl("/crm/settings/tokens"), { waitUntil: "networkidle" });
    const row = page.locator("tr", { hasText: "Claude (e2e)" });
    expect(await row.textContent()).toMatch(/Assistant connecté par URL/);
    await row.getByRole("button", { name: /révoquer/i }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /révoquer/i })
      .click();
    await row.getByText("Révoqué").waitFor();
    await page.close();

    const after = await fetch(MCP, {
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
      refreshAuthorization(API, {
        metadata,
        clientInformation: info,
        refreshToken: renewed.refresh_token ?? "",
        resource: new URL(MCP),
      }),
    ).rejects.toThrow();
  });
});
