/**
 * Security headers and the cross-origin write check, applied to every response the site's Worker makes
 * (src/middleware.ts). Static files get the same headers from public/_headers (a test keeps the two equal).
 * Scripts and styles are restricted by the CSP that Astro writes into each page, with hashes
 * (`security.csp` in astro.config.mjs); the header adds what a <meta> CSP cannot say.
 */

import { HEADER_CSP, HSTS, isLocalHost, STATIC_SECURITY_HEADERS } from "@fataplus/domain/vocabulary";

// the same values as the API worker's (src/http/headers.ts there): one copy, in the domain's vocabulary
export { HEADER_CSP, HSTS, STATIC_SECURITY_HEADERS };

/**
 * Headers for a response to `url` (`tenant`: the project subdomain of the host, if any). HSTS only over https
 * on a real domain (never on localhost). Forms may post to the site and its project subdomains: signing in on
 * the main site redirects a client to their project's subdomain, and browsers apply form-action to redirects.
 */
export function securityHeaders(url: URL, tenant: string | null = null): Record<string, string> {
  const headers: Record<string, string> = { ...STATIC_SECURITY_HEADERS };
  const root = tenant && url.host.startsWith(`${tenant}.`) ? url.host.slice(tenant.length + 1) : url.host;
  headers["content-security-policy"] = HEADER_CSP.replace(
    "form-action 'self'",
    `form-action 'self' ${url.protocol}//${root} ${url.protocol}//*.${root}`,
  );
  if (url.protocol === "https:" && !isLocalHost(url.hostname)) headers["strict-transport-security"] = HSTS;
  return headers;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A write (POST, PUT, PATCH, DELETE) that a browser sent from another origin: its Origin is not ours, or it
 * has no Origin but the browser says it is cross-site. Callers outside a browser (no Origin, no
 * Sec-Fetch-Site) carry no ambient cookies to abuse and pass.
 */
export function isCrossOriginWrite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const origin = request.headers.get("origin");
  const own = new URL(request.url).origin;
  if (origin !== null) return origin !== own;
  const site = request.headers.get("sec-fetch-site");
  return site !== null && site !== "same-origin" && site !== "none";
}

export function crossOriginRefusal(): Response {
  return new Response(
    JSON.stringify({
      error: { code: "FORBIDDEN", message: "Cross-origin requests may not change anything here." },
    }),
    {
      status: 403,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    },
  );
}

/** The same response with the security headers set (responses from fetch have immutable headers). */
export function withSecurityHeaders(response: Response, url: URL, tenant: string | null = null): Response {
  if (response.status === 101) return response; // a WebSocket handshake (/ws/*): no page, and a copy would lose the socket
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(securityHeaders(url, tenant))) {
    // Astro sends the script and style hashes of pages rendered on demand as a CSP header: keep them.
    const existing = name === "content-security-policy" ? out.headers.get(name) : null;
    out.headers.set(name, existing ? `${existing.replace(/;\s*$/, "")}; ${value}` : value);
  }
  return out;
}
