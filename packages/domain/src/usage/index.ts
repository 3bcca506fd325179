/**
 * Per-tenant usage (decision 029): one point per API request (tenant, route, method, status, latency, who),
 * recorded by the worker without a D1 write (Workers Analytics Engine in production, an in-memory store in
 * development and tests), and read back by agency admins only, as figures per tenant and for the platform.
 * The store is a port: this module computes and checks, the worker's adapters store and query.
 */
import { z } from "zod";
import type { Identity } from "../auth/identity.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";

/** What a request counts as, besides an API call. */
export type UsageKind = "call" | "download" | "message";

export type UsagePoint = {
  at: number;
  /** The tenant's subdomain as the gate resolved it ("" when the request named none, or none it could open). */
  tenant: string;
  /** The path with its ids and tokens replaced by ":id" (never a query string). */
  route: string;
  method: string;
  status: number;
  ms: number;
  /** The signed-in user's id ("" when anonymous): active users are the distinct ones. */
  user: string;
  kind: UsageKind;
};

/** A document download (a signed link handed out) and a message sent, from the route and method alone. */
export function usageKind(method: string, route: string): UsageKind {
  if (method === "POST" && route === "/api/app/portal/downloads") return "download";
  if (method === "POST" && route === "/api/app/portal/messages") return "message";
  return "call";
}

export type Figures = {
  calls: number;
  /** 5xx answers. */
  errors: number;
  /** 4xx answers (429 included). */
  refused: number;
  error_rate: number;
  p50_ms: number;
  p95_ms: number;
  active_users: number;
  downloads: number;
  messages: number;
};
export type TenantUsage = Figures & { tenant: string };
export type RouteUsage = { route: string; method: string; calls: number; p95_ms: number };
export type UsageSummary = {
  from: string;
  to: string;
  source: "local" | "analytics-engine";
  platform: Figures & { active_tenants: number };
  tenants: TenantUsage[];
  slowest_routes: RouteUsage[];
};

/** The store behind the figures: where points go, and the summary of a time range. */
export interface UsageStore {
  record(point: UsagePoint): void;
  summary(from: Date, to: Date): Promise<UsageSummary>;
}

/** The q-quantile (0..1) of sorted values, nearest rank; 0 for none. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

function figures(points: UsagePoint[]): Figures {
  const ms = points.map((p) => p.ms).sort((a, b) => a - b);
  const errors = points.filter((p) => p.status >= 500).length;
  return {
    calls: points.length,
    errors,
    refused: points.filter((p) => p.status >= 400 && p.status < 500).length,
    error_rate: points.length === 0 ? 0 : Math.round((errors / points.length) * 10_000) / 10_000,
    p50_ms: Math.round(quantile(ms, 0.5) * 10) / 10,
    p95_ms: Math.round(quantile(ms, 0.95) * 10) / 10,
    active_users: new Set(points.filter((p) => p.user !== "").map((p) => p.user)).size,
    downloads: points.filter((p) => p.kind === "download").length,
    messages: points.filter((p) => p.kind === "message").length,
  };
}

/** The summary of raw points (the local store; the production store asks Analytics Engine the same in SQL). */
export function summarize(points: UsagePoint[], from: Date, to: Date, slowest = 10): UsageSummary {
  const inRange = points.filter((p) => p.at >= from.getTime() && p.at < to.getTime());
  const byTenant = new Map<string, UsagePoint[]>();
  const byRoute = new Map<string, UsagePoint[]>();
  const into = (map: Map<string, UsagePoint[]>, key: string, p: UsagePoint) => {
    const list = map.get(key);
    if (list) list.push(p);
    else map.set(key, [p]);
  };
  for (const p of inRange) {
    if (p.tenant) into(byTenant, p.tenant, p);
    into(byRoute, `${p.method} ${p.route}`, p);
  }
  const tenants = [...byTenant.entries()]
    .map(([tenant, ps]) => ({ tenant, ...figures(ps) }))
    .sort((a, b) => b.calls - a.calls || a.tenant.localeCompare(b.tenant));
  const slowest_routes = [...byRoute.entries()]
    .map(([key, ps]) => {
      const [method = "", route = ""] = key.split(" ");
      return { route, method, calls: ps.length, p95_ms: figures(ps).p95_ms };
    })
    .sort((a, b) => b.p95_ms - a.p95_ms || b.calls - a.calls)
    .slice(0, slowest);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    source: "local",
    platform: { ...figures(inRange), active_tenants: byTenant.size },
    tenants,
    slowest_routes,
  };
}

export const usageInput = z.strictObject({
  days: z.coerce
    .number({ message: "must be a number of days" })
    .int({ message: "must be a whole number of days" })
    .min(1, { message: "at least 1 day" })
    .max(90, { message: "at most 90 days (Analytics Engine keeps 3 months)" })
    .default(7),
});

export type UsageCtx = { identity: Identity; now: () => Date };

/** Usage figures: the agency's admins only (they cross every tenant). */
export async function readUsage({
  ctx,
  input,
  store,
}: {
  ctx: UsageCtx;
  input: unknown;
  store: UsageStore;
}): Promise<UsageSummary> {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only the agency's admins may read the platform's usage.");
  const { days } = parse(usageInput, input, "usage query");
  const to = ctx.now();
  return store.summary(new Date(to.getTime() - days * 86_400_000), to);
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // a leading = + - @ would be a formula in a spreadsheet
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const COLUMNS = [
  "calls",
  "errors",
  "refused",
  "error_rate",
  "p50_ms",
  "p95_ms",
  "active_users",
  "downloads",
  "messages",
] as const;

/** One row per tenant, then the platform's row. */
export function usageCsv(s: UsageSummary): string {
  const lines = [["tenant", ...COLUMNS, "from", "to"].join(",")];
  for (const t of s.tenants)
    lines.push([t.tenant, ...COLUMNS.map((c) => t[c]), s.from, s.to].map(csvCell).join(","));
  lines.push(["(platform)", ...COLUMNS.map((c) => s.platform[c]), s.from, s.to].map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export const jobRunsInput = z.strictObject({
  job: z.enum(["backup", "cron"], { message: "must be backup or cron" }).default("backup"),
});

export type JobRun = {
  id: number;
  job: string;
  started_at: string;
  finished_at: string | null;
  /** null: the run never finished (the isolate was stopped). */
  ok: boolean | null;
  detail: string | null;
};

/**
 * The last ten runs of a scheduled job (job_runs, migration 0023), newest first: a failed nightly backup shows on
 * the agency admins' dashboard. Global, like the outbox: the agency admins only.
 */
export async function listJobRuns({ ctx, input }: { ctx: UsageCtx & { db: D1Database }; input: unknown }) {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only the agency's admins may read the scheduled jobs.");
  const { job } = parse(jobRunsInput, input, "job runs query");
  const { results } = await ctx.db
    .prepare(
      'SELECT "id", "job", "started_at", "finished_at", "ok", "detail" FROM "job_runs" WHERE "job" = ? ORDER BY "started_at" DESC LIMIT 10',
    )
    .bind(job)
    .all<{
      id: number;
      job: string;
      started_at: string;
      finished_at: string | null;
      ok: number | null;
      detail: string | null;
    }>();
  const items: JobRun[] = results.map((r) => ({ ...r, ok: r.ok === null ? null : r.ok === 1 }));
  return { items };
}

/** The platform's own checks (deep health, jobs, usage) are the agency admins'. */
export function assertPlatformAdmin(ctx: { identity: Identity }): void {
  if (ctx.identity.role !== "admin")
    throw new DomainError("FORBIDDEN", "Only the agency's admins may run the platform's deep health check.");
}
