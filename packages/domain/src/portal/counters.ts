/**
 * Per-tenant counters for later metrics (storage used, document downloads, message volume) and active users
 * (distinct people who opened the portal or the thread in the last 30 days). Each counter moves inside the
 * same D1 batch as the write it counts.
 */
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { hasCapability } from "../kernel/roles.ts";
import { assertPortalTenant } from "./tenant.ts";

export type CounterMetric = "storage_bytes" | "downloads" | "messages";

export function bumpCounter(
  db: D1Database,
  tenantId: string,
  metric: CounterMetric,
  by: number,
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO tenant_counters (tenant_id, metric, value, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (tenant_id, metric) DO UPDATE SET value = value + ?3, updated_at = ?4`,
    )
    .bind(tenantId, metric, by, now.toISOString());
}

/** Marks the actor active today in the tenant (users only; agents and the system are not counted). */
export function touchActive(ctx: Ctx): D1PreparedStatement | null {
  if (ctx.actor.type !== "user") return null;
  return ctx.db
    .prepare("INSERT OR IGNORE INTO tenant_active_days (tenant_id, day, user_id) VALUES (?, ?, ?)")
    .bind(ctx.tenant.id, ctx.now().toISOString().slice(0, 10), ctx.actor.userId);
}

export type PortalCounters = {
  storage_bytes: number;
  downloads: number;
  messages: number;
  active_users_30d: number;
};

/** The counters of the caller's tenant: for the agency side (project managers and admins). */
export async function getPortalCounters({ ctx }: { ctx: Ctx }): Promise<PortalCounters> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "members.read"))
    throw new DomainError("FORBIDDEN", "Only the agency sees the project's counters.");
  const since = new Date(ctx.now().getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
  const [counters, active] = await ctx.db.batch<{ metric?: CounterMetric; value?: number; n?: number }>([
    ctx.db.prepare("SELECT metric, value FROM tenant_counters WHERE tenant_id = ?").bind(ctx.tenant.id),
    ctx.db
      .prepare("SELECT count(DISTINCT user_id) AS n FROM tenant_active_days WHERE tenant_id = ? AND day >= ?")
      .bind(ctx.tenant.id, since),
  ]);
  const out: PortalCounters = { storage_bytes: 0, downloads: 0, messages: 0, active_users_30d: 0 };
  for (const r of counters?.results ?? []) if (r.metric) out[r.metric] = r.value ?? 0;
  out.active_users_30d = active?.results[0]?.n ?? 0;
  return out;
}
