/**
 * The Fataplus MCP server for one request (stateless: a new server and transport per HTTP request, see
 * docs/decisions/006-mcp.md). Built on the official SDK's low-level `Server`, so that:
 *  - the tool list is computed for the token: tools its user's role allows in the tenants the token reaches,
 *    and write tools only for write tokens;
 *  - every call re-resolves the user's access to the named tenant (resolveAccess + the token's scope);
 *  - bad arguments are a JSON-RPC error (-32602) with a readable message; refusals and "not found" are a tool
 *    result with isError, the same for another tenant's ids as for ids that don't exist;
 *  - every tool call and resource read is written to the tenant's audit log with the token as the actor.
 */
import {
  auditStatement,
  type Ctx,
  DomainError,
  isDomainError,
  listProjectResources,
  projectSummary,
  tokenCtx,
  toolsByName,
  untrusted,
} from "@fataplus/domain";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { broadcast } from "../realtime/hub.ts";
import { instructions, type McpRequestScope, tenantRefFor, toolDefinition, visibleTools } from "./listing.ts";
import { callFailure, RpcError } from "./rpc.ts";

export type { McpRequestScope } from "./listing.ts";
export { RpcError } from "./rpc.ts";

export const SERVER_NAME = "fataplus";
export const SERVER_VERSION = "0.1.0";
export const SUMMARY_URI = /^fataplus:\/\/projects\/([^/]+)\/([^/]+)\/summary$/;
export const summaryUri = (tenant: string, id: string) => `fataplus://projects/${tenant}/${id}/summary`;

/** Arguments without `tenant`, strings shortened: what the audit log keeps of a call. */
function auditArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (k === "tenant") continue;
    out[k] = typeof v === "string" && v.length > 100 ? `${v.slice(0, 100)}…` : v;
  }
  return out;
}

async function audit(ctx: Ctx, action: string, entityId: string, data: Record<string, unknown>) {
  try {
    await auditStatement(ctx, action, "mcp", entityId, data).run();
  } catch (e) {
    console.error("mcp audit write failed", e);
  }
}

export function createMcpServer(scope: McpRequestScope): Server {
  const server = new Server(
    { name: SERVER_NAME, version: SERVER_VERSION, title: "Fataplus" },
    {
      capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
      instructions: instructions(scope),
      // the SDK's default (Ajv) would be built on every request; it is only used for elicitation anyway
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
    },
  );
  const ctxFor = (tenantRef: string) =>
    tokenCtx({ db: scope.db, principal: scope.principal, tenantRef, now: scope.now });

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: visibleTools(scope).map((t) => toolDefinition(t, scope)),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = request.params.name;
    const args: Record<string, unknown> = request.params.arguments ?? {};
    const tool = toolsByName.get(name);
    if (!tool) throw new RpcError(ErrorCode.InvalidParams, `Unknown tool "${name}".`);
    const { tenant: requested, ...input } = args;
    const tenantRef = tenantRefFor(scope, requested);
    let ctx: Ctx;
    try {
      ctx = await ctxFor(tenantRef);
    } catch (err) {
      return callFailure(err);
    }
    try {
      // Hidden tools are refused here too (role or read-only token); tool.run and the verb check again.
      if (tool.scope === "write" && scope.principal.scope !== "write") {
        throw new DomainError("FORBIDDEN", `This access token is read-only: ${name} needs write access.`);
      }
      const { output, live } = await tool.run({ ctx, input });
      await audit(ctx, "mcp.tool_call", name, { outcome: "ok", arguments: auditArgs(args) });
      // The effect the tool declared: its event reaches the project's open views, as a post in the portal does.
      if (live) await broadcast(scope.env, ctx.tenant.id, live);
      return {
        content: [{ type: "text", text: JSON.stringify(output) }],
        structuredContent: output,
      } satisfies CallToolResult;
    } catch (err) {
      const code = isDomainError(err) ? err.code : err instanceof RpcError ? "INVALID_PARAMS" : "INTERNAL";
      await audit(ctx, "mcp.tool_call", name, { outcome: "error", error: code, arguments: auditArgs(args) });
      return callFailure(err);
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

  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    // The newest projects of the first tenants the connection reaches (the domain says how many), in one batch.
    const listed = await listProjectResources({
      db: scope.db,
      tenants: scope.pinned ? [scope.pinned] : scope.tenants,
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

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const uri = request.params.uri;
    const m = SUMMARY_URI.exec(uri);
    const notFound = () => new RpcError(-32002, `Resource not found: ${uri}`);
    if (!m?.[1] || !m[2]) throw notFound();
    const tenantRef = tenantRefFor(scope, decodeURIComponent(m[1]));
    let ctx: Ctx;
    try {
      ctx = await ctxFor(tenantRef);
    } catch {
      throw notFound(); // an unknown tenant and a tenant out of reach look the same
    }
    try {
      const summary = await projectSummary({ ctx, input: { id: decodeURIComponent(m[2]) } });
      await audit(ctx, "mcp.resource_read", "project-summary", { outcome: "ok", uri });
      return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(summary) }] };
    } catch (err) {
      await audit(ctx, "mcp.resource_read", "project-summary", { outcome: "error", uri });
      if (isDomainError(err) && err.code !== "INTERNAL") throw notFound();
      console.error("mcp resource failed", err);
      throw new RpcError(ErrorCode.InternalError, "Something went wrong on our side. Please try again.");
    }
  });

  return server;
}
