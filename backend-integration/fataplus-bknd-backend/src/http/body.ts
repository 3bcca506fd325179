/**
 * The one way the worker reads a JSON body: whatever the content type says (bknd parses the raw body
 * regardless of it), from a clone (Hono caches the body bknd will read), with a size cap.
 */
import { DomainError } from "@fataplus/domain";

export async function readJsonBody(
  req: Request,
  opts: { maxBytes: number; what?: string },
): Promise<unknown> {
  const what = opts.what ?? "The body";
  const text = await req.clone().text();
  if (text.length > opts.maxBytes) throw new DomainError("PAYLOAD_TOO_LARGE", `${what} is too large.`);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("VALIDATION", `${what} is not valid JSON.`);
  }
}
