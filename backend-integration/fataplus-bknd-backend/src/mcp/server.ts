/**
 * The Fataplus MCP server, one per isolate (decision 017; stateless, see docs/decisions/006-mcp.md). Built on
 * the official SDK's low-level `Server`, connected to the hub (./hub.ts) that serves every HTTP request with
 * that request's own scope, found by the id of the message being served. So that:
 *  - the tool list is computed for the token: tools its user's role allows in the tenants the token reaches,
 *    and write tools only for write tokens;
 *  - every call works with the user's access to the named tenant as read in this request (the token's check,
 *    ./route.ts, or resolveAccess for another tenant) and the token's scope;
 *  - bad arguments are a JSON-RPC error (-32602) with a readable message; refusals and "not found" are a tool
 *    result with isError, the same for another tenant's ids as for ids that don't exist;
 *  - every tool call and resource read is in the tenant's audit log with the token as the actor (the row is
 *    written after the answer, with the rows of other calls: ./audit.ts).
 */
import {
  auditRowOf,
  type Ctx,
  DomainError,
  isDomainError,
  listProjectResources,
  type PromptDescriptor,
  projectSummary,
  prompts,
  promptsByName,
  tenantKey,
  tokenCtx,
  tokenCtxOf,
  toolsByName,
  untrusted,
} from "@fataplus/domain";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  GetPromptRequestSchema,
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { z } from "zod";
import { AccessChanged } from "../http/scope.ts";
import { broadcast } from "../realtime/hub.ts";
import { McpHub } from "./hub.ts";
import {
  instructions,
  type McpRequestScope,
  tenantRefFor,
  tenantsOf,
  toolDefinition,
  visibleTools,
} from "./listing.ts";
import { callFailure, RpcError } from "./rpc.ts";

export type { McpRequestScope } from "./listing.ts";
export { RpcError } from "./rpc.ts";

export const SERVER_NAME = "fataplus";
export const SERVER_VERSION = "0.1.0";
export const SUMMARY_URI = /^fataplus:\/\/projects\/([^/]+)\/([^/]+)\/summary$/;
export const summaryUri = (tenant: string, id: string) => `fataplus://projects/${tenant}/${id}/summary`;

const SERVER_INFO = { name: SERVER_NAME, version: SERVER_VERSION, title: "Fataplus" };
const CAPABILITIES = {
  tools: { listChanged: false },
  resources: { listChanged: false },
  prompts: { listChanged: false },
};

/** The prompts this connection may use: those whose every read tool it sees (packages/domain/src/tools/prompts.ts). */
function visiblePrompts(scope: McpRequestScope): PromptDescriptor[] {
  const seen = new Set(visibleTools(scope).map((t) => t.name));
  return prompts.filter((p) => p.uses.every((t) => seen.has(t)));
}

/** Arguments without `tenant`, strings shortened: what the audit log keeps of a call. */
function auditArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (k === "tenant") continue;
    out[k] = typeof v === "string" && v.length > 100 ? `${v.slice(0, 100)}…` : v;
  }
  return out;
}

function audit(
  scope: McpRequestScope,
  ctx: Ctx,
  action: string,
  entityId: string,
  data: Record<string, unknown>,
) {
  scope.audits.push(auditRowOf(ctx, action, "mcp", entityId, data));
}

/**
 * The context of a call in `tenantRef`: from the access the request already read for that tenant (the token's
 * check), else read now.
 */
async function ctxFor(scope: McpRequestScope, tenantRef: string): Promise<Ctx> {
  const { db, principal, now, checked } = scope;
  if (checked) {
    const [a, b] = [tenantKey(checked.ref), tenantKey(tenantRef)];
    const same =
      (a.column === b.column && a.value === b.value) ||
      (checked.access.tenant !== null &&
        (b.column === "id" ? checked.access.tenant.id : checked.access.tenant.subdomain) === b.value);
    if (same) return tokenCtxOf({ db, principal, access: checked.access, now });
  }
  return tokenCtx({ db, principal, tenantRef, now });
}

