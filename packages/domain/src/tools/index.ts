/**
 * Tool descriptors: the domain verbs an AI agent may call (./descriptor.ts says what a tool is). No raw tables:
 * every tool goes through a verb (records, metrics, search, portal), which names the tenant in every statement
 * and checks the role itself. User-written text comes back wrapped (./untrusted.ts). One file per area:
 * projects and tasks, the CRM, search, the portal; MCP resources in ./resources.ts.
 */

import type { TenantRef } from "../kernel/context.ts";
import type { TenantRole } from "../kernel/roles.ts";
import { hasPortal } from "../portal/tenant.ts";
import { crmTools } from "./crm.ts";
import type { ToolDescriptor, ToolScope } from "./descriptor.ts";
import { moneyTools } from "./money.ts";
import { notificationTools } from "./notifications.ts";
import { portalTools } from "./portal.ts";
import { projectTools } from "./projects.ts";
import { searchTools } from "./search.ts";

export { LEAD_WITHOUT_INTAKE } from "./crm.ts";
export type { ToolDescriptor, ToolResult, ToolScope } from "./descriptor.ts";
export * from "./prompts.ts";
export * from "./resources.ts";
export { userTextFields } from "./shapes.ts";
export * from "./untrusted.ts";

/** Every tool, in the order an agent sees them: each area file lists its own, so a new tool is one file. */
export const tools: readonly ToolDescriptor[] = [
  ...projectTools,
  ...crmTools,
  ...searchTools,
  ...portalTools,
  ...moneyTools,
  ...notificationTools,
];

export const toolsByName: ReadonlyMap<string, ToolDescriptor> = new Map(tools.map((t) => [t.name, t]));

const portalToolNames = new Set(portalTools.map((t) => t.name));

/**
 * Tools a token may see in a tenant where its user has `role`: write tools only for write tokens, and the
 * portal's only where `tenant` (when named) has a portal (not the bootcamp's: its verbs refuse it anyway).
 */
export function toolsFor(
  role: TenantRole,
  scope: ToolScope,
  tenant?: Pick<TenantRef, "subdomain">,
): ToolDescriptor[] {
  const portal = tenant === undefined || hasPortal(tenant);
  return tools.filter(
    (t) =>
      t.allowedFor(role) &&
      (t.scope === "read" || scope === "write") &&
      (portal || !portalToolNames.has(t.name)),
  );
}
