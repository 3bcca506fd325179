/**
 * The bootcamp's routes under /api/app/bootcamp (docs/decisions/010-bootcamp.md). The tenant is named by the
 * request like every /api/app route (the site sends `bootcamp`); the verbs decide who may do what (staff,
 * instructors of a cohort, the learner who owns an enrolment). Thin: validate, call the verb, answer.
 */
import {
  assertCanSubmit,
  assignInstructor,
  completeLesson,
  createAssignment,
  createCohort,
  createCourse,
  createLesson,
  createModule,
  DomainError,
  enrolLearner,
  getBootcampOverview,
  getBootcampStats,
  getCertificate,
  getCohortRoster,
  getCourseDetail,
  getLearnerCourse,
  getLearnerLesson,
  getMyBootcamp,
  getReviewQueue,
  getSubmissionForReview,
  inviteApplicant,
  newId,
  releaseReview,
  reopenSubmission,
  type SiteLinks,
  sanitizeFileName,
  saveReview,
  sniffAllowedType,
  startReview,
  submissionFile,
  submitAssignment,
  updateCourse,
  updateLesson,
  withdrawEnrolment,
} from "@fataplus/domain";
import { type AppContext, type AppServer, tenantCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { handle, jsonBody, queryOf } from "../http/handler.ts";

const P = "/api/app/bootcamp";
const obj = async (c: AppContext): Promise<Record<string, unknown>> => {
  const body = await jsonBody(c);
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new DomainError("VALIDATION", "The body must be a JSON object.");
  return body as Record<string, unknown>;
};
const param = (c: AppContext, name: string) => c.req.param(name) ?? "";

/** Links in e-mails point to the public site (PUBLIC_SITE_URL), never to an address taken from the request. */
const siteLinks = (c: AppContext): SiteLinks => ({ origin: c.get("config").siteUrl });

export const MAX_SUBMISSION_BYTES = 10 * 1024 * 1024;
export const SUBMISSION_TYPES: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "application/zip": "zip",
};

/** A file submission: checked with the verb first, stored in R2, recorded; the object is removed if recording fails. */
async function submitFile(c: AppContext) {
  const ctx = tenantCtx(c);
  const enrolment_id = param(c, "id");
  const assignment_id = param(c, "assignmentId");
  await assertCanSubmit({ ctx, input: { enrolment_id, assignment_id } });
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > MAX_SUBMISSION_BYTES + 64 * 1024)
    throw new DomainError("PAYLOAD_TOO_LARGE", "Files are limited to 10 MB.");
  let form: FormData;
  try {
    form = await c.req.raw.clone().formData();
  } catch {
    throw new DomainError("VALIDATION", "Send the file as multipart/form-data.");
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    throw new DomainError("VALIDATION", "Choose a file to submit.", {
      details: [{ path: "file", message: "required" }],
    });
  if (file.size > MAX_SUBMISSION_BYTES)
    throw new DomainError("PAYLOAD_TOO_LARGE", "Files are limited to 10 MB.");
  // The type comes from the bytes (as for portal documents, decision 008), never from the name or the
  // declared Content-Type: an HTML page or an SVG with a script named "photo.png" is refused (decision 011).
  const bytes = new Uint8Array(await file.arrayBuffer());
  const unsupported = () =>
    new DomainError("VALIDATION", "Submit a PDF, PNG, JPEG, WebP or ZIP file.", {
      details: [{ path: "file", message: "unsupported type" }],
    });
  let type: string;
  try {
    type = (await sniffAllowedType(bytes)).mime;
  } catch {
    throw unsupported();
  }
  const ext = SUBMISSION_TYPES[type];
  if (!ext) throw unsupported();
  const key = `bootcamp/${ctx.tenant.id}/${enrolment_id}/${newId()}.${ext}`;
  const bucket = c.env.BUCKET;
  await bucket.put(key, bytes, { httpMetadata: { contentType: type } });
  const note = form.get("note");
  try {
    return await submitAssignment({
      ctx,
      input: {
        kind: "file",
        enrolment_id,
        assignment_id,
        file_key: key,
        file_name: sanitizeFileName(file.name, ext).slice(0, 200),
        file_type: type,
        file_size: bytes.byteLength,
        ...(typeof note === "string" && note.trim() ? { note } : {}),
      },
    });
  } catch (e) {
    await bucket.delete(key);
    throw e;
  }
}