function createMcpServer(hub: McpHub<McpRequestScope>): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: CAPABILITIES,
    // the SDK's default (Ajv) would be built for nothing; it is only used for elicitation anyway
    jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
  });
  const scopeOf = (requestId: string | number) => hub.scopeOf(requestId);

  // Ours rather than the SDK's: the instructions name the tenants of the token of this request, and the shared
  // server keeps nothing of the client (the SDK's own handler would store its capabilities on the server).
  server.setRequestHandler(InitializeRequestSchema, (request, extra) => {
    const requested = request.params.protocolVersion;
    return {
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
      capabilities: CAPABILITIES,
      serverInfo: SERVER_INFO,
      instructions: instructions(scopeOf(extra.requestId)),
    };
  });

  server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => {
    const scope = scopeOf(extra.requestId);
    return { tools: visibleTools(scope).map((t) => toolDefinition(t, scope)) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const scope = scopeOf(extra.requestId);
    const name = request.params.name;
    const args: Record<string, unknown> = request.params.arguments ?? {};
    const tool = toolsByName.get(name);
    if (!tool) throw new RpcError(ErrorCode.InvalidParams, `Unknown tool "${name}".`);
    const { tenant: requested, ...input } = args;
    const tenantRef = tenantRefFor(scope, requested);
    let ctx: Ctx;
    try {
      ctx = await ctxFor(scope, tenantRef);
    } catch (err) {
      if (err instanceof AccessChanged) throw err;
      return callFailure(err);
    }
    try {
      // Hidden tools are refused here too (role or read-only token); tool.run and the verb check again.
      if (tool.scope === "write" && scope.principal.scope !== "write") {
        throw new DomainError("FORBIDDEN", `This access token is read-only: ${name} needs write access.`);
      }
      const { output, live } = await tool.run({ ctx, input });
      audit(scope, ctx, "mcp.tool_call", name, { outcome: "ok", arguments: auditArgs(args) });
      // The effect the tool declared: its event reaches the project's open views, as a post in the portal does.
      if (live) await broadcast(scope.env, ctx.tenant.id, live);
      return {
        content: [{ type: "text", text: JSON.stringify(output) }],
        structuredContent: output,
      } satisfies CallToolResult;
    } catch (err) {
      // the access read with the call is not the one it was prepared for: nothing of it is answered or logged
      if (err instanceof AccessChanged) throw err;
      const code = isDomainError(err) ? err.code : err instanceof RpcError ? "INVALID_PARAMS" : "INTERNAL";
      audit(scope, ctx, "mcp.tool_call", name, { outcome: "error", error: code, arguments: auditArgs(args) });
      return callFailure(err);
    }
  });

  server.setRequestHandler(ListPromptsRequestSchema, (_request, extra) => ({
    prompts: visiblePrompts(scopeOf(extra.requestId)).map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: [...p.arguments],
    })),
  }));

  // A prompt reads through its read tools with the caller's context in one tenant, as tools/call would: what it
  // embeds is what those tools would answer this caller, no more.
  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const scope = scopeOf(extra.requestId);
    const prompt = promptsByName.get(request.params.name);
    if (!prompt || !visiblePrompts(scope).includes(prompt))
      throw new RpcError(ErrorCode.InvalidParams, `Unknown prompt "${request.params.name}".`);
    const { tenant: requested, ...input } = request.params.arguments ?? {};
    let ctx: Ctx;
    try {
      ctx = await ctxFor(scope, tenantRefFor(scope, requested));
    } catch (err) {
      if (err instanceof AccessChanged) throw err;
      const failure = isDomainError(err) ? err.message : "This project is out of reach.";
      throw new RpcError(ErrorCode.InvalidParams, failure);
    }
    const read = async (name: string, args: Record<string, unknown>) => {
      const tool = toolsByName.get(name);
      if (tool?.scope !== "read") throw new DomainError("INTERNAL", `A prompt may only read (${name}).`);
      return (await tool.run({ ctx, input: args })).output;
    };
    try {
      const built = await prompt.build({ read, input });
      audit(scope, ctx, "mcp.prompt_get", prompt.name, { outcome: "ok", arguments: auditArgs(input) });
      return {
        description: built.description,
        messages: [{ role: "user" as const, content: { type: "text" as const, text: built.text } }],
      };
    } catch (err) {
      if (err instanceof AccessChanged) throw err;
      audit(scope, ctx, "mcp.prompt_get", prompt.name, { outcome: "error", arguments: auditArgs(input) });
      if (err instanceof z.ZodError)
        throw new RpcError(
          ErrorCode.InvalidParams,
          `Invalid arguments for ${prompt.name}: ${z.prettifyError(err)}`,
        );
      if (isDomainError(err) && err.code !== "INTERNAL")
        throw new RpcError(ErrorCode.InvalidParams, err.message);
      console.error("mcp prompt failed", err);
      throw new RpcError(ErrorCode.InternalError, "Something went wrong on our side. Please try again.");
    }
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: "fataplus://projects/{tenant}/{id}/summary",
        name: "project-summary",
        title: "Project summary",
        description: "A project with its metrics and its open tasks (JSON).",
        mimeType: "application/json",
      },
    ],
  }));

  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
    const scope = scopeOf(extra.requestId);
    // The newest projects of the first tenants the connection reaches (the domain says how many), in one batch.
    const listed = await listProjectResources({
      db: scope.db,
      tenants: scope.pinned ? [scope.pinned] : tenantsOf(scope),
    });
    return {
      resources: listed.flatMap(({ tenant: t, projects }) =>
        projects.map((p) => ({
          uri: summaryUri(t.subdomain, p.id),
          name: `${t.subdomain}/${p.id}`,
          title: `Project summary (${t.subdomain})`,
          description: `Summary of the project ${untrusted(p.name)}`,
          mimeType: "application/json",
        })),
      ),
    };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const scope = scopeOf(extra.requestId);
    const uri = request.params.uri;
    const m = SUMMARY_URI.exec(uri);
    const notFound = () => new RpcError(-32002, `Resource not found: ${uri}`);
    if (!m?.[1] || !m[2]) throw notFound();
    const tenantRef = tenantRefFor(scope, decodeURIComponent(m[1]));
    let ctx: Ctx;
    try {
      ctx = await ctxFor(scope, tenantRef);
    } catch (err) {
      if (err instanceof AccessChanged) throw err;
      throw notFound(); // an unknown tenant and a tenant out of reach look the same
    }
    try {
      const summary = await projectSummary({ ctx, input: { id: decodeURIComponent(m[2]) } });
      audit(scope, ctx, "mcp.resource_read", "project-summary", { outcome: "ok", uri });
      return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(summary) }] };
    } catch (err) {
      if (err instanceof AccessChanged) throw err;
      audit(scope, ctx, "mcp.resource_read", "project-summary", { outcome: "error", uri });
      if (isDomainError(err) && err.code !== "INTERNAL") throw notFound();
      console.error("mcp resource failed", err);
      throw new RpcError(ErrorCode.InternalError, "Something went wrong on our side. Please try again.");
    }
  });

  return server;
}

let shared: Promise<McpHub<McpRequestScope>> | undefined;

/** The isolate's MCP server, behind its hub: built on first use and connected once. */
export function mcpHub(): Promise<McpHub<McpRequestScope>> {
  shared ??= (async () => {
    const hub = new McpHub<McpRequestScope>();
    await createMcpServer(hub).connect(hub);
    return hub;
  })();
  return shared;
}
