/**
 * The one error type of the domain. Every transport maps it once: HTTP in the bknd worker
 * (backend-integration/.../src/http/errors.ts), JSON-RPC for MCP.
 */
export const errorCodes = {
  VALIDATION: 400,
  BAD_QUERY: 400,
  TENANT_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** A stable message key the site renders from its catalogue (French first), with its parameters. */
export type ErrorKey =
  | "required"
  | "too_long"
  | "too_short"
  | "too_many"
  | "too_few"
  | "too_big"
  | "too_small"
  | "invalid_url"
  | "invalid_email"
  | "invalid_value"
  | "invalid"
  | "date_order"
  | "taken"
  | "not_right"
  | "file_type";

export type ErrorDetail = {
  path: string;
  message: string;
  key?: ErrorKey;
  params?: Record<string, string | number>;
};

/** The fields of a zod issue the key mapping reads; every one optional so plain `{ path, message }` still fits. */
type IssueLike = {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  input?: unknown;
  maximum?: unknown;
  minimum?: unknown;
  format?: string;
  origin?: string;
};

/** Maps a zod issue to a stable key + params (undefined when no key fits: the message stays the fallback). */
export function issueKey(
  i: IssueLike,
): { key: ErrorKey; params?: Record<string, string | number> } | undefined {
  const bound = (v: unknown): number | undefined =>
    typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
  if (i.code === "invalid_type" && i.input === undefined) return { key: "required" };
  // the bound's unit follows what was measured: characters of a text, items of a list, the value of a number
  const unit = (text: ErrorKey, list: ErrorKey, value: ErrorKey): ErrorKey =>
    i.origin === "array" || i.origin === "set"
      ? list
      : i.origin === "string" || i.origin === undefined
        ? text
        : value;
  if (i.code === "too_big") {
    const max = bound(i.maximum);
    const key = unit("too_long", "too_many", "too_big");
    return max === undefined ? { key } : { key, params: { max } };
  }
  if (i.code === "too_small") {
    const min = bound(i.minimum);
    if (min === 1 && i.origin !== "number" && i.origin !== "bigint") return { key: "required" };
    const key = unit("too_short", "too_few", "too_small");
    return min === undefined ? { key } : { key, params: { min } };
  }
  if (i.code === "invalid_format" && i.format === "url") return { key: "invalid_url" };
  if (i.code === "invalid_format" && i.format === "email") return { key: "invalid_email" };
  if (i.code === "invalid_value") return { key: "invalid_value" };
  if (i.code !== undefined) return { key: "invalid" };
  return undefined;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: ErrorDetail[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DomainError";
    this.code = code;
    this.details = opts.details;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return errorCodes[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: ErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Turns a zod error into a DomainError with one readable line per issue. */
export function validationError(issues: ReadonlyArray<IssueLike>, prefix = "Invalid input"): DomainError {
  const details = issues.map((i): ErrorDetail => {
    const k = issueKey(i);
    return {
      path: i.path.map(String).join(".") || "(root)",
      message: i.message,
      ...(k ? { key: k.key, ...(k.params ? { params: k.params } : {}) } : {}),
    };
  });
  const summary = details
    .slice(0, 3)
    .map((d) => `${d.path}: ${d.message}`)
    .join("; ");
  return new DomainError("VALIDATION", `${prefix}: ${summary}`, { details });
}
