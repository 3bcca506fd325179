/**
 * Downloads of document versions through signed links (./signed.ts): issuing one for a version the caller may
 * see, and serving one.
 */
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { assertReadsDocuments, readsInternal } from "./access.ts";
import { bumpCounter } from "./counters.ts";
import { attachmentDisposition } from "./files.ts";
import { type DocumentVisibility, downloadInput } from "./schemas.ts";
import { DOWNLOAD_TTL_SECONDS, signToken, verifyToken } from "./signed.ts";
import { assertPortalTenant } from "./tenant.ts";

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
  assertReadsDocuments(ctx);
  const { version_id } = parse(downloadInput, input, "download");
  const row = await ctx.db
    .prepare(
      `SELECT v.id, v.file_name, d.visibility FROM document_versions v
       JOIN documents d ON d.tenant_id = v.tenant_id AND d.id = v.document_id
       WHERE v.tenant_id = ? AND v.id = ?`,
    )
    .bind(ctx.tenant.id, version_id)
    .first<{ id: string; file_name: string; visibility: DocumentVisibility }>();
  if (!row || (!readsInternal(ctx) && row.visibility !== "client"))
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
