/**
 * Headers every answer of the API worker gets on its way out (src/index.ts), whoever built it: bknd, the gate,
 * our routes or the entry itself.
 *  - Caching: an answer under /api/ that says nothing about caching is `no-store` (it may hold a tenant's data,
 *    and bknd's data routes set nothing); the data API is always `no-store`. A route that allows caching
 *    (the public catalogue, a certificate) keeps its own header.
 *  - Security headers: the site's (`@fataplus/domain/vocabulary`, one copy for both workers), HSTS over https
 *    off localhost. bknd's admin UI (`/admin`, HTML) gets a CSP that also limits what it loads: scripts from
 *    the worker's origin and the page's inline ones, each given a fresh nonce here (bknd writes the user and
 *    its settings into an inline script that changes per request, so no hash fits); inline styles are allowed
 *    (its CSS-in-JS and React style attributes need them). A route that sets its own CSP (served files:
 *    `default-src 'none'; sandbox`) keeps it.
 */
import { HEADER_CSP, HSTS, isLocalHost, STATIC_SECURITY_HEADERS } from "@fataplus/domain/vocabulary";

/** What bknd's admin UI needs, checked against its bundle (bknd 0.20: no eval, no third-party origin). */
const adminCsp = (nonce: string) =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    HEADER_CSP,
  ].join("; ");

function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

const isAdminPage = (url: URL, response: Response) =>
  (url.pathname === "/admin" || url.pathname.startsWith("/admin/")) &&
  /^text\/html/i.test(response.headers.get("content-type") ?? "");

/** The answer with its headers completed (always a copy: fetch's answers have immutable headers). */
export function withApiHeaders(response: Response, url: URL): Response {
  if (response.status === 101) return response; // a WebSocket handshake: a copy would lose the socket
  let out: Response;
  let csp = HEADER_CSP;
  if (isAdminPage(url, response)) {
    const nonce = newNonce();
    csp = adminCsp(nonce);
    out = new HTMLRewriter()
      .on("script", {
        element: (el) => {
          el.setAttribute("nonce", nonce);
        },
      })
      .transform(new Response(response.body, response));
  } else {
    out = new Response(response.body, response);
  }
  const h = out.headers;
  // a route's own CSP (a served file's `default-src 'none'; sandbox`) is stricter than ours: it stays
  const own = h.get("content-security-policy");
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) h.set(name, value);
  h.set("content-security-policy", own ?? csp);
  if (url.protocol === "https:" && !isLocalHost(url.hostname)) h.set("strict-transport-security", HSTS);
  const path = url.pathname;
  if (path.startsWith("/api/data/") || (path.startsWith("/api/") && !h.has("cache-control"))) {
    h.set("cache-control", "no-store");
  }
  return out;
}
