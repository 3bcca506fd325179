/**
 * Where usage points go (packages/domain/src/usage: the port and the figures). Production: Workers Analytics
 * Engine (the USAGE dataset: a write costs no D1 row and no wait), read back through its SQL API with an
 * account id and a read token. Development and tests: an in-memory store in the isolate (the dev stack runs one;
 * points are lost when it restarts), because miniflare's dataset drops every point and has no SQL API
 * (../shared stack notes, wave 2). Both go through `toDataPoint`, which holds a point to Analytics Engine's
 * limits (one index of at most 96 bytes, 20 blobs of 16 KB in all, 20 doubles): locally nothing enforces them.
 */
import {
  DomainError,
  summarize,
  type UsagePoint,
  type UsageStore,
  type UsageSummary,
  usageKind,
} from "@fataplus/domain";
import { logLine, type RequestLog } from "./observe.ts";

export type DataPoint = { indexes: [string]; blobs: string[]; doubles: number[] };

const enc = new TextEncoder();
const cut = (s: string, bytes: number) => {
  let out = s;
  while (enc.encode(out).length > bytes) out = out.slice(0, -1);
  return out;
};

/** blob1 tenant, blob2 route, blob3 method, blob4 kind, blob5 user; double1 status, double2 ms; index: tenant. */
export function toDataPoint(p: UsagePoint): DataPoint {
  const blobs = [cut(p.tenant, 96), cut(p.route, 256), p.method.slice(0, 10), p.kind, cut(p.user, 64)];
  return { indexes: [cut(p.tenant || "-", 96)], blobs, doubles: [p.status, Math.round(p.ms * 10) / 10] };
}

export function fromDataPoint(d: DataPoint, at: number): UsagePoint {
  const [tenant = "", route = "", method = "", kind = "call", user = ""] = d.blobs;
  return {
    at,
    tenant,
    route,
    method,
    kind: kind === "download" || kind === "message" ? kind : "call",
    user,
    status: d.doubles[0] ?? 0,
    ms: d.doubles[1] ?? 0,
  };
}

