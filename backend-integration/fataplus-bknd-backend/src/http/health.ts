/**
 * The deep health check (`/api/health?deep=1`, agency admins; decision 029): each binding the platform needs
 * answers a real call. D1 (a read of the migrations table), R2 (a small object written, read back and deleted),
 * the Durable Object (a health hub answers its socket count). No KV namespace is bound (decision 029).
 */
export type ProbeResult = { ok: boolean; ms: number; detail?: string };

async function timed(work: () => Promise<string | undefined>): Promise<ProbeResult> {
  const start = Date.now();
  try {
    const detail = await work();
    return { ok: true, ms: Date.now() - start, ...(detail ? { detail } : {}) };
  } catch (err) {
    return { ok: false, ms: Date.now() - start, detail: err instanceof Error ? err.message : String(err) };
  }
}

export async function deepHealth(env: Env): Promise<{ ok: boolean; checks: Record<string, ProbeResult> }> {
  const [d1, r2, durableObject] = await Promise.all([
    timed(async () => {
      const row = await env.DB.prepare("SELECT count(*) AS n FROM d1_migrations").first<{ n: number }>();
      return `${row?.n ?? 0} migrations applied`;
    }),
    timed(async () => {
      const key = `health/${crypto.randomUUID()}`;
      await env.BUCKET.put(key, "ok");
      const back = await (await env.BUCKET.get(key))?.text();
      await env.BUCKET.delete(key);
      if (back !== "ok") throw new Error("R2 did not return what was written");
      return undefined;
    }),
    timed(async () => {
      // a hub of its own: tenant ids are FP-…, so no tenant's hub is ever named this
      const res = await env.PORTAL_HUB.getByName("health-check").fetch("https://hub/count", {
        headers: { "x-hub-tenant": "health-check" },
      });
      if (!res.ok) throw new Error(`the Durable Object answered ${res.status}`);
      return undefined;
    }),
  ]);
  const checks = { d1, r2, durable_object: durableObject };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

/** `/api/health?deep=1` is served by the gated route below: the plain health check stays public. */
export const DEEP_HEALTH_PATH = "/api/app/system/health";

export function rewriteDeepHealth(request: Request): Request {
  const url = new URL(request.url);
  if (url.pathname !== "/api/health" || !url.searchParams.has("deep") || request.method !== "GET")
    return request;
  url.pathname = DEEP_HEALTH_PATH;
  url.searchParams.delete("deep");
  return new Request(url.toString(), request);
}
