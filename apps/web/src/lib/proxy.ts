/**
 * Forwarding of /api/* to the bknd API worker. Kept free of `cloudflare:workers` so it can be
 * unit-tested in Node with a fake service binding.
 */

/** The header the API worker trusts to know which tenant a request is for. */
export const TENANT_HEADER = "x-fataplus-tenant";

/**
 * Client-supplied headers that must never reach the API worker: every `x-fataplus-*` header (the
 * API trusts them as coming from this proxy) and `x-forwarded-host`.
 */
export function isStrippedRequestHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("x-fataplus-") || lower === "x-forwarded-host";
}

/** The part of a service binding the proxy needs. */
export interface ApiService {
  fetch(request: Request): Promise<Response>;
}

export interface UpstreamErrorBody {
  error: { code: "UPSTREAM_UNAVAILABLE"; message: string };
}

/** Copy of the client request for the API worker: same method, URL, body and cookies; trusted tenant header. */
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
  // A fresh Response: mutable headers (Astro may append cookies), every Set-Cookie kept.
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: upstream.headers,
  });
}
