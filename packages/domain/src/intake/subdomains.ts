/** Where a project lives: its subdomain (from the organisation's name), its portal's origin, its files' prefix. */
import { subdomainFrom } from "../vocabulary/subdomains.ts";

/** Where a tenant's files live in R2: a key prefix, derived from the id (R2 has no folders to create). */
export const storagePrefix = (tenantId: string) => `tenants/${tenantId}/`;

export { subdomainFrom };

/** The origin of a project's portal: `https://fata.plus` + `acme` → `https://acme.fata.plus`. */
export function portalOrigin(siteOrigin: string, subdomain: string): string {
  const url = new URL(siteOrigin);
  url.hostname = `${subdomain}.${url.hostname.replace(/^www\./, "")}`;
  return url.origin;
}
