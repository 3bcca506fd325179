/**
 * Creating a project provisions its tenant: the tenant (with its subdomain), the client organisation if one
 * is named, the project row and the audit rows, in one D1 batch. The agency's people: its admins and its staff
 * (decision 026; before it, admins only).
 */
import { z } from "zod";
import { DomainError } from "../kernel/errors.ts";
import { newId, newTenantId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { projectInput } from "../records/entities.ts";
import { datesOutOfOrder } from "../records/guards.ts";
import { subdomainSchema } from "../tenants/index.ts";
import { isAgencyPerson } from "../vocabulary/access.ts";
import { type CrmCtx, crmAudit } from "./scope.ts";

export const provisionProjectInput = projectInput
  .omit({ client_id: true })
  .extend({
    subdomain: subdomainSchema,
    client_name: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .strict();
export type ProvisionProjectInput = z.input<typeof provisionProjectInput>;

export async function provisionProject({ ctx, input }: { ctx: CrmCtx; input: unknown }) {
  if (!isAgencyPerson(ctx.identity.role)) {
    throw new DomainError("FORBIDDEN", "Only the agency's admins and staff may create projects.");
  }
  const { subdomain, client_name, ...project } = parse(provisionProjectInput, input ?? {}, "project");
  const taken = await ctx.db.prepare("SELECT 1 FROM tenants WHERE subdomain = ?").bind(subdomain).first();
  if (taken) {
    throw new DomainError("CONFLICT", `The subdomain "${subdomain}" is already taken.`, {
      details: [{ path: "subdomain", message: "already taken", key: "taken" }],
    });
  }
  if (project.start_date && project.due_date && project.due_date < project.start_date)
    throw datesOutOfOrder();
  const now = ctx.now();
  const at = nowIso(now);
  const tenantId = newTenantId(now);
  const projectId = newId();
  const clientId = client_name ? newId() : null;
  const audit = (action: string, entity: string, entityId: string, data: unknown) =>
    crmAudit(ctx, tenantId, { action, entity, entityId, data });
  const statements = [
    ctx.db
      .prepare(
        "INSERT INTO tenants (id, name, subdomain, kind, status, created_at) VALUES (?, ?, ?, 'project', 'active', ?)",
      )
      .bind(tenantId, project.name, subdomain, at),
    audit("tenant.create", "tenants", tenantId, { name: project.name, subdomain }),
  ];
  if (clientId && client_name) {
    statements.push(
      ctx.db
        .prepare(
          "INSERT INTO clients (id, tenant_id, kind, name, created_at, updated_at) VALUES (?, ?, 'organization', ?, ?, ?)",
        )
        .bind(clientId, tenantId, client_name, at, at),
      audit("create", "clients", clientId, { name: client_name }),
    );
  }
  statements.push(
    ctx.db
      .prepare(
        `INSERT INTO projects (id, tenant_id, client_id, name, description, status, phase, start_date, due_date,
           budget_cents, estimate_cents, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        projectId,
        tenantId,
        clientId,
        project.name,
        project.description ?? null,
        project.status,
        project.phase,
        project.start_date ?? null,
        project.due_date ?? null,
        project.budget_cents ?? null,
        project.estimate_cents ?? null,
        project.currency,
        at,
        at,
      ),
    audit("create", "projects", projectId, project),
  );
  await ctx.db.batch(statements);
  return { tenant: { id: tenantId, name: project.name, subdomain, kind: "project" as const }, projectId };
}
