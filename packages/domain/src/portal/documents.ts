/**
 * Documents of a project: metadata in D1 (tenant_id on every row), files in R2 under
 * `tenants/<tenant_id>/documents/<document_id>/<version_id>`. A new upload of a document is a new version; old
 * versions stay. Clients see client-facing documents only; project managers and admins see and manage all.
 * Reading here; uploading in ./document-upload.ts, editing in ./document-edit.ts, downloads (signed links)
 * in ./downloads.ts.
 */
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { COUNT_CAP } from "../records/read.ts";
import { assertReadsDocuments, readsInternal } from "./access.ts";
import { type DocumentVisibility, documentQuery, portalIdInput } from "./schemas.ts";
import { assertPortalTenant } from "./tenant.ts";

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

const VERSION_COLUMNS = `v.id, v.document_id, v.version, v.file_name, v.mime_type, v.size_bytes, v.sha256, v.created_at,
  (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = v.uploaded_by) AS uploaded_by_name`;

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

/** The project's documents, newest first: all of them for the agency, client-facing ones for clients and partners. */
export async function listDocuments({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: unknown;
}): Promise<{ rows: DocumentRow[]; total: number; totalCapped: boolean }> {
  assertPortalTenant(ctx);
  assertReadsDocuments(ctx);
  const q = parse(documentQuery, input, "document query");
  const visibility = readsInternal(ctx) ? (q.visibility ?? null) : "client";
  const where = visibility ? "d.tenant_id = ?1 AND d.visibility = ?2" : "d.tenant_id = ?1";
  const [list, count] = await ctx.db.batch<ListedRow & { n: number }>([
    ctx.db
      .prepare(`${LIST_SQL} WHERE ${where} ORDER BY d.updated_at DESC LIMIT ${q.limit}`)
      .bind(ctx.tenant.id, ...(visibility ? [visibility] : [])),
    // counted up to COUNT_CAP + 1 rows ("plus de 1 000"): the read does not grow with the documents
    ctx.db
      .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM documents d WHERE ${where} LIMIT ${COUNT_CAP + 1})`)
      .bind(ctx.tenant.id, ...(visibility ? [visibility] : [])),
  ]);
  const n = count?.results[0]?.n ?? 0;
  return {
    rows: (list?.results ?? []).map(toRow),
    total: Math.min(n, COUNT_CAP),
    totalCapped: n > COUNT_CAP,
  };
}

/** One document with its versions. A client asking for an internal document gets "not found". */
export async function getDocument({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<DocumentDetail> {
  assertPortalTenant(ctx);
  assertReadsDocuments(ctx);
  const { id } = parse(portalIdInput, input, "document");
  const row = await ctx.db
    .prepare(`${LIST_SQL} WHERE d.tenant_id = ? AND d.id = ?`)
    .bind(ctx.tenant.id, id)
    .first<ListedRow>();
  if (!row || (!readsInternal(ctx) && row.visibility !== "client"))
    throw new DomainError("NOT_FOUND", "This document does not exist.");
  return { ...toRow(row), versions: await versionsOf(ctx, id) };
}
