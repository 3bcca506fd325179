/**
 * Host → tenant subdomain parsing. Pure (it needs only the domain's vocabulary: the reserved subdomains, which
 * no tenant may take), so it is shared by the middleware (portal vs marketing) and the /api proxy
 * (x-fataplus-tenant header).
 *
 *   acme.localhost:4321  → "acme"
 *   acme.fata.plus       → "acme"
 *   localhost:4321, fata.plus, www.fata.plus, 127.0.0.1:4321, other hosts → null
 *   api.fata.plus, bootcamp.fata.plus… (names no tenant may take) → null
 */
import { isReservedSubdomain } from "@fataplus/domain/vocabulary";

/** Always accepted as a root domain, so `<tenant>.localhost:<port>` works in development. */
export const LOCAL_ROOT_DOMAIN = "localhost";

/** A single DNS label: lowercase letters, digits and inner hyphens, at most 63 characters. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lowercases, drops the port and a trailing dot. Returns null for an empty or malformed host. */
export function normalizeHost(host: string | null | undefined): string | null {
  if (!host) return null;
  let value = host.trim().toLowerCase();
  if (value.startsWith("[")) {
    // IPv6 literal, e.g. [::1]:4321: never a tenant host.
    return null;
  }
  const colon = value.indexOf(":");
  if (colon !== -1) {
    const port = value.slice(colon + 1);
    if (!/^\d{1,5}$/.test(port)) return null;
    value = value.slice(0, colon);
  }
  if (value.endsWith(".")) value = value.slice(0, -1);
  return value === "" ? null : value;
}

/** The root domains to match against: the configured one(s) plus `localhost`, normalised. */
export function rootDomainsFrom(configured: string | null | undefined): string[] {
  const domains = (configured ?? "")
    .split(",")
    .map((domain) => normalizeHost(domain))
    .filter((domain): domain is string => domain !== null);
  if (!domains.includes(LOCAL_ROOT_DOMAIN)) domains.push(LOCAL_ROOT_DOMAIN);
  return domains;
}

/**
 * The tenant subdomain for a Host header value, or null for the marketing site.
 * Only a single, valid, non-reserved label directly under a root domain counts:
 * `a.b.fata.plus` and hosts outside the root domains give null.
 */
export function tenantFromHost(
  host: string | null | undefined,
  rootDomains: readonly string[],
): string | null {
  const hostname = normalizeHost(host);
  if (hostname === null) return null;
  // Most specific root first, so staging.fata.plus wins over fata.plus.
  const byLength = [...rootDomains].sort((a, b) => b.length - a.length);
  for (const root of byLength) {
    if (hostname === root) return null;
    const suffix = `.${root}`;
    if (!hostname.endsWith(suffix)) continue;
    const label = hostname.slice(0, -suffix.length);
    if (!DNS_LABEL.test(label) || isReservedSubdomain(label)) return null;
    return label;
  }
  return null;
}

/** The marketing site's origin seen from a tenant page: https://acme.fata.plus/x → https://fata.plus */
export function marketingOrigin(requestUrl: string, tenant: string): string {
  const url = new URL(requestUrl);
  const prefix = `${tenant}.`;
  if (tenant && url.hostname.startsWith(prefix)) url.hostname = url.hostname.slice(prefix.length);
  return url.origin;
}

/** A project's origin seen from any page of the site: (https://fata.plus, acme) → https://acme.fata.plus */
export function tenantOrigin(requestUrl: string, currentTenant: string | null, target: string): string {
  const url = new URL(marketingOrigin(requestUrl, currentTenant ?? ""));
  if (!DNS_LABEL.test(target)) throw new TypeError(`Invalid subdomain: ${target}`);
  url.hostname = `${target}.${url.hostname}`;
  return url.origin;
}
