/**
 * Uploading a document (a new one, or a new version of one; against a file request or not). Clients may only
 * upload against a file request of their project; their file is client-facing.
 */

import { auditStatement } from "../kernel/audit.ts";
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { hasCapability } from "../kernel/roles.ts";
import { notifyAgency } from "../notifications/write.ts";
import { isAgency } from "./access.ts";
import { bumpCounter } from "./counters.ts";
import { type DocumentDetail, getDocument } from "./documents.ts";
import { type SniffedFile, sanitizeFileName, sha256OfBytes, sniffAllowedType } from "./files.ts";
import { type DocumentVisibility, type UploadMeta, uploadMeta } from "./schemas.ts";
import { assertPortalTenant } from "./tenant.ts";

export type UploadInput = UploadMeta & { file_name: string; bytes: Uint8Array<ArrayBuffer> };

type FileRequestRef = { id: string; title: string; status: string; document_id: string | null };
type ExistingDocument = {
  id: string;
  title: string;
  visibility: DocumentVisibility;
  current_version: number;
};

/** The file itself: not empty, not too large, an allowed type (from its bytes), a safe name, its hash. */
async function checkFile(input: UploadInput, maxBytes: number) {
  if (input.bytes.byteLength === 0) throw new DomainError("VALIDATION", "The file is empty.");
  if (input.bytes.byteLength > maxBytes)
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB.`,
    );
  const type = await sniffAllowedType(input.bytes);
  return {
    type,
    fileName: sanitizeFileName(input.file_name, type.ext),
    sha256: await sha256OfBytes(input.bytes),
  };
}

/** What the upload goes into: the file request it answers, the document it adds a version to (if any). */
async function uploadTarget(ctx: Ctx, meta: UploadMeta, agency: boolean) {
  let request: FileRequestRef | null = null;
  if (meta.request_id) {
    request = await ctx.db
      .prepare("SELECT id, title, status, document_id FROM file_requests WHERE tenant_id = ? AND id = ?")
      .bind(ctx.tenant.id, meta.request_id)
      .first<FileRequestRef>();
    if (!request) throw new DomainError("NOT_FOUND", "This file request does not exist.");
    if (request.status === "accepted") throw new DomainError("CONFLICT", "This request is already accepted.");
  }
  const targetDocId = meta.document_id ?? request?.document_id ?? null;
  let existing: ExistingDocument | null = null;
  if (targetDocId) {
    existing = await ctx.db
      .prepare("SELECT id, title, visibility, current_version FROM documents WHERE tenant_id = ? AND id = ?")
      .bind(ctx.tenant.id, targetDocId)
      .first<ExistingDocument>();
    // A client never writes into an internal document, even the one behind their request: their version would
    // make it client-facing again, with every version the agency added meanwhile.
    if (!existing || (!agency && existing.visibility !== "client"))
      throw new DomainError("NOT_FOUND", "This document does not exist.");
    if (!agency && meta.document_id && request?.document_id !== meta.document_id)
      throw new DomainError("FORBIDDEN", "Clients upload files against a request of the project manager.");
  }
  return { request, existing };
}

type Stored = {
  documentId: string;
  versionId: string;
  version: number;
  title: string;
  visibility: DocumentVisibility;
  key: string;
  fileName: string;
  type: SniffedFile;
  sha256: string;
  size: number;
  /** One timestamp for every row of the upload. */
  now: string;
};

/** The document (new, or its current version moved on: guarded by the one read), the version, the counter. */
function documentStatements(ctx: Ctx, s: Stored, existing: ExistingDocument | null): D1PreparedStatement[] {
  const { now } = s;
  const by = actorUserId(ctx.actor);
  const t = ctx.tenant.id;
  return [
    existing
      ? // a concurrent upload makes the unique index refuse one of the two
        ctx.db
          .prepare(
            "UPDATE documents SET current_version = ?, title = ?, visibility = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND current_version = ?",
          )
          .bind(s.version, s.title, s.visibility, now, t, s.documentId, existing.current_version)
      : ctx.db
          .prepare(
            "INSERT INTO documents (id, tenant_id, title, visibility, current_version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
          )
          .bind(s.documentId, t, s.title, s.visibility, by, now, now),
    ctx.db
      .prepare(
        "INSERT INTO document_versions (id, tenant_id, document_id, version, file_name, mime_type, size_bytes, sha256, r2_key, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        s.versionId,
        t,
        s.documentId,
        s.version,
        s.fileName,
        s.type.mime,
        s.size,
        s.sha256,
        s.key,
        by,
        now,
      ),
    bumpCounter(ctx.db, t, "storage_bytes", s.size, ctx.now()),
    auditStatement(ctx, "document.upload", "documents", s.documentId, {
      title: s.title,
      visibility: s.visibility,
      version: s.version,
    }),
  ];
}

/** The file request answered by the upload: submitted, pointing at the document. */
function requestStatements(ctx: Ctx, request: FileRequestRef, s: Stored): D1PreparedStatement[] {
  return [
    ctx.db
      .prepare(
        "UPDATE file_requests SET status = 'submitted', document_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
      )
      .bind(s.documentId, s.now, ctx.tenant.id, request.id),
    notifyAgency(ctx, {
      kind: "request_uploaded",
      object: { type: "file_request", id: request.id },
      title: request.title,
    }),
    auditStatement(ctx, "request.submit", "file_requests", request.id, {
      title: request.title,
      visibility: "client",
    }),
  ];
}

/**
 * Stores an upload: sniffs and checks the type, sanitizes the name, hashes it, puts it in R2, then writes the
 * metadata, the counter, the audit row and (against a requested file) the request's new state in one D1 batch.
 * If the batch fails, the R2 object is deleted: a refused upload leaves nothing behind.
 */
export async function uploadDocument({
  ctx,
  bucket,
  input,
  maxBytes,
}: {
  ctx: Ctx;
  bucket: R2Bucket;
  input: UploadInput;
  maxBytes: number;
}): Promise<DocumentDetail> {
  assertPortalTenant(ctx);
  const { file_name: _name, bytes: _bytes, ...rest } = input;
  const meta = parse(uploadMeta, rest, "upload");
  if (!hasCapability(ctx.role, "files.upload_requested"))
    throw new DomainError("FORBIDDEN", "You may not upload here.");
  const agency = isAgency(ctx);
  if (!agency && !meta.request_id)
    throw new DomainError("FORBIDDEN", "Clients upload files against a request of the project manager.");
  const file = await checkFile(input, maxBytes);
  const { request, existing } = await uploadTarget(ctx, meta, agency);
  const documentId = existing?.id ?? newId();
  const versionId = newId();
  const stored: Stored = {
    ...file,
    documentId,
    versionId,
    version: (existing?.current_version ?? 0) + 1,
    title: meta.title ?? existing?.title ?? request?.title ?? file.fileName,
    visibility: agency ? (meta.visibility ?? existing?.visibility ?? "internal") : "client",
    key: `tenants/${ctx.tenant.id}/documents/${documentId}/${versionId}`,
    size: input.bytes.byteLength,
    now: ctx.now().toISOString(),
  };

  await bucket.put(stored.key, input.bytes, {
    httpMetadata: { contentType: file.type.mime },
    customMetadata: { tenant_id: ctx.tenant.id, sha256: file.sha256 },
    sha256: file.sha256,
  });
  const statements = [
    ...documentStatements(ctx, stored, existing),
    ...(request ? requestStatements(ctx, request, stored) : []),
  ];
  try {
    const results = await ctx.db.batch(statements);
    if (existing && results[0]?.meta.changes !== 1)
      throw new DomainError("CONFLICT", "Another version was uploaded at the same time. Try again.");
  } catch (err) {
    await bucket.delete(stored.key);
    if (err instanceof DomainError) throw err;
    throw new DomainError("CONFLICT", "Another version was uploaded at the same time. Try again.", {
      cause: err,
    });
  }
  return getDocument({ ctx, input: { id: documentId } });
}
