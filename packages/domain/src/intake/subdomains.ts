/** Where a project lives: its subdomain (from the organisation's name), its portal's origin, its files' prefix. */
import { RESERVED_SUBDOMAINS } from "../tenants/index.ts";

/** Where a tenant's files live in R2: a key prefix, derived from the id (R2 has no folders to create). */
export const storagePrefix = (tenantId: string) => `tenants/${tenantId}/`;

/** A subdomain from an organisation's name: ASCII letters and digits, hyphens between words, ≤ 40 chars. */
export function subdomainFrom(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " et ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  const safe = base.length >= 2 ? base : `projet-${base || "x"}`;
  return RESERVED_SUBDOMAINS.includes(safe) ? `${safe}-projet` : safe;
}

/** The origin of a project's portal: `https://fata.plus` + `acme` → `https://acme.fata.plus`. */
export function portalOrigin(siteOrigin: string, subdomain: string): string {
  const url = new URL(siteOrigin);
  url.hostname = `${subdomain}.${url.hostname.replace(/^www\./, "")}`;
  return url.origin;
}
