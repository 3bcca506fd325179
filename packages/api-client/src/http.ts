/**
 * The one way to talk to the API over HTTP: build the URL (`?tenant=` and the query), send JSON or a form,
 * read the answer's body once (`readBody`), and turn a refusal into an ApiError. The typed server client
 * (client.ts) and the islands' small caller (`callApi`, below) both go through `exchange`. No zod here:
 * islands import this file (`@fataplus/api-client/http`, about 1 KB gzipped).
 */
import { ApiError } from "./errors";

export {
  ApiError,
  type ApiErrorCode,
  type FieldErrors,
  fieldErrorsOf,
  isApiError,
  type Problem,
  problemsOf,
} from "./errors";

/** The part of `fetch` the callers use; the global fetch and a Worker service binding both fit. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValues = Record<string, string | number | boolean | null | undefined>;

/** What one call sends. A `FormData` body goes as multipart (files), anything else as JSON. */
export type Outgoing = {
  method: Method;
  path: string;
  query?: URLSearchParams | QueryValues | undefined;
  body?: unknown;
  /** The project the call is for (tenant subdomain or id), sent as `?tenant=` unless the query names one. */
  tenant?: string | undefined;
  headers?: Record<string, string> | undefined;
};

/** What came back from a successful call. */
export type Answer = { status: number; headers: Headers; body: unknown };

/** The query string of a call: empty values dropped, `tenant` added. */
export function queryOf(query: Outgoing["query"], tenant?: string): string {
  const params = new URLSearchParams();
  if (query instanceof URLSearchParams) for (const [k, v] of query) params.append(k, v);
  else
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  if (tenant && !params.has("tenant")) params.set("tenant", tenant);
  return params.toString();
}

/** The one reading of an answer's body: JSON when it is JSON, `undefined` when empty, else the text itself. */
export function readBody(text: string): { json: boolean; value: unknown } {
  if (text.trim() === "") return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false, value: text };
  }
}

/** Seconds from a Retry-After header (a number of seconds; an HTTP date is read as a wait until then). */
export function retryAfterOf(headers: Headers): number | null {
  const raw = headers.get("retry-after");
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Sends one call and reads its answer; throws an ApiError for a refusal or when nothing came back. */
export async function exchange(
  fetch: FetchLike,
  baseUrl: string,
  call: Outgoing,
  init: Omit<RequestInit, "method" | "body" | "headers"> = {},
): Promise<Answer> {
  const qs = queryOf(call.query, call.tenant);
  const url = `${baseUrl}${call.path}${qs ? `?${qs}` : ""}`;
  const headers: Record<string, string> = { ...call.headers, accept: "application/json" };
  let body: BodyInit | undefined;
  if (call.body instanceof FormData) body = call.body;
  else if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(call.body);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      method: call.method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, "NETWORK_ERROR", `${call.method} ${call.path} failed: ${reason}`);
  }
  const read = readBody(await response.text());
  if (!response.ok) throw ApiError.fromResponse(response.status, read.value, retryAfterOf(response.headers));
  if (!read.json)
    throw new ApiError(
      response.status,
      "INVALID_RESPONSE",
      `${call.method} ${call.path} did not return JSON`,
    );
  return { status: response.status, headers: response.headers, body: read.value };
}

/**
 * The islands' caller: a same-origin call to `/api/*` through the site's proxy (the session cookie goes along),
 * answering the body. `T` is what the route answers: take it from the domain's types (`import type`), since
 * nothing here checks it; server code uses the typed client, which does.
 */
export async function callApi<T = unknown>(
  method: Method,
  path: string,
  opts: { tenant?: string | undefined; body?: unknown; query?: QueryValues | undefined } = {},
): Promise<T> {
  const answer = await exchange(
    (input, init) => fetch(input, init),
    "",
    { method, path, body: opts.body, query: opts.query, tenant: opts.tenant },
    { credentials: "same-origin" },
  );
  return answer.body as T;
}
