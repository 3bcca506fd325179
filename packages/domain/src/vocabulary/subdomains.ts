/**
 * Subdomains: the names no tenant may take, and a subdomain suggested from a name. One list serves both sides:
 * provisioning refuses these names (tenants/ `subdomainSchema`), and the site never reads a Host under them as
 * a tenant (apps/web `tenantFromHost`): `www` is the marketing site, the others are the platform's own hosts
 * (`bknd` the API, `api`, `admin`, `app`, `mail`, `crm`, `static`) or its own tenant (`bootcamp`, created by
 * migration 0008, whose pages live on the main site and which has no portal).
 */

export const RESERVED_SUBDOMAINS: readonly string[] = [
  "www",
  "api",
  "bknd",
  "admin",
  "app",
  "mail",
  "crm",
  "bootcamp",
  "static",
];

export const isReservedSubdomain = (label: string): boolean => RESERVED_SUBDOMAINS.includes(label);

/** The bootcamp's tenant (decision 010): its subdomain is reserved, so no project can take it. */
export const BOOTCAMP_SUBDOMAIN = "bootcamp";

/**
 * A subdomain from an organisation's or a project's name: ASCII letters and digits, hyphens between words,
 * at most 40 characters, never shorter than 2 nor a reserved name. "Coopérative Laitière — 2027" →
 * "cooperative-laitiere-2027". Provisioning from the intake uses it, and the CRM's project form suggests it.
 */
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
  return isReservedSubdomain(safe) ? `${safe}-projet` : safe;
}
