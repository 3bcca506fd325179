/** The portal's input schemas and vocabularies: documents, file requests, approvals, messages. */
import { z } from "zod";

const uuid = z.uuid({ message: "must be a UUID" });
/** One row of the portal by its id. */
export const portalIdInput = z.strictObject({ id: uuid });

export const documentVisibilities = ["internal", "client"] as const;
export type DocumentVisibility = (typeof documentVisibilities)[number];

export const uploadMeta = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  visibility: z.enum(documentVisibilities).optional(),
  document_id: uuid.optional(),
  request_id: uuid.optional(),
});
export type UploadMeta = z.infer<typeof uploadMeta>;

export const documentQuery = z.strictObject({
  visibility: z.enum(documentVisibilities).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const documentUpdate = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  visibility: z.enum(documentVisibilities).optional(),
});

export const downloadInput = z.strictObject({ version_id: uuid });

export const approvalRequestInput = z.strictObject({ document_id: uuid, version_id: uuid.optional() });

export const approvalDecision = z.strictObject({
  decision: z.enum(["approve", "changes"]),
  comment: z.string().trim().max(5000).optional(),
});

export const requestStatuses = ["open", "submitted", "accepted", "changes_requested"] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const fileRequestInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).nullable().optional(),
  due_date: z.iso.date({ message: "must be a date formatted YYYY-MM-DD" }).nullable().optional(),
});

export const fileRequestReview = z.strictObject({
  decision: z.enum(["accept", "changes"]),
  comment: z.string().trim().max(5000).optional(),
});

export const messageInput = z.strictObject({ body: z.string().trim().min(1).max(5000) });
export const messageQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  /** Older messages, for scrolling back: those before this seq (the last `limit` of them). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const readMarkerInput = z.strictObject({ seq: z.number().int().min(0) });
