import { z } from "zod";

/**
 * Error codes the backend sends in its envelope (see packages/domain/src/kernel/errors.ts), the web
 * proxy's UPSTREAM_UNAVAILABLE, and the ones this client raises itself.
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
  | "UNPROCESSABLE"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "UPSTREAM_UNAVAILABLE"
  // Raised by the client:
  | "NETWORK_ERROR"
  | "INVALID_RESPONSE"
  | "HTTP_ERROR"
  | (string & {});

/** The backend's error envelope: `{ error: { code, message, details? } }`. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/**
 * The only error type the client throws for a failed call.
 * `status` is the HTTP status, or 0 when no response was received (network error).
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Builds an ApiError from a non-2xx response body, envelope or not. */
  static fromResponse(status: number, body: unknown): ApiError {
    const envelope = ErrorEnvelopeSchema.safeParse(body);
    if (envelope.success) {
      const { code, message, details } = envelope.data.error;
      return new ApiError(status, code, message || `Request failed with status ${status}`, details);
    }
    return new ApiError(status, "HTTP_ERROR", `Request failed with status ${status}`, body);
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
