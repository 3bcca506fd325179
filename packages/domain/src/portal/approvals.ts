/**
 * Approvals: the project manager asks the client to approve one exact document version. The approval keeps
 * that version's id and SHA-256, so a later upload can't change what was approved. The client approves or
 * asks for changes, with a comment.
 */

import { writeWithAudit } from "../kernel/audit.ts";
import { actorUserId, type Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { notifyAgency, notifyMembers } from "../notifications/write.ts";
import { assertAgency, assertReadsDocuments } from "./access.ts";
import { approvalDecision, approvalRequestInput, portalIdInput } from "./schemas.ts";
import { assertPortalTenant } from "./tenant.ts";

export type Approval = {
  id: string;
  document_id: string;
  document_title: string;
  version_id: string;
  version: number;
  file_name: string;
  sha256: string;
  status: "pending" | "approved" | "changes_requested";
  comment: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  created_at: string;
};

const SELECT = `SELECT a.id, a.document_id, d.title AS document_title, a.version_id, a.version, v.file_name, a.sha256,
    a.status, a.comment, a.decided_at, a.created_at,
    (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = a.decided_by) AS decided_by_name
  FROM approvals a
  JOIN documents d ON d.tenant_id = a.tenant_id AND d.id = a.document_id
  JOIN document_versions v ON v.tenant_id = a.tenant_id AND v.id = a.version_id`;

/** Approvals of client-facing documents (only those exist: asking one makes no sense for internal files). */
export async function listApprovals({ ctx }: { ctx: Ctx }): Promise<{ rows: Approval[] }> {
  assertPortalTenant(ctx);
  assertReadsDocuments(ctx);
  // Pending first, then the others, newest first: one statement per status on the (tenant_id, status,
  // created_at) index, each stopping at the list's length, merged here.
  const results = await ctx.db.batch<Approval>(
    (["pending", "approved", "changes_requested"] as const).map((status) =>
      ctx.db
        .prepare(
          `${SELECT} WHERE a.tenant_id = ? AND a.status = ? AND d.visibility = 'client'
           ORDER BY a.created_at DESC LIMIT 100`,
        )
        .bind(ctx.tenant.id, status),
    ),
  );
  const [pending = [], ...decided] = results.map((r) => r.results ?? []);
  const later = decided
    .flat()
    .sort((a, b) => (a.created_at === b.created_at ? 0 : a.created_at < b.created_at ? 1 : -1));
  return { rows: [...pending, ...later].slice(0, 100) };
}

async function getApproval(ctx: Ctx, id: string): Promise<Approval> {
  const row = await ctx.db
    .prepare(`${SELECT} WHERE a.tenant_id = ? AND a.id = ? AND d.visibility = 'client'`)
    .bind(ctx.tenant.id, id)
    .first<Approval>();
  if (!row) throw new DomainError("NOT_FOUND", "This approval does not exist.");
  return row;
}

/** Asks the client to approve a version (the current one unless named). The document must be client-facing. */
export async function requestApproval({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Approval> {
  assertPortalTenant(ctx);
  assertAgency(ctx, "Asking for an approval");
  const data = parse(approvalRequestInput, input, "approval request");
  const version = await ctx.db
    .prepare(
      `SELECT v.id, v.version, v.sha256, d.title, d.visibility FROM document_versions v
       JOIN documents d ON d.tenant_id = v.tenant_id AND d.id = v.document_id
       WHERE v.tenant_id = ? AND v.document_id = ? AND ${data.version_id ? "v.id = ?" : "v.version = d.current_version"}`,
    )
    .bind(ctx.tenant.id, data.document_id, ...(data.version_id ? [data.version_id] : []))
    .first<{ id: string; version: number; sha256: string; title: string; visibility: string }>();
  if (!version) throw new DomainError("NOT_FOUND", "This document version does not exist.");
  if (version.visibility !== "client")
    throw new DomainError("CONFLICT", "Share the document with the client before asking for an approval.");
  const pending = await ctx.db
    .prepare("SELECT id FROM approvals WHERE tenant_id = ? AND version_id = ? AND status = 'pending'")
    .bind(ctx.tenant.id, version.id)
    .first<{ id: string }>();
  if (pending) return getApproval(ctx, pending.id);
  const id = newId();
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "INSERT INTO approvals (id, tenant_id, document_id, version_id, version, sha256, status, requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        )
        .bind(
          id,
          ctx.tenant.id,
          data.document_id,
          version.id,
          version.version,
          version.sha256,
          actorUserId(ctx.actor),
          ctx.now().toISOString(),
        ),
      // the document is client-facing (checked above): its clients are asked
      notifyMembers(ctx, ["client"], {
        kind: "approval_requested",
        object: { type: "approval", id },
        title: version.title,
      }),
    ],
    {
      action: "approval.request",
      entity: "approvals",
      entityId: id,
      data: { title: version.title, visibility: "client", version: version.version },
    },
  );
  return getApproval(ctx, id);
}

/** The client decides on a pending approval; asking for changes needs a comment. */
export async function decideApproval({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; decision: unknown };
}): Promise<Approval> {
  assertPortalTenant(ctx);
  if (ctx.role !== "client") throw new DomainError("FORBIDDEN", "The client decides on an approval.");
  const { id } = parse(portalIdInput, { id: input.id }, "approval");
  const d = parse(approvalDecision, input.decision, "decision");
  if (d.decision === "changes" && !d.comment)
    throw new DomainError("VALIDATION", "Say what should change: a comment is required.", {
      details: [{ path: "comment", message: "required when asking for changes", key: "required" }],
    });
  const current = await getApproval(ctx, id);
  if (current.status !== "pending") throw new DomainError("CONFLICT", "This approval is already decided.");
  const status = d.decision === "approve" ? "approved" : "changes_requested";
  const [update] = await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "UPDATE approvals SET status = ?, comment = ?, decided_by = ?, decided_at = ? WHERE tenant_id = ? AND id = ? AND status = 'pending'",
        )
        .bind(status, d.comment ?? null, actorUserId(ctx.actor), ctx.now().toISOString(), ctx.tenant.id, id),
      notifyAgency(ctx, {
        kind: "approval_decided",
        object: { type: "approval", id },
        title: current.document_title,
        variant: status === "approved" ? "approved" : "changes",
        excerpt: d.comment ?? null,
        when: "changes() = 1",
      }),
    ],
    {
      action: `approval.${d.decision === "approve" ? "approve" : "changes"}`,
      entity: "approvals",
      entityId: id,
      data: {
        title: current.document_title,
        visibility: "client",
        version: current.version,
        sha256: current.sha256,
      },
    },
  );
  if (update?.meta.changes !== 1) throw new DomainError("CONFLICT", "This approval is already decided.");
  return getApproval(ctx, id);
}
