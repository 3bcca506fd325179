/**
 * The one error the API's callers see, server client and island caller alike, read from the backend's envelope
 * `{ error: { code, message, details? } }`. No zod here: islands import this file.
 */

/**
 * Error codes the backend sends in its envelope (see the domain's kernel/errors.ts), the web proxy's
 * UPSTREAM_UNAVAILABLE, and the ones the callers raise themselves.
 */
export type ApiErrorCode =
  | "VALIDATION"
  | "BAD_QUERY"
  | "TENANT_REQUIRED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNPROCESSABLE"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "UPSTREAM_UNAVAILABLE"
  // Raised by the callers:
  | "NETWORK_ERROR"
  | "INVALID_RESPONSE"
  | "HTTP_ERROR"
  | (string & {});

/** The backend's error envelope. */
export type ErrorEnvelope = { error: { code: string; message: string; details?: unknown } };

/** One problem of a refused body: `details: [{ path: "email", message: "…" }]`. */
export type FieldErrors = Record<string, string>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The envelope in a body, if it is one. */
export function envelopeOf(body: unknown): ErrorEnvelope["error"] | null {
  if (!isObject(body) || !isObject(body.error)) return null;
  const { code, message, details } = body.error;
  if (typeof code !== "string" || code === "" || typeof message !== "string") return null;
  return details === undefined ? { code, message } : { code, message, details };
}

/**
 * The only error type thrown for a failed call. `status` is the HTTP status, or 0 when no response came
 * (network error); `retryAfter` the seconds a 429 or 503 asks to wait (Retry-After), when it says.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    details?: unknown,
    retryAfter?: number | null,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter ?? null;
  }

  /** An ApiError from a non-2xx answer's body, envelope or not. */
  static fromResponse(status: number, body: unknown, retryAfter?: number | null): ApiError {
    const e = envelopeOf(body);
    if (e)
      return new ApiError(
        status,
        e.code,
        e.message || `Request failed with status ${status}`,
        e.details,
        retryAfter,
      );
    return new ApiError(status, "HTTP_ERROR", `Request failed with status ${status}`, body, retryAfter);
  }

  /** The refused fields (`details[].path`, first segment), one message each. */
  get fields(): FieldErrors {
    return fieldErrorsOf(this.details);
  }

  /** Every problem of a refused body, with its full path ("items.0.price_cents"). */
  get problems(): Problem[] {
    return problemsOf(this.details);
  }

  toJSON(): ErrorEnvelope & { status: number } {
    return {
      status: this.status,
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/**
 * One refused field: its path, the API's English message, and, for most, a stable `key` with its `params`
 * (`too_long`, `{ max: 80 }`) that the site renders in the reader's language (apps/web/src/i18n/errors.ts).
 */
export type Problem = {
  path: string;
  message: string;
  key?: string;
  params?: Record<string, string | number>;
};

const paramsOf = (value: unknown): Record<string, string | number> | undefined => {
  if (!isObject(value)) return undefined;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") out[k] = v;
  return out;
};

/** The `[{ path, message, key?, params? }]` of an error's details (anything else in them is ignored). */
export function problemsOf(details: unknown): Problem[] {
  const out: Problem[] = [];
  for (const d of Array.isArray(details) ? details : []) {
    if (!isObject(d)) continue;
    const path = String(d.path ?? "");
    const message = String(d.message ?? "");
    if (!path || !message) continue;
    const params = paramsOf(d.params);
    out.push({
      path,
      message,
      ...(typeof d.key === "string" && d.key ? { key: d.key } : {}),
      ...(params ? { params } : {}),
    });
  }
  return out;
}

/** The problems as one message per field (the first for each), keyed by the path's first segment. */
export function fieldErrorsOf(details: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const { path, message } of problemsOf(details)) {
    const field = path.split(".")[0] ?? "";
    if (field && !(field in fields)) fields[field] = message;
  }
  return fields;
}