/** The development and test store: the points of this isolate, the latest MAX_POINTS (a thousand more at most). */
export class LocalUsage implements UsageStore {
  static readonly MAX_POINTS = 50_000;
  readonly #points: Array<{ at: number; point: DataPoint }> = [];
  record(point: UsagePoint): void {
    this.#points.push({ at: point.at, point: toDataPoint(point) });
    // dropped by the thousand, not one by one: a shift of the whole array per request would cost more
    if (this.#points.length > LocalUsage.MAX_POINTS + 1000)
      this.#points.splice(0, this.#points.length - LocalUsage.MAX_POINTS);
  }
  async summary(from: Date, to: Date): Promise<UsageSummary> {
    return summarize(
      this.#points.map(({ at, point }) => fromDataPoint(point, at)),
      from,
      to,
    );
  }
}

export type AnalyticsSql = { accountId: string; token: string; endpoint?: string; fetch?: typeof fetch };

const DATASET = "fataplus_usage";

/** The production store: writes to the dataset binding, reads with the SQL API. */
export class AnalyticsEngineUsage implements UsageStore {
  readonly #dataset: AnalyticsEngineDataset;
  readonly #sql: AnalyticsSql | null;
  constructor(dataset: AnalyticsEngineDataset, sql: AnalyticsSql | null) {
    this.#dataset = dataset;
    this.#sql = sql;
  }
  record(point: UsagePoint): void {
    this.#dataset.writeDataPoint(toDataPoint(point));
  }
  async #query<T>(sql: string): Promise<T[]> {
    if (!this.#sql)
      throw new DomainError(
        "INTERNAL",
        "Usage figures need the ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN secrets (npm run deploy asks for them).",
      );
    const { accountId, token } = this.#sql;
    const endpoint =
      this.#sql.endpoint ?? `https://api.cloudflare.com/client/v4/accounts/${accountId}/analytics_engine/sql`;
    const res = await (this.#sql.fetch ?? fetch)(endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: sql,
    });
    if (!res.ok) throw new DomainError("INTERNAL", `Analytics Engine's SQL API answered ${res.status}.`);
    return ((await res.json()) as { data: T[] }).data;
  }
  async summary(from: Date, to: Date): Promise<UsageSummary> {
    const range = `timestamp >= toDateTime(${Math.floor(from.getTime() / 1000)}) AND timestamp < toDateTime(${Math.floor(to.getTime() / 1000)})`;
    const figures = `SUM(_sample_interval) AS calls,
      sumIf(_sample_interval, double1 >= 500) AS errors,
      sumIf(_sample_interval, double1 >= 400 AND double1 < 500) AS refused,
      quantileExactWeighted(0.5)(double2, _sample_interval) AS p50_ms,
      quantileExactWeighted(0.95)(double2, _sample_interval) AS p95_ms,
      count(DISTINCT blob5) - if(countIf(blob5 = '') > 0, 1, 0) AS active_users,
      sumIf(_sample_interval, blob4 = 'download') AS downloads,
      sumIf(_sample_interval, blob4 = 'message') AS messages`;
    type Row = Record<string, string | number>;
    const [tenants, platform, routes] = await Promise.all([
      this.#query<Row>(
        `SELECT blob1 AS tenant, ${figures} FROM ${DATASET} WHERE ${range} AND blob1 != '' GROUP BY tenant ORDER BY calls DESC LIMIT 500`,
      ),
      this.#query<Row>(
        `SELECT ${figures}, count(DISTINCT blob1) AS active_tenants FROM ${DATASET} WHERE ${range}`,
      ),
      this.#query<Row>(
        `SELECT blob2 AS route, blob3 AS method, SUM(_sample_interval) AS calls, quantileExactWeighted(0.95)(double2, _sample_interval) AS p95_ms FROM ${DATASET} WHERE ${range} GROUP BY route, method ORDER BY p95_ms DESC LIMIT 10`,
      ),
    ]);
    const n = (v: unknown) => Number(v ?? 0) || 0;
    const fig = (r: Row | undefined) => {
      const calls = n(r?.calls);
      const errors = n(r?.errors);
      return {
        calls,
        errors,
        refused: n(r?.refused),
        error_rate: calls === 0 ? 0 : Math.round((errors / calls) * 10_000) / 10_000,
        p50_ms: n(r?.p50_ms),
        p95_ms: n(r?.p95_ms),
        active_users: n(r?.active_users),
        downloads: n(r?.downloads),
        messages: n(r?.messages),
      };
    };
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      source: "analytics-engine",
      platform: { ...fig(platform[0]), active_tenants: n(platform[0]?.active_tenants) },
      tenants: tenants.map((r) => ({ tenant: String(r.tenant), ...fig(r) })),
      slowest_routes: routes.map((r) => ({
        route: String(r.route),
        method: String(r.method),
        calls: n(r.calls),
        p95_ms: n(r.p95_ms),
      })),
    };
  }
}

const local = new LocalUsage();

/** Analytics Engine in production (when its binding is there), the isolate's store otherwise. */
export function usageStore(env: Env): UsageStore {
  const e = env as Env & {
    USAGE?: AnalyticsEngineDataset;
    ANALYTICS_ACCOUNT_ID?: string;
    ANALYTICS_API_TOKEN?: string;
  };
  if (e.ENVIRONMENT === "production" && e.USAGE)
    return new AnalyticsEngineUsage(
      e.USAGE,
      e.ANALYTICS_ACCOUNT_ID && e.ANALYTICS_API_TOKEN
        ? { accountId: e.ANALYTICS_ACCOUNT_ID, token: e.ANALYTICS_API_TOKEN }
        : null,
    );
  return local;
}

/** After each request, inside its log context: the access line, and the usage point (no D1, no wait). */
export function recordRequest(env: Env, log: RequestLog, status: number): void {
  const ms = Date.now() - log.started;
  logLine(status >= 500 ? "error" : "info", "request", { status, ms });
  const tenant = log.tenant && !log.tenant.startsWith("ref:") ? log.tenant : "";
  try {
    usageStore(env).record({
      at: Date.now(),
      tenant,
      route: log.route,
      method: log.method,
      status,
      ms,
      user: log.user,
      kind: usageKind(log.method, log.route),
    });
  } catch (err) {
    logLine("error", "usage point not recorded", { err });
  }
}
