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
  TENANT_ID_PATTERN,
  type TokenPrincipal,
  type TokenTenantAccess,
  type ToolDescriptor,
  tokenCtx,
  toolsByName,
  toolsFor,
  UNTRUSTED_NOTICE,
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
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { z } from "zod";
import { broadcast } from "../realtime/hub.ts";

/**
 * A JSON-RPC error for the SDK to send as it is (the SDK's McpError would prefix its message with
 * "MCP error <code>:", and the client prefixes it again).
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export const SERVER_NAME = "fataplus";
export const SERVER_VERSION = "0.1.0";
/** Above this many tenants the `tenant` argument is a free string instead of an enum. */
const TENANT_ENUM_MAX = 50;
export const SUMMARY_URI = /^fataplus:\/\/projects\/([^/]+)\/([^/]+)\/summary$/;
export const summaryUri = (tenant: string, id: string) => `fataplus://projects/${tenant}/${id}/summary`;

export type McpRequestScope = {
  db: D1Database;
  /** The Worker's bindings, for live delivery to the project's hub. */
  env: Env;
  principal: TokenPrincipal;
  /** The tenants the token reaches now, with the user's role in each. */
  tenants: TokenTenantAccess[];
  /** A tenant named on the URL (?tenant=): the connection is pinned to it. */
  pinned: TokenTenantAccess | null;
  now: () => Date;
};

function instructions(scope: McpRequestScope): string {
  const list = scope.tenants
    .slice(0, TENANT_ENUM_MAX)
    .map((t) => `- ${t.subdomain} (${t.role})`)
    .join("\n");
  return [
    "Fataplus: the projects, tasks, clients and leads of a digital agency, as the user who created this token sees them.",
    scope.pinned
      ? `This connection is pinned to the client space "${scope.pinned.subdomain}".`
      : `Every tool takes a \`tenant\` argument: the subdomain of a client space. This token reaches:\n${list || "- (none)"}`,
    `The token is ${scope.principal.scope === "write" ? "allowed to write" : "read-only"}.`,
    UNTRUSTED_NOTICE,
  ].join("\n\n");
}

/** The tools this token sees: those its user's role allows in at least one tenant it reaches. */
function visibleTools(scope: McpRequestScope): ToolDescriptor[] {
  const roles = new Set((scope.pinned ? [scope.pinned] : scope.tenants).map((t) => t.role));
  const names = new Set<string>();
  for (const role of roles) for (const t of toolsFor(role, scope.principal.scope)) names.add(t.name);
  return [...names].map((n) => toolsByName.get(n)).filter((t): t is ToolDescriptor => t !== undefined);
}

function tenantProperty(scope: McpRequestScope): Record<string, unknown> {
  const subdomains = scope.tenants.map((t) => t.subdomain);
  const base = {
    type: "string",
    description: scope.pinned
      ? `Optional: this connection is pinned to "${scope.pinned.subdomain}".`
      : "The client space (tenant) to work in: its subdomain (or FP- id).",
  };
  return subdomains.length > 0 && subdomains.length <= TENANT_ENUM_MAX && !scope.pinned
    ? { ...base, enum: subdomains }
    : base;
}

function toolDefinition(tool: ToolDescriptor, scope: McpRequestScope): Tool {
  const input = z.toJSONSchema(tool.input, { io: "input" }) as Record<string, unknown>;
  const properties = { tenant: tenantProperty(scope), ...((input.properties as object) ?? {}) };
  const required = [
    ...(scope.pinned || scope.tenants.length === 1 ? [] : ["tenant"]),
    ...((input.required as string[] | undefined) ?? []),
  ];
  const output = z.toJSONSchema(tool.output, { io: "output" }) as Record<string, unknown>;
  delete input.$schema;
  delete output.$schema;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: { ...input, type: "object", properties, required },
    outputSchema: { ...output, type: "object" },
    annotations: {
      title: tool.title,
      readOnlyHint: tool.scope === "read",
      destructiveHint: tool.scope === "write" && tool.destructive,
      idempotentHint: tool.idempotent,
      openWorldHint: false,
    },
  };
}

/** The tenant a call works in: its `tenant` argument, the pinned tenant, or the token's only tenant. */
function tenantRefFor(scope: McpRequestScope, requested: unknown): string {
  if (requested !== undefined && typeof requested !== "string") {
    throw new RpcError(ErrorCode.InvalidParams, "tenant: must be a subdomain or an FP- id.");
  }
  if (scope.pinned) {
    if (requested && !sameTenant(scope.pinned, requested)) {
      throw new RpcError(
        ErrorCode.InvalidParams,
        `This connection is pinned to "${scope.pinned.subdomain}": open another connection for another client space.`,
      );
    }
    return scope.pinned.id;
  }
  if (requested) return requested;
  const only = scope.tenants.length === 1 ? scope.tenants[0] : undefined;
  if (only) return only.id;
  throw new RpcError(
    ErrorCode.InvalidParams,
    `tenant: say which client space to work in (${scope.tenants
      .slice(0, 10)
      .map((t) => t.subdomain)
      .join(", ")}${scope.tenants.length > 10 ? ", …" : ""}).`,
  );
}

const sameTenant = (t: TokenTenantAccess, ref: string) =>
  TENANT_ID_PATTERN.test(ref.trim()) ? t.id === ref.trim() : t.subdomain === ref.trim().toLowerCase();

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

function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Validation errors are the caller's arguments: a JSON-RPC error. Other domain errors: a tool error. */
function callFailure(err: unknown): CallToolResult {
  if (err instanceof RpcError) throw err;
  if (isDomainError(err)) {
    if (err.code === "VALIDATION" || err.code === "BAD_QUERY" || err.code === "TENANT_REQUIRED") {
      throw new RpcError(
        ErrorCode.InvalidParams,
        err.message,
        err.details ? { details: err.details } : undefined,
      );
    }
    if (err.code === "INTERNAL") console.error("mcp tool failed", err.cause ?? err);
    return toolError(
      err.code === "INTERNAL" ? "Something went wrong on our side. Please try again." : err.message,
    );
  }
  console.error("mcp tool failed", err);
  return toolError("Something went wrong on our side. Please try again.");
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
