/**
 * The security headers every response of the platform carries, the site's and the API's alike (one copy: the
 * site's src/lib/security.ts and the API worker's src/http/headers.ts both send these).
 */

/** The header part of the CSP: framing, plugins, base URLs and form targets. */
export const HEADER_CSP = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": HEADER_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "cross-origin-opener-policy": "same-origin",
};

export const HSTS = "max-age=63072000; includeSubDomains; preload";

/** localhost and its subdomains, where HSTS would make the site unusable over http. */
export const isLocalHost = (hostname: string): boolean =>
  hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "127.0.0.1";
