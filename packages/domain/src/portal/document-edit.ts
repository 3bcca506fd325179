/** Changing a document (title, who sees it) and deleting it with every version and file: the agency only. */
import { writeWithAudit } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { parse } from "../kernel/parse.ts";
import { assertAgency } from "./access.ts";
import { bumpCounter } from "./counters.ts";
import { type DocumentDetail, getDocument } from "./documents.ts";
import { documentUpdate, portalIdInput } from "./schemas.ts";
import { assertPortalTenant } from "./tenant.ts";

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
  const { id } = parse(portalIdInput, { id: input.id }, "document");
  const changes = parse(documentUpdate, input.changes, "document change");
  const current = await getDocument({ ctx, input: { id } });
  const title = changes.title ?? current.title;
  const visibility = changes.visibility ?? current.visibility;
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "UPDATE documents SET title = ?, visibility = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
        )
        .bind(title, visibility, ctx.now().toISOString(), ctx.tenant.id, id),
    ],
    { action: "document.update", entity: "documents", entityId: id, data: { title, visibility } },
  );
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
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare("UPDATE file_requests SET document_id = NULL WHERE tenant_id = ? AND document_id = ?")
        .bind(ctx.tenant.id, doc.id),
      ctx.db.prepare("DELETE FROM documents WHERE tenant_id = ? AND id = ?").bind(ctx.tenant.id, doc.id),
      bumpCounter(ctx.db, ctx.tenant.id, "storage_bytes", -size, ctx.now()),
    ],
    {
      action: "document.delete",
      entity: "documents",
      entityId: doc.id,
      data: { title: doc.title, visibility: doc.visibility },
    },
  );
  if (keys.length > 0) await bucket.delete(keys.map((k) => k.r2_key));
  return { id: doc.id };
}
