/** The one mapping from errors to HTTP responses. Nothing else builds error bodies. */
import { DomainError, isDomainError } from "@fataplus/domain";
import { AccessChanged } from "./scope.ts";

export function errorResponse(err: DomainError, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  h.set("cache-control", "no-store");
  if (err.retryAfterSeconds !== undefined) h.set("retry-after", String(Math.max(1, err.retryAfterSeconds)));
  return new Response(JSON.stringify(err.toJSON()), { status: err.status, headers: h });
}

export function toResponse(err: unknown): Response {
  if (isDomainError(err)) return errorResponse(err);
  // never sent: the entry serves the request again (src/http/scope.ts)
  if (err instanceof AccessChanged)
    return errorResponse(new DomainError("INTERNAL", "Your access changed: please try again."));
  if (err instanceof SyntaxError)
    return errorResponse(new DomainError("VALIDATION", "The body is not valid JSON."));
  console.error("unexpected error", err);
  return errorResponse(new DomainError("INTERNAL", "Something went wrong on our side. Please try again."));
}
