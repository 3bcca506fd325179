/**
 * Helpers for the MCP tests: personal access tokens (created through the REST route, as the UI does) and the
 * official SDK client talking to the real worker through `exports.default.fetch`.
 */
import { exports } from "cloudflare:workers";
import type { TenantRef } from "@fataplus/domain";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { call, db, json, MCP_ACCEPT, type TestUser } from "./factories.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;

export type AccessToken = { id: string; token: string };

/** A token for `user`, created with POST /api/app/tokens and the user's session. */
export async function makeAccessToken(
  user: TestUser,
  opts: { scope?: "read" | "write"; tenants?: "all" | TenantRef[]; days?: number; name?: string } = {},
): Promise<AccessToken> {
  const tenants = opts.tenants ?? "all";
  const res = await call("POST", "/api/app/tokens", {
    token: user.token,
    body: {
      name: opts.name ?? "test agent",
      expires_in_days: opts.days ?? 30,
      ...(opts.scope ? { scope: opts.scope } : {}),
      tenants: tenants === "all" ? "all" : tenants.map((t) => t.subdomain),
    },
  });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
  const body = await json<{ data: { id: string; token: string } }>(res);
  return { id: body.data.id, token: body.data.token };
}

/** The SDK client, connected (initialize + initialized + tools/list) to the worker with a bearer token. */
export async function mcpClient(token: string, opts: { tenant?: string } = {}): Promise<Client> {
  const url = new URL(`https://bknd.test/api/system/mcp${opts.tenant ? `?tenant=${opts.tenant}` : ""}`);
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: (input, init) => worker().fetch(new Request(input, init)),
  });
  const client = new Client(
    { name: "fataplus-tests", version: "1.0.0" },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(transport);
  // the client validates structured results against the output schemas it has seen in tools/list
  await client.listTools();
  return client;
}

/** A raw JSON-RPC POST with a bearer token (for what the SDK client would not send). */
export function patCall(token: string, body: unknown, opts: { query?: string; method?: string } = {}) {
  const method = opts.method ?? "POST";
  return call(method, `/api/system/mcp${opts.query ?? ""}`, {
    token,
    ...(method === "GET" ? {} : { rawBody: typeof body === "string" ? body : JSON.stringify(body) }),
    headers: { ...MCP_ACCEPT, "content-type": "application/json", "mcp-protocol-version": "2025-11-25" },
  });
}

/** Audit rows a token wrote in a tenant, oldest first. */
export async function auditOf(tenantId: string, tokenId: string) {
  const { results } = await db()
    .prepare(
      "SELECT actor_type, actor_id, action, entity, entity_id, data FROM audit_log WHERE tenant_id = ? AND actor_id = ? ORDER BY created_at, rowid",
    )
    .bind(tenantId, tokenId)
    .all<{
      actor_type: string;
      actor_id: string;
      action: string;
      entity: string;
      entity_id: string;
      data: string;
    }>();
  return results;
}

/** Text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}
