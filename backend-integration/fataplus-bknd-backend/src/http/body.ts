/**
 * The one way the worker reads a JSON body: from a clone (Hono caches the body bknd will read), with a size cap,
 * and only when the request says it is JSON (`application/json`, or a `+json` type): a form or `text/plain`
 * body is what a cross-site form can send without a preflight, so it is never read as JSON (415).
 */
import { DomainError } from "@fataplus/domain";

/** `application/json`, `application/json; charset=utf-8`, `application/merge-patch+json`… */
export function isJsonContentType(header: string | null | undefined): boolean {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

export const notJson = (): DomainError =>
  new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** bknd's admin UI signs in with an HTML form; every other body the API reads is JSON or a multipart upload. */
const FORM_ROUTES = /^\/api\/auth\/(password\/)?login\/?$/;

/**
 * A write whose body is neither JSON nor a multipart upload (nor the sign-in form). The gate refuses it before
 * any handler reads it, bknd's included (bknd parses a raw body as JSON whatever its type). Routes that take
 * JSON refuse a multipart body themselves (readJsonBody).
 */
export function hasUnreadableBody(req: Request): boolean {
  if (!UNSAFE_METHODS.has(req.method) || req.body === null) return false;
  if (req.headers.get("content-length") === "0") return false;
  const header = req.headers.get("content-type");
  if (isJsonContentType(header)) return false;
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "multipart/form-data") return false;
  return !(type === "application/x-www-form-urlencoded" && FORM_ROUTES.test(new URL(req.url).pathname));
}

/** A body that is not JSON at all (a 400 like any invalid input; JSON-RPC calls it a parse error, -32700). */
export class InvalidJson extends DomainError {
  constructor(message: string) {
    super("VALIDATION", message);
  }
}

export async function readJsonBody(
  req: Request,
  opts: { maxBytes: number; what?: string },
): Promise<unknown> {
  const what = opts.what ?? "The body";
  const text = await req.clone().text();
  if (text.length > opts.maxBytes) throw new DomainError("PAYLOAD_TOO_LARGE", `${what} is too large.`);
  if (text.trim() === "") return undefined;
  if (!isJsonContentType(req.headers.get("content-type"))) throw notJson();
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJson(`${what} is not valid JSON.`);
  }
}