export function registerBootcampRoutes(server: AppServer): void {
  // Team (staff and instructors)
  server.get(
    `${P}/overview`,
    handle(async (c) => getBootcampOverview({ ctx: tenantCtx(c) })),
  );
  server.get(
    `${P}/stats`,
    handle(async (c) => getBootcampStats({ ctx: tenantCtx(c) })),
  );
  server.post(
    `${P}/courses`,
    handle(async (c) => createCourse({ ctx: tenantCtx(c), input: await obj(c) }), 201),
  );
  server.get(
    `${P}/courses/:id`,
    handle(async (c) => getCourseDetail({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.patch(
    `${P}/courses/:id`,
    handle(async (c) =>
      updateCourse({ ctx: tenantCtx(c), input: { ...(await obj(c)), id: param(c, "id") } }),
    ),
  );
  server.post(
    `${P}/modules`,
    handle(async (c) => createModule({ ctx: tenantCtx(c), input: await obj(c) }), 201),
  );
  server.post(
    `${P}/lessons`,
    handle(async (c) => createLesson({ ctx: tenantCtx(c), input: await obj(c) }), 201),
  );
  server.patch(
    `${P}/lessons/:id`,
    handle(async (c) =>
      updateLesson({ ctx: tenantCtx(c), input: { ...(await obj(c)), id: param(c, "id") } }),
    ),
  );
  server.post(
    `${P}/assignments`,
    handle(async (c) => createAssignment({ ctx: tenantCtx(c), input: await obj(c) }), 201),
  );
  server.post(
    `${P}/cohorts`,
    handle(async (c) => createCohort({ ctx: tenantCtx(c), input: await obj(c) }), 201),
  );
  server.get(
    `${P}/cohorts/:id`,
    handle(async (c) => getCohortRoster({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.post(
    `${P}/cohorts/:id/instructors`,
    handle(async (c) =>
      assignInstructor({
        ctx: tenantCtx(c),
        input: { ...(await obj(c)), cohort_id: param(c, "id") },
      }),
    ),
  );
  server.post(
    `${P}/enrolments`,
    handle(async (c) => enrolLearner({ ctx: tenantCtx(c), input: await obj(c), links: siteLinks(c) }), 201),
  );
  server.post(
    `${P}/enrolments/:id/invite`,
    handle(async (c) =>
      inviteApplicant({ ctx: tenantCtx(c), input: { id: param(c, "id") }, links: siteLinks(c) }),
    ),
  );
  server.post(
    `${P}/enrolments/:id/withdraw`,
    handle(async (c) => withdrawEnrolment({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );

  // Learners
  server.get(
    `${P}/me`,
    handle(async (c) => getMyBootcamp({ ctx: tenantCtx(c) })),
  );
  server.get(
    `${P}/enrolments/:id/course`,
    handle(async (c) => getLearnerCourse({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.get(
    `${P}/enrolments/:id/lessons/:lessonId`,
    handle(async (c) =>
      getLearnerLesson({
        ctx: tenantCtx(c),
        input: { enrolment_id: param(c, "id"), lesson_id: param(c, "lessonId") },
      }),
    ),
  );
  server.post(
    `${P}/enrolments/:id/lessons/:lessonId/complete`,
    handle(async (c) =>
      completeLesson({
        ctx: tenantCtx(c),
        input: { enrolment_id: param(c, "id"), lesson_id: param(c, "lessonId") },
      }),
    ),
  );
  server.post(
    `${P}/enrolments/:id/assignments/:assignmentId/submission`,
    handle(async (c) => {
      if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) return submitFile(c);
      return submitAssignment({
        ctx: tenantCtx(c),
        // `kind` comes after the body: a JSON body is a link, never a file record naming an R2 key of its own.
        input: {
          ...(await obj(c)),
          kind: "link",
          enrolment_id: param(c, "id"),
          assignment_id: param(c, "assignmentId"),
        },
      });
    }, 201),
  );
  server.get(`${P}/submissions/:id/file`, async (c) => {
    try {
      const ctx = tenantCtx(c);
      const file = await submissionFile({ ctx, input: { id: param(c, "id") } });
      const object = await c.env.BUCKET.get(file.key);
      if (!object) throw new DomainError("NOT_FOUND", "No such file.");
      return new Response(object.body, {
        headers: {
          "content-type": file.type,
          "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
          "x-content-type-options": "nosniff",
          "cache-control": "private, no-store",
          "content-security-policy": "default-src 'none'; sandbox",
        },
      });
    } catch (err) {
      return toResponse(err);
    }
  });
  server.get(
    `${P}/certificates/:id`,
    handle(async (c) => getCertificate({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );

  // Reviews (instructors of the cohort, staff)
  server.get(
    `${P}/reviews`,
    handle(async (c) => {
      // ?tenant= names the tenant (the gate read it); the rest of the query is the filter.
      const { tenant: _tenant, ...filter } = queryOf(c);
      return getReviewQueue({ ctx: tenantCtx(c), input: filter });
    }),
  );
  server.get(
    `${P}/reviews/:id`,
    handle(async (c) => getSubmissionForReview({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.post(
    `${P}/reviews/:id/start`,
    handle(async (c) => startReview({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.post(
    `${P}/reviews/:id/scores`,
    handle(async (c) => saveReview({ ctx: tenantCtx(c), input: { ...(await obj(c)), id: param(c, "id") } })),
  );
  server.post(
    `${P}/reviews/:id/release`,
    handle(async (c) => releaseReview({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
  server.post(
    `${P}/reviews/:id/reopen`,
    handle(async (c) => reopenSubmission({ ctx: tenantCtx(c), input: { id: param(c, "id") } })),
  );
}
