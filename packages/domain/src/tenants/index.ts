import { z } from "zod";
import { tenantKey } from "../auth/identity.ts";
import { auditRow } from "../kernel/audit.ts";
import type { SystemCtx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newTenantId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { isReservedSubdomain, RESERVED_SUBDOMAINS } from "../vocabulary/subdomains.ts";

export { RESERVED_SUBDOMAINS };

export const subdomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "use lowercase letters, digits and inner hyphens")
  .refine((s) => !isReservedSubdomain(s), "this subdomain is reserved");

export const createTenantInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  subdomain: subdomainSchema,
  kind: z.enum(["agency", "project"]).default("project"),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;

type TenantRow = { id: string; name: string; subdomain: string; kind: "agency" | "project"; status: string };

/** Provisions a tenant. Atomic: the tenant row and its audit row are written in one D1 batch. */
export async function createTenant({ ctx, input }: { ctx: SystemCtx; input: unknown }) {
  const { name, subdomain, kind } = parse(createTenantInput, input, "tenant");
  const taken = await ctx.db.prepare("SELECT 1 FROM tenants WHERE subdomain = ?").bind(subdomain).first();
  if (taken) throw new DomainError("CONFLICT", `The subdomain "${subdomain}" is already taken`);
  const now = ctx.now();
  const id = newTenantId(now);
  await ctx.db.batch([
    ctx.db
      .prepare(
        "INSERT INTO tenants (id, name, subdomain, kind, status, created_at) VALUES (?, ?, ?, ?, 'active', ?)",
      )
      .bind(id, name, subdomain, kind, nowIso(now)),
    auditRow(ctx.db, {
      tenantId: id,
      actorType: "system",
      actorId: null,
      action: "tenant.create",
      entity: "tenants",
      entityId: id,
      data: { name, subdomain, kind },
      at: nowIso(now),
    }),
  ]);
  return { id, name, subdomain, kind } satisfies TenantRef;
}

/** Finds an active tenant by its id (FP-…) or its subdomain. */
export async function findTenant({ db, ref }: { db: D1Database; ref: string }): Promise<TenantRef | null> {
  if (!ref.trim() || ref.length > 64) return null;
  const { column, value } = tenantKey(ref);
  const row = await db
    .prepare(
      `SELECT id, name, subdomain, kind, status FROM tenants WHERE ${column} = ? AND status = 'active'`,
    )
    .bind(value)
    .first<TenantRow>();
  return row ? { id: row.id, name: row.name, subdomain: row.subdomain, kind: row.kind } : null;
}
