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

export type ErrorDetail = { path: string; message: string };

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
export function validationError(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = "Invalid input",
): DomainError {
  const details = issues.map((i) => ({
    path: i.path.map(String).join(".") || "(root)",
    message: i.message,
  }));
  const summary = details
    .slice(0, 3)
    .map((d) => `${d.path}: ${d.message}`)
    .join("; ");
  return new DomainError("VALIDATION", `${prefix}: ${summary}`, { details });
}
