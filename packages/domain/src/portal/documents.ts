/**
 * Documents of a project: metadata in D1 (tenant_id on every row), files in R2 under
 * `tenants/<tenant_id>/documents/<document_id>/<version_id>`. A new upload of a document is a new version; old
 * versions stay. Clients see client-facing documents only; project managers and admins see and manage all.
 * Downloads go through signed links (./signed.ts).
 */
import { z } from "zod";
import { auditStatement } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import { hasCapability } from "../kernel/roles.ts";
import { bumpCounter } from "./counters.ts";
import { attachmentDisposition, sanitizeFileName, sha256OfBytes, sniffAllowedType } from "./files.ts";
import { DOWNLOAD_TTL_SECONDS, signToken, verifyToken } from "./signed.ts";
import { assertPortalTenant } from "./tenant.ts";

export const documentVisibilities = ["internal", "client"] as const;
export type DocumentVisibility = (typeof documentVisibilities)[number];

export type DocumentVersion = {
  id: string;
  document_id: string;
  version: number;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by_name: string | null;
  created_at: string;
};

export type DocumentRow = {
  id: string;
  title: string;
  visibility: DocumentVisibility;
  current_version: number;
  created_at: string;
  updated_at: string;
  latest: DocumentVersion;
  approval: { id: string; status: string; version: number } | null;
};

export type DocumentDetail = DocumentRow & { versions: DocumentVersion[] };

const isAgency = (ctx: Ctx) => hasCapability(ctx.role, "documents.read_internal");

/** Agency roles only (project managers, admins). */
export function assertAgency(ctx: Ctx, what = "This"): void {
  if (!isAgency(ctx)) throw new DomainError("FORBIDDEN", `${what} is for the project's managers.`);
}

const uuid = z.uuid({ message: "must be a UUID" });

export const uploadMeta = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  visibility: z.enum(documentVisibilities).optional(),
  document_id: uuid.optional(),
  request_id: uuid.optional(),
});
export type UploadMeta = z.infer<typeof uploadMeta>;

export type UploadInput = UploadMeta & { file_name: string; bytes: Uint8Array<ArrayBuffer> };

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues, `Invalid ${what}`);
  return r.data;
}

const VERSION_COLUMNS = `v.id, v.document_id, v.version, v.file_name, v.mime_type, v.size_bytes, v.sha256, v.created_at,
  (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = v.uploaded_by) AS uploaded_by_name`;

