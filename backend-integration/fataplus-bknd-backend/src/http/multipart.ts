/**
 * The one way the worker reads a multipart upload: the declared length is checked against the cap before a
 * byte is read (multipart overhead is small: anything far above the cap is refused at once), then the form is
 * parsed. What the file is (its type, size and name) is the domain's business, never the request's word.
 */
import { DomainError } from "@fataplus/domain";
import type { AppContext } from "./context.ts";

/** Room for the multipart boundaries and the other fields above the file's own cap. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function readMultipart(
  c: AppContext,
  opts: { maxBytes: number; tooLarge: string; notMultipart: string; unreadable: string },
): Promise<FormData> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > opts.maxBytes + MULTIPART_OVERHEAD)
    throw new DomainError("PAYLOAD_TOO_LARGE", opts.tooLarge);
  if (!isMultipart(c)) throw new DomainError("VALIDATION", opts.notMultipart);
  try {
    return await c.req.raw.formData();
  } catch {
    throw new DomainError("VALIDATION", opts.unreadable);
  }
}

export const isMultipart = (c: AppContext): boolean =>
  (c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
