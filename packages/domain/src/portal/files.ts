/**
 * What an uploaded file is, decided from its bytes: the type comes from `file-type` (magic numbers), never
 * from the file name or the client's Content-Type; only allow-listed types pass; names are sanitized.
 * docs/decisions/008-portal-documents-and-realtime.md says why this library.
 */
import { fileTypeFromBuffer } from "file-type";
import { DomainError } from "../kernel/errors.ts";
import { DEFAULT_UPLOAD_MAX_BYTES } from "../vocabulary/limits.ts";

/** 25 MB unless the deployment says otherwise (UPLOAD_MAX_BYTES). */
export { DEFAULT_UPLOAD_MAX_BYTES };

/** Types a project shares: documents, office files, images, archives. No HTML, SVG, scripts or executables. */
export const ALLOWED_MIME_TYPES: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "application/vnd.oasis.opendocument.text": "odt",
  "application/vnd.oasis.opendocument.spreadsheet": "ods",
  "application/zip": "zip",
};

export type SniffedFile = { mime: string; ext: string };

/** The type the bytes say the file is (magic numbers), or null when they say nothing `file-type` knows. */
export async function sniffMimeType(bytes: Uint8Array<ArrayBuffer>): Promise<string | null> {
  return (await fileTypeFromBuffer(bytes))?.mime ?? null;
}

/** The file's real type, or a 415-style refusal (422 UNPROCESSABLE) naming what is accepted. */
export async function sniffAllowedType(bytes: Uint8Array<ArrayBuffer>): Promise<SniffedFile> {
  const found = await fileTypeFromBuffer(bytes);
  const ext = found ? ALLOWED_MIME_TYPES[found.mime] : undefined;
  if (!found || !ext) {
    throw new DomainError(
      "UNPROCESSABLE",
      `This type of file is not accepted${found ? ` (${found.mime})` : ""}. Accepted: PDF, images (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, OpenDocument, ZIP.`,
      { details: [{ path: "file", message: "type not allowed", key: "file_type" }] },
    );
  }
  return { mime: found.mime, ext };
}

/**
 * A file name safe to store and to put in Content-Disposition: no path, no control or reserved characters,
 * no leading dots, at most 120 characters, and the extension of the sniffed type.
 */
export function sanitizeFileName(raw: string, ext: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? "")
    .normalize("NFKC")
    .replace(/\.[^.]*$/, "")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
    .replace(/[\u0000-\u001f\u007f"*:<>?|\\/;%]/g, "")
    // bidirectional controls and invisible characters, which make a name read differently from what it is
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .replace(/\s+/g, " ")
    .replace(/^[.\s-]+/, "")
    .trim()
    .slice(0, 100)
    .trim();
  return `${base || "document"}.${ext}`;
}

export async function sha256OfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