/**
 * Stores an upload: sniffs and checks the type, sanitizes the name, hashes it, puts it in R2, then writes the
 * metadata, the counter, the audit row and (against a requested file) the request's new state in one D1 batch.
 * If the batch fails, the R2 object is deleted: a refused upload leaves nothing behind.
 * Clients may only upload against a file request of their project; their file is client-facing.
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
  if (input.bytes.byteLength === 0) throw new DomainError("VALIDATION", "The file is empty.");
  if (input.bytes.byteLength > maxBytes)
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB.`,
    );
  const type = await sniffAllowedType(input.bytes);
  const fileName = sanitizeFileName(input.file_name, type.ext);
  const sha256 = await sha256OfBytes(input.bytes);
  const now = ctx.now().toISOString();
  const actorUser = ctx.actor.type === "user" || ctx.actor.type === "token" ? ctx.actor.userId : null;

  let request: { id: string; title: string; status: string; document_id: string | null } | null = null;
  if (meta.request_id) {
    request = await ctx.db
      .prepare("SELECT id, title, status, document_id FROM file_requests WHERE tenant_id = ? AND id = ?")
      .bind(ctx.tenant.id, meta.request_id)
      .first();
    if (!request) throw new DomainError("NOT_FOUND", "This file request does not exist.");
    if (request.status === "accepted") throw new DomainError("CONFLICT", "This request is already accepted.");
  }
  const targetDocId = meta.document_id ?? request?.document_id ?? null;
  let existing: {
    id: string;
    title: string;
    visibility: DocumentVisibility;
    current_version: number;
  } | null = null;
  if (targetDocId) {
    existing = await ctx.db
      .prepare("SELECT id, title, visibility, current_version FROM documents WHERE tenant_id = ? AND id = ?")
      .bind(ctx.tenant.id, targetDocId)
      .first();
    // A client never writes into an internal document, even the one behind their request: their version would
    // make it client-facing again, with every version the agency added meanwhile.
    if (!existing || (!agency && existing.visibility !== "client"))
      throw new DomainError("NOT_FOUND", "This document does not exist.");
    if (!agency && meta.document_id && request?.document_id !== meta.document_id)
      throw new DomainError("FORBIDDEN", "Clients upload files against a request of the project manager.");
  }
  const documentId = existing?.id ?? newId();
  const versionId = newId();
  const version = (existing?.current_version ?? 0) + 1;
  const title = meta.title ?? existing?.title ?? request?.title ?? fileName;
  const visibility: DocumentVisibility = agency
    ? (meta.visibility ?? existing?.visibility ?? "internal")
    : "client";
  const key = `tenants/${ctx.tenant.id}/documents/${documentId}/${versionId}`;

  await bucket.put(key, input.bytes, {
    httpMetadata: { contentType: type.mime },
    customMetadata: { tenant_id: ctx.tenant.id, sha256 },
    sha256,
  });
  const statements: D1PreparedStatement[] = [];
  if (existing) {
    // Guarded by the version we read: a concurrent upload makes the unique index refuse one of the two.
    statements.push(
      ctx.db
        .prepare(
          "UPDATE documents SET current_version = ?, title = ?, visibility = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND current_version = ?",
        )
        .bind(version, title, visibility, now, ctx.tenant.id, documentId, existing.current_version),
    );
  } else {
    statements.push(
      ctx.db
        .prepare(
          "INSERT INTO documents (id, tenant_id, title, visibility, current_version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
        )
        .bind(documentId, ctx.tenant.id, title, visibility, actorUser, now, now),
    );
  }
  statements.push(
    ctx.db
      .prepare(
        "INSERT INTO document_versions (id, tenant_id, document_id, version, file_name, mime_type, size_bytes, sha256, r2_key, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        versionId,
        ctx.tenant.id,
        documentId,
        version,
        fileName,
        type.mime,
        input.bytes.byteLength,
        sha256,
        key,
        actorUser,
        now,
      ),
    bumpCounter(ctx.db, ctx.tenant.id, "storage_bytes", input.bytes.byteLength, ctx.now()),
    auditStatement(ctx, "document.upload", "documents", documentId, { title, visibility, version }),
  );
  if (request) {
    statements.push(
      ctx.db
        .prepare(
          "UPDATE file_requests SET status = 'submitted', document_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
        )
        .bind(documentId, now, ctx.tenant.id, request.id),
      auditStatement(ctx, "request.submit", "file_requests", request.id, {
        title: request.title,
        visibility: "client",
      }),
    );
  }
  try {
    const results = await ctx.db.batch(statements);
    if (existing && results[0]?.meta.changes !== 1)
      throw new DomainError("CONFLICT", "Another version was uploaded at the same time. Try again.");
  } catch (err) {
    await bucket.delete(key);
    if (err instanceof DomainError) throw err;
    throw new DomainError("CONFLICT", "Another version was uploaded at the same time. Try again.", {
      cause: err,
    });
  }
  return getDocument({ ctx, input: { id: documentId } });
}

async function versionsOf(ctx: Ctx, documentId: string): Promise<DocumentVersion[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT ${VERSION_COLUMNS} FROM document_versions v WHERE v.tenant_id = ? AND v.document_id = ? ORDER BY v.version DESC LIMIT 100`,
    )
    .bind(ctx.tenant.id, documentId)
    .all<DocumentVersion>();
  return results;
}

type ListedRow = Omit<DocumentRow, "latest" | "approval"> & {
  v_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  v_created_at: string;
  uploaded_by_name: string | null;
  approval_id: string | null;
  approval_status: string | null;
  approval_version: number | null;
};

const toRow = (r: ListedRow): DocumentRow => ({
  id: r.id,
  title: r.title,
  visibility: r.visibility,
  current_version: r.current_version,
  created_at: r.created_at,
  updated_at: r.updated_at,
  latest: {
    id: r.v_id,
    document_id: r.id,
    version: r.current_version,
    file_name: r.file_name,
    mime_type: r.mime_type,
    size_bytes: r.size_bytes,
    sha256: r.sha256,
    uploaded_by_name: r.uploaded_by_name,
    created_at: r.v_created_at,
  },
  approval: r.approval_id
    ? { id: r.approval_id, status: r.approval_status ?? "pending", version: r.approval_version ?? 0 }
    : null,
});

const LIST_SQL = `SELECT d.id, d.title, d.visibility, d.current_version, d.created_at, d.updated_at,
    v.id AS v_id, v.file_name, v.mime_type, v.size_bytes, v.sha256, v.created_at AS v_created_at,
    (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = v.uploaded_by) AS uploaded_by_name,
    a.id AS approval_id, a.status AS approval_status, a.version AS approval_version
  FROM documents d
  JOIN document_versions v ON v.tenant_id = d.tenant_id AND v.document_id = d.id AND v.version = d.current_version
  LEFT JOIN approvals a ON a.tenant_id = d.tenant_id AND a.id = (
    SELECT a2.id FROM approvals a2 WHERE a2.tenant_id = d.tenant_id AND a2.document_id = d.id
    ORDER BY a2.created_at DESC LIMIT 1)`;

/** The project's documents, newest first: all of them for the agency, client-facing ones for clients. */
export async function listDocuments({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: unknown;
}): Promise<{ rows: DocumentRow[]; total: number }> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "documents.read_client_facing"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  const q = parse(
    z.strictObject({
      visibility: z.enum(documentVisibilities).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    input,
    "document query",
  );
  const visibility = isAgency(ctx) ? (q.visibility ?? null) : "client";
  const where = visibility ? "d.tenant_id = ?1 AND d.visibility = ?2" : "d.tenant_id = ?1";
  const [list, count] = await ctx.db.batch<ListedRow & { n: number }>([
    ctx.db
      .prepare(`${LIST_SQL} WHERE ${where} ORDER BY d.updated_at DESC LIMIT ${q.limit}`)
      .bind(ctx.tenant.id, ...(visibility ? [visibility] : [])),
    ctx.db
      .prepare(`SELECT count(*) AS n FROM documents d WHERE ${where}`)
      .bind(ctx.tenant.id, ...(visibility ? [visibility] : [])),
  ]);
  return { rows: (list?.results ?? []).map(toRow), total: count?.results[0]?.n ?? 0 };
}

/** One document with its versions. A client asking for an internal document gets "not found". */
export async function getDocument({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<DocumentDetail> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "documents.read_client_facing"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  const { id } = parse(z.strictObject({ id: uuid }), input, "document");
  const row = await ctx.db
    .prepare(`${LIST_SQL} WHERE d.tenant_id = ? AND d.id = ?`)
    .bind(ctx.tenant.id, id)
    .first<ListedRow>();
  if (!row || (!isAgency(ctx) && row.visibility !== "client"))
    throw new DomainError("NOT_FOUND", "This document does not exist.");
  return { ...toRow(row), versions: await versionsOf(ctx, id) };
}

export const documentUpdate = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  visibility: z.enum(documentVisibilities).optional(),
});

