/**
 * Headers every answer of the API worker gets on its way out (src/index.ts), whoever built it: bknd, the gate,
 * our routes or the entry itself.
 *  - Caching: an answer under /api/ that says nothing about caching is `no-store` (it may hold a tenant's data,
 *    and bknd's data routes set nothing); the data API is always `no-store`. A route that allows caching
 *    (the public catalogue, a certificate) keeps its own header.
 */

/** The answer with its headers completed (a copy when its headers are immutable, as fetch's are). */
export function withApiHeaders(response: Response, url: URL): Response {
  if (response.status === 101) return response; // a WebSocket handshake: a copy would lose the socket
  const path = url.pathname;
  const noStore =
    path.startsWith("/api/data/") || (path.startsWith("/api/") && !response.headers.has("cache-control"));
  if (!noStore) return response;
  const out = new Response(response.body, response);
  out.headers.set("cache-control", "no-store");
  return out;
}
