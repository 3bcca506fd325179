/**
 * Assignment files (decision 010, types from the bytes per decision 011): a learner's PDF, PNG, JPEG, WebP or
 * ZIP of at most 10 MB, stored in R2 under the enrolment's prefix with a sanitized name, recorded by
 * `submitAssignment`, and served back as an attachment that no browser will render.
 */
import { z } from "zod";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { attachmentDisposition, sanitizeFileName, sniffAllowedType } from "../portal/files.ts";
import { BOOTCAMP_SUBMISSION_MAX_BYTES } from "../vocabulary/limits.ts";
import { submissionFile } from "./review.ts";
import { assertCanSubmit, submitAssignment } from "./submissions.ts";

/** The size limit of a submission (the vocabulary's, which the site's forms show). */
export const MAX_SUBMISSION_BYTES = BOOTCAMP_SUBMISSION_MAX_BYTES;
export const SUBMISSION_TOO_LARGE = "Files are limited to 10 MB.";

/** What a learner may hand in, by the type its bytes say, with the extension it is stored under. */
export const SUBMISSION_TYPES: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "application/zip": "zip",
};

export type CheckedSubmissionFile = {
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
  ext: string;
  name: string;
};

const unsupported = () =>
  new DomainError("VALIDATION", "Submit a PDF, PNG, JPEG, WebP or ZIP file.", {
    details: [{ path: "file", message: "unsupported type", key: "file_type" }],
  });

/**
 * What an uploaded file is: present and not empty, at most 10 MB, of an accepted type. The type comes from the
 * bytes (as for portal documents, decision 008), never from the name or the declared Content-Type: an HTML page
 * or an SVG with a script named "photo.png" is refused. The name is sanitized and given the real extension.
 */
export async function checkSubmissionFile(file: unknown): Promise<CheckedSubmissionFile> {
  if (!(file instanceof File) || file.size === 0)
    throw new DomainError("VALIDATION", "Choose a file to submit.", {
      details: [{ path: "file", message: "required", key: "required" }],
    });
  if (file.size > MAX_SUBMISSION_BYTES) throw new DomainError("PAYLOAD_TOO_LARGE", SUBMISSION_TOO_LARGE);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let type: string;
  try {
    type = (await sniffAllowedType(bytes)).mime;
  } catch {
    throw unsupported();
  }
  const ext = SUBMISSION_TYPES[type];
  if (!ext) throw unsupported();
  return { bytes, type, ext, name: sanitizeFileName(file.name, ext).slice(0, 200) };
}

/** Where an enrolment's files live in R2: the submission verb accepts no key outside this prefix. */
export const submissionKey = (tenantId: string, enrolmentId: string, ext: string): string =>
  `bootcamp/${tenantId}/${enrolmentId}/${newId()}.${ext}`;

/** A file submission as a form carries it: the file and an optional note, for one enrolment's assignment. */
export const fileSubmissionInput = z.object({
  enrolment_id: z.string(),
  assignment_id: z.string(),
  file: z.unknown(),
  note: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === "string" && v.trim() ? v : undefined)),
});

/**
 * Submits a file: the learner may submit (asked before anything is stored), the file is checked, stored in R2
 * and recorded; if recording fails, the object is removed, so a refused submission leaves nothing behind.
 */
export async function submitAssignmentFile({
  ctx,
  bucket,
  input,
}: {
  ctx: Ctx;
  bucket: R2Bucket;
  input: unknown;
}): Promise<{ id: string; attempt: number }> {
  const data = parse(fileSubmissionInput, input, "submission");
  const { enrolmentId } = await assertCanSubmit({
    ctx,
    input: { enrolment_id: data.enrolment_id, assignment_id: data.assignment_id },
  });
  const file = await checkSubmissionFile(data.file);
  const key = submissionKey(ctx.tenant.id, enrolmentId, file.ext);
  await bucket.put(key, file.bytes, { httpMetadata: { contentType: file.type } });
  try {
    return await submitAssignment({
      ctx,
      input: {
        kind: "file",
        enrolment_id: enrolmentId,
        assignment_id: data.assignment_id,
        file_key: key,
        file_name: file.name,
        file_type: file.type,
        file_size: file.bytes.byteLength,
        ...(data.note ? { note: data.note } : {}),
      },
    });
  } catch (e) {
    await bucket.delete(key);
    throw e;
  }
}

/** How a submitted file is served: an attachment under its real type, never sniffed, rendered or cached. */
export function submissionFileHeaders(file: { type: string; name: string }): Record<string, string> {
  return {
    "content-type": file.type,
    "content-disposition": attachmentDisposition(file.name),
    "x-content-type-options": "nosniff",
    "cache-control": "private, no-store",
    "content-security-policy": "default-src 'none'; sandbox",
  };
}

/** A submitted file for whoever may read it (submissionFile decides), with the headers to serve it under. */
export async function openSubmissionFile({
  ctx,
  bucket,
  input,
}: {
  ctx: Ctx;
  bucket: R2Bucket;
  input: unknown;
}): Promise<{ body: ReadableStream; headers: Record<string, string> }> {
  const file = await submissionFile({ ctx, input });
  const object = await bucket.get(file.key);
  if (!object) throw new DomainError("NOT_FOUND", "No such file.");
  return { body: object.body, headers: submissionFileHeaders(file) };
}