/** Renames a document or changes who sees it (agency only). */
export async function updateDocument({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; changes: unknown };
}): Promise<DocumentDetail> {
  assertPortalTenant(ctx);
  assertAgency(ctx, "Changing a document");
  const { id } = parse(z.strictObject({ id: uuid }), { id: input.id }, "document");
  const changes = parse(documentUpdate, input.changes, "document change");
  const current = await getDocument({ ctx, input: { id } });
  const title = changes.title ?? current.title;
  const visibility = changes.visibility ?? current.visibility;
  await ctx.db.batch([
    ctx.db
      .prepare(
        "UPDATE documents SET title = ?, visibility = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
      )
      .bind(title, visibility, ctx.now().toISOString(), ctx.tenant.id, id),
    auditStatement(ctx, "document.update", "documents", id, { title, visibility }),
  ]);
  return getDocument({ ctx, input: { id } });
}

/** Deletes a document, every version and their files (agency only; the UI confirms first). */
export async function deleteDocument({
  ctx,
  bucket,
  input,
}: {
  ctx: Ctx;
  bucket: R2Bucket;
  input: unknown;
}): Promise<{ id: string }> {
  assertPortalTenant(ctx);
  assertAgency(ctx, "Deleting a document");
  const doc = await getDocument({ ctx, input });
  const size = doc.versions.reduce((n, v) => n + v.size_bytes, 0);
  const { results: keys } = await ctx.db
    .prepare("SELECT r2_key FROM document_versions WHERE tenant_id = ? AND document_id = ?")
    .bind(ctx.tenant.id, doc.id)
    .all<{ r2_key: string }>();
  await ctx.db.batch([
    ctx.db
      .prepare("UPDATE file_requests SET document_id = NULL WHERE tenant_id = ? AND document_id = ?")
      .bind(ctx.tenant.id, doc.id),
    ctx.db.prepare("DELETE FROM documents WHERE tenant_id = ? AND id = ?").bind(ctx.tenant.id, doc.id),
    bumpCounter(ctx.db, ctx.tenant.id, "storage_bytes", -size, ctx.now()),
    auditStatement(ctx, "document.delete", "documents", doc.id, {
      title: doc.title,
      visibility: doc.visibility,
    }),
  ]);
  if (keys.length > 0) await bucket.delete(keys.map((k) => k.r2_key));
  return { id: doc.id };
}

