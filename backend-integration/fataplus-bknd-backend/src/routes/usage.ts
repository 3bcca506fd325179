/**
 * The platform's usage (decision 029), for the agency's admins: figures per tenant and for the platform, as JSON
 * for the CRM's dashboard (/crm/usage) and as CSV. The verb decides who may read; the store is Analytics
 * Engine in production, the isolate's points locally (src/http/usage.ts).
 */
import { assertPlatformAdmin, listJobRuns, readUsage, usageCsv } from "@fataplus/domain";
import { type AppServer, identityCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { handle, queryOf } from "../http/handler.ts";
import { DEEP_HEALTH_PATH, deepHealth } from "../http/health.ts";
import { usageStore } from "../http/usage.ts";

export function registerUsageRoutes(server: AppServer): void {
  // `/api/health?deep=1` (rewritten here by the entry): D1, R2 and the Durable Object each answer, or 503
  server.get(DEEP_HEALTH_PATH, async (c) => {
    try {
      assertPlatformAdmin(identityCtx(c));
      const result = await deepHealth(c.env);
      return c.json({ ...result, service: "fataplus-bknd" }, result.ok ? 200 : 503, {
        "cache-control": "no-store",
      });
    } catch (err) {
      return toResponse(err);
    }
  });
  server.get(
    "/api/app/crm/usage",
    handle((c) => readUsage({ ctx: identityCtx(c), input: queryOf(c), store: usageStore(c.env) })),
  );
  // the nightly backups' last runs (job_runs): a failed night is visible on the dashboard
  server.get(
    "/api/app/crm/jobs",
    handle((c) => listJobRuns({ ctx: { ...identityCtx(c) }, input: queryOf(c) })),
  );
  server.get("/api/app/crm/usage.csv", async (c) => {
    try {
      const summary = await readUsage({ ctx: identityCtx(c), input: queryOf(c), store: usageStore(c.env) });
      return c.body(usageCsv(summary), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="fataplus-usage-${summary.to.slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      });
    } catch (err) {
      return toResponse(err);
    }
  });
}
