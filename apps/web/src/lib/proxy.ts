/**
 * Forwarding of /api/* to the bknd API worker. Kept free of `cloudflare:workers` so it can be
 * unit-tested in Node with a fake service binding.
 */

/** The header the API worker trusts to know which tenant a request is for. */
export const TENANT_HEADER = "x-fataplus-tenant";

/**
 * The request headers that reach the API worker: an allow-list. The tenant comes from this proxy (derived from
 * the Host), the session from the cookie (or a bearer token); everything else the API might trust, such as
 * `x-fataplus-*` or `x-forwarded-host`, is dropped. `cf-connecting-ip` is set by Cloudflare's edge for the
 * site's own request, so the API's per-IP login throttle sees the real client.
 */
const FORWARDED_REQUEST_HEADERS = new Set([
  "accept",
  "accept-language",
  "authorization",
  "cache-control",
  "cf-connecting-ip",
  "content-length",
  "content-type",
  "cookie",
  "if-match",
  "if-none-match",
  "mcp-protocol-version",
  "mcp-session-id",
  "origin",
  "user-agent",
  // WebSocket upgrades of /ws/* (the portal's live messages); the API checks a signed ticket.
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
]);

export function isStrippedRequestHeader(name: string): boolean {
  return !FORWARDED_REQUEST_HEADERS.has(name.toLowerCase());
}

/** The part of a service binding the proxy needs. */
export interface ApiService {
  fetch(request: Request): Promise<Response>;
}

export interface UpstreamErrorBody {
  error: { code: "UPSTREAM_UNAVAILABLE"; message: string };
}

/** Copy of the client request for the API worker: same method, URL and body; allow-listed headers; trusted tenant header. */
export function toUpstreamRequest(request: Request, tenant: string | null): Request {
  const headers = new Headers(request.headers);
  const stripped = [...headers.keys()].filter(isStrippedRequestHeader);
  for (const name of stripped) headers.delete(name);
  if (tenant) headers.set(TENANT_HEADER, tenant);
  // redirect: "manual" hands 3xx answers (and their Set-Cookie) back to the browser untouched.
  return new Request(request, { headers, redirect: "manual" });
}

export function upstreamUnavailable(
  message = "The API is unavailable right now. Please try again shortly.",
): Response {
  const body: UpstreamErrorBody = { error: { code: "UPSTREAM_UNAVAILABLE", message } };
  return new Response(JSON.stringify(body), {
    status: 502,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * `wrangler dev` / `astro dev` answer for a service binding whose worker is not running with a
 * plain-text 503 (`Worker "fataplus-bknd" not found. Make sure it is running locally.`). Treat it
 * as unreachable. Deployed service bindings are checked at deploy time and never answer this.
 */
const LOCAL_DEV_MISSING_SERVICE = /^Worker ".*" not found|^Couldn't find a local dev session/;

async function isMissingLocalDevService(response: Response): Promise<boolean> {
  if (response.status !== 503 || !response.headers.get("content-type")?.startsWith("text/plain"))
    return false;
  if (Number(response.headers.get("content-length") ?? 0) > 512) return false;
  const text = await response.clone().text();
  return LOCAL_DEV_MISSING_SERVICE.test(text);
}

/** Sends the request to the API worker; never throws, answers 502 JSON when it cannot be reached. */
export async function forwardToApi(
  api: ApiService | undefined,
  request: Request,
  tenant: string | null,
): Promise<Response> {
  if (!api) return upstreamUnavailable("The API service binding is not configured.");
  let upstream: Response;
  try {
    upstream = await api.fetch(toUpstreamRequest(request, tenant));
  } catch (error) {
    console.error("API upstream failed", error instanceof Error ? error.message : String(error));
    return upstreamUnavailable();
  }
  if (await isMissingLocalDevService(upstream)) {
    return upstreamUnavailable("The API worker is not running (start it with `wrangler dev --port 8787`).");
  }
  // A WebSocket handshake is handed back as it is: a copy would lose the socket.
  if (upstream.status === 101) return upstream;
  // A fresh Response: mutable headers (Astro may append cookies), every Set-Cookie kept.
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: upstream.headers,
  });
}