/**
 * A signed download link for one version the caller may see: `/api/files/<token>`, valid 15 minutes, bound to
 * this tenant and this version.
 */
export async function issueDownloadLink({
  ctx,
  secret,
  input,
}: {
  ctx: Ctx;
  secret: string;
  input: unknown;
}): Promise<{ url: string; expires_at: string; file_name: string }> {
  assertPortalTenant(ctx);
  if (!hasCapability(ctx.role, "documents.read_client_facing"))
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  const { version_id } = parse(z.strictObject({ version_id: uuid }), input, "download");
  const row = await ctx.db
    .prepare(
      `SELECT v.id, v.file_name, d.visibility FROM document_versions v
       JOIN documents d ON d.tenant_id = v.tenant_id AND d.id = v.document_id
       WHERE v.tenant_id = ? AND v.id = ?`,
    )
    .bind(ctx.tenant.id, version_id)
    .first<{ id: string; file_name: string; visibility: DocumentVisibility }>();
  if (!row || (!isAgency(ctx) && row.visibility !== "client"))
    throw new DomainError("NOT_FOUND", "This document does not exist.");
  const exp = Math.floor(ctx.now().getTime() / 1000) + DOWNLOAD_TTL_SECONDS;
  const token = await signToken(secret, { kind: "dl", tenantId: ctx.tenant.id, versionId: row.id, exp });
  return {
    url: `/api/files/${token}`,
    expires_at: new Date(exp * 1000).toISOString(),
    file_name: row.file_name,
  };
}

/**
 * Serves a signed link: the token must be intact, unexpired and for the tenant the request is made in
 * (`tenantId`, resolved from the host or ?tenant=). Attachment, nosniff, private cache. Counts the download.
 */
export async function redeemDownload({
  db,
  bucket,
  secret,
  token,
  tenantId,
  now,
}: {
  db: D1Database;
  bucket: R2Bucket;
  secret: string;
  token: string;
  tenantId: string | null;
  now: Date;
}): Promise<Response> {
  const claims = await verifyToken(secret, "dl", token, now);
  if (tenantId !== claims.tenantId) throw new DomainError("FORBIDDEN", "This link is not valid.");
  const row = await db
    .prepare(
      "SELECT r2_key, file_name, mime_type, size_bytes FROM document_versions WHERE tenant_id = ? AND id = ?",
    )
    .bind(claims.tenantId, claims.versionId)
    .first<{ r2_key: string; file_name: string; mime_type: string; size_bytes: number }>();
  if (!row?.r2_key.startsWith(`tenants/${claims.tenantId}/`))
    throw new DomainError("NOT_FOUND", "This document no longer exists.");
  const object = await bucket.get(row.r2_key);
  if (!object) throw new DomainError("NOT_FOUND", "This document no longer exists.");
  await bumpCounter(db, claims.tenantId, "downloads", 1, now).run();
  return new Response(object.body, {
    status: 200,
    headers: {
      "content-type": row.mime_type,
      "content-length": String(row.size_bytes),
      "content-disposition": attachmentDisposition(row.file_name),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
