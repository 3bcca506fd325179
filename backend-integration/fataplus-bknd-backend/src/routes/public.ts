/** Public routes of no area: the health check, and what a portal shows before sign-in. */
import { DomainError, findTenant } from "@fataplus/domain";
import type { AppServer } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { tenantRefOf } from "../http/request.ts";

export function registerPublicRoutes(server: AppServer): void {
  server.get("/api/health", (c) => c.json({ ok: true, service: "fataplus-bknd" }));

  /** What a portal shows before sign-in: the project's name. Nothing else about a tenant is public. */
  server.get("/api/public/tenant", async (c) => {
    try {
      const ref = tenantRefOf(c);
      if (!ref) throw new DomainError("TENANT_REQUIRED", "No project given.");
      const tenant = await findTenant({ db: c.env.DB, ref });
      if (!tenant) throw new DomainError("NOT_FOUND", "No project answers at this address.");
      return c.json({ tenant: { id: tenant.id, name: tenant.name, subdomain: tenant.subdomain } });
    } catch (err) {
      return toResponse(err);
    }
  });
}
