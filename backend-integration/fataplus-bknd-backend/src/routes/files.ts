/**
 * GET /api/files/:token: a signed download link (packages/domain/src/portal/signed.ts). Public in the gate: the
 * token is the permission, valid 15 minutes, for one version in one tenant; the request's tenant (the site's
 * x-fataplus-tenant header, or ?tenant=) must be the token's. Outside production, the test clock header may
 * move "now" forward (src/config.ts).
 */
import { DomainError, redeemDownload, tenantKey } from "@fataplus/domain";
import { tenantRefOf } from "../bknd/gate/index.ts";
import { filesSecret, requestNow } from "../config.ts";
import type { AppServer } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

export function registerFileRoutes(server: AppServer): void {
  server.get("/api/files/:token", async (c) => {
    try {
      const ref = tenantRefOf(c);
      if (!ref) throw new DomainError("FORBIDDEN", "This link is not valid.");
      const key = tenantKey(ref);
      const tenant = await c.env.DB.prepare(`SELECT id FROM tenants WHERE ${key.column} = ?`)
        .bind(key.value)
        .first<{ id: string }>();
      return await redeemDownload({
        db: c.env.DB,
        bucket: c.env.BUCKET,
        secret: filesSecret(c.get("config")),
        token: c.req.param("token") ?? "",
        tenantId: tenant?.id ?? null,
        now: requestNow(c.get("config"), c.req.raw),
      });
    } catch (err) {
      return toResponse(err);
    }
  });
}
