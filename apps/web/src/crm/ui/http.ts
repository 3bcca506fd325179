/**
 * A small same-origin JSON caller for islands: the same `/api/*` routes and error envelope as the typed client
 * (api.ts), read into the same `{ message, fields }`, but without that client's zod response schemas, which
 * cost ~25 KB gzipped of a CRM page's 100 KB budget. Islands that only send writes (saved views, kanban moves,
 * forms) use this; server-side code and screens that read typed data keep the typed client.
 */
import { type FieldErrors, fieldsOfDetails } from "./errors";

export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** `method path` with a JSON body; `tenant` names the project (`?tenant=`). Returns the parsed JSON body. */
export async function callApi<T = unknown>(
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  opts: { tenant?: string; body?: unknown; query?: Record<string, string | number | undefined> } = {},
): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined && v !== "") params.set(k, String(v));
  if (opts.tenant) params.set("tenant", opts.tenant);
  const qs = params.toString();
  const headers: Record<string, string> = { accept: "application/json" };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(qs ? `${path}?${qs}` : path, init);
  } catch (cause) {
    throw new HttpError(0, "NETWORK_ERROR", cause instanceof Error ? cause.message : String(cause));
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
      ?.error;
    throw new HttpError(
      res.status,
      typeof e?.code === "string" ? e.code : "HTTP_ERROR",
      typeof e?.message === "string" && e.message ? e.message : `Request failed with status ${res.status}`,
      e?.details,
    );
  }
  return body as T;
}

/** A data row of a project: `/api/data/<entity>[/<id>]?tenant=…` (create, update, remove). */
export const dataApi = (tenant: string) => ({
  create: async (entity: string, values: Record<string, unknown>) =>
    (
      await callApi<{ data: Record<string, unknown> }>("POST", `/api/data/${entity}`, {
        tenant,
        body: values,
      })
    ).data,
  update: async (entity: string, id: string, values: Record<string, unknown>) =>
    (
      await callApi<{ data: Record<string, unknown> }>(
        "PUT",
        `/api/data/${entity}/${encodeURIComponent(id)}`,
        {
          tenant,
          body: values,
        },
      )
    ).data,
  remove: async (entity: string, id: string) => {
    await callApi("DELETE", `/api/data/${entity}/${encodeURIComponent(id)}`, { tenant });
  },
});

/** The API's message and its per-field details (`details[].path`), like api.ts's describeError. */
export function describeFailure(error: unknown, fallback: string): { message: string; fields: FieldErrors } {
  if (!(error instanceof HttpError) || error.status === 0) return { message: fallback, fields: {} };
  return { message: error.message || fallback, fields: fieldsOfDetails(error.details) };
}
