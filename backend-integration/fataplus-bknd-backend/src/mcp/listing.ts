/**
 * What one MCP connection sees: the instructions, the tools its token's roles allow (with a `tenant` argument
 * listing the tenants it reaches), and which tenant a call works in.
 */
import {
  type Access,
  type AuditRow,
  TENANT_ID_PATTERN,
  type TokenPrincipal,
  type TokenTenantAccess,
  type ToolDescriptor,
  toolsByName,
  toolsFor,
  UNTRUSTED_NOTICE,
} from "@fataplus/domain";
import { ErrorCode, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { RpcError } from "./rpc.ts";

/** Above this many tenants the `tenant` argument is a free string instead of an enum. */
const TENANT_ENUM_MAX = 50;

export type McpRequestScope = {
  db: D1Database;
  /** The Worker's bindings, for live delivery to the project's hub. */
  env: Env;
  principal: TokenPrincipal;
  /**
   * The tenants the token reaches now, with the user's role in each; null when this request did not need them
   * (every message works in one named tenant: ./route.ts).
   */
  tenants: readonly TokenTenantAccess[] | null;
  /** A tenant named on the URL (?tenant=): the connection is pinned to it. */
  pinned: TokenTenantAccess | null;
  /** The user's access to the tenant named by `ref`, read with the token in this request. */
  checked: { ref: string; access: Access } | null;
  /** The audit rows of this request's calls, written after the answer (./audit.ts). */
  audits: AuditRow[];
  now: () => Date;
};

/** The tenants of the scope; only requests that need them are served without them being read (./route.ts). */
export function tenantsOf(scope: McpRequestScope): readonly TokenTenantAccess[] {
  if (!scope.tenants) throw new Error("this MCP request was served without reading the token's tenants");
  return scope.tenants;
}

export function instructions(scope: McpRequestScope): string {
  const list = tenantsOf(scope)
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

/**
 * The tools this token sees: those its user's role allows in at least one tenant it reaches (portal tools only
 * in tenants that have a portal: not the bootcamp's).
 */
export function visibleTools(scope: McpRequestScope): ToolDescriptor[] {
  const names = new Set<string>();
  for (const tenant of scope.pinned ? [scope.pinned] : tenantsOf(scope))
    for (const t of toolsFor(tenant.role, scope.principal.scope, tenant)) names.add(t.name);
  return [...names].map((n) => toolsByName.get(n)).filter((t): t is ToolDescriptor => t !== undefined);
}

function tenantProperty(scope: McpRequestScope): Record<string, unknown> {
  const subdomains = tenantsOf(scope).map((t) => t.subdomain);
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

export function toolDefinition(tool: ToolDescriptor, scope: McpRequestScope): Tool {
  const input = z.toJSONSchema(tool.input, { io: "input" }) as Record<string, unknown>;
  const properties = { tenant: tenantProperty(scope), ...((input.properties as object) ?? {}) };
  const required = [
    ...(scope.pinned || tenantsOf(scope).length === 1 ? [] : ["tenant"]),
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
export function tenantRefFor(scope: McpRequestScope, requested: unknown): string {
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
  const tenants = tenantsOf(scope);
  const only = tenants.length === 1 ? tenants[0] : undefined;
  if (only) return only.id;
  throw new RpcError(
    ErrorCode.InvalidParams,
    `tenant: say which client space to work in (${tenants
      .slice(0, 10)
      .map((t) => t.subdomain)
      .join(", ")}${tenants.length > 10 ? ", …" : ""}).`,
  );
}

const sameTenant = (t: TokenTenantAccess, ref: string) =>
  TENANT_ID_PATTERN.test(ref.trim()) ? t.id === ref.trim() : t.subdomain === ref.trim().toLowerCase();
