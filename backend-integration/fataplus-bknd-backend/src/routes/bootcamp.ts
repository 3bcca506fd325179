/**
 * The bootcamp's routes (docs/decisions/010-bootcamp.md).
 *  - Under /api/app/bootcamp, signed in: the tenant is named by the request like every /api/app route (the site
 *    sends `bootcamp`); the verbs decide who may do what (staff, instructors of a cohort, the learner who owns an
 *    enrolment).
 *  - Under /api/public/bootcamp, public (listed in src/http/public-routes.ts): the catalogue, one course,
 *    applying to a cohort and verifying a certificate, always in the bootcamp's own tenant.
 * Thin: read the request, call the verb, answer.
 */
import {
  applyToBootcamp,
  assignInstructor,
  type Ctx,
  completeLesson,
  createAssignment,
  createCohort,
  createCourse,
  createLesson,
  createModule,
  createQuiz,
  deleteContent,
  enrolLearner,
  getBootcampOverview,
  getBootcampStats,
  getCertificate,
  getCohortRoster,
  getCourseDetail,
  getLearnerCourse,
  getLearnerLesson,
  getLearnerQuiz,
  getMyBootcamp,
  getPublicCatalogue,
  getPublicCourse,
  getReviewQueue,
  getSubmissionForReview,
  inviteApplicant,
  MAX_SUBMISSION_BYTES,
  openSubmissionFile,
  releaseReview,
  reopenSubmission,
  reorderContent,
  revokeCertificate,
  type SiteLinks,
  SUBMISSION_TOO_LARGE,
  saveReview,
  startReview,
  submitAssignment,
  submitAssignmentFile,
  submitQuizAttempt,
  updateAssignment,
  updateCohort,
  updateCourse,
  updateLesson,
  updateModule,
  updateQuiz,
  verifyCertificate,
  withdrawEnrolment,
} from "@fataplus/domain";
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, systemCtx, tenantCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { filtersOf, handle, jsonObject, param } from "../http/handler.ts";
import { isMultipart, readMultipart } from "../http/multipart.ts";
import { clientIp } from "../http/request.ts";

const P = "/api/app/bootcamp";

/** Links in e-mails point to the public site (PUBLIC_SITE_URL), never to an address taken from the request. */
const siteLinks = (c: AppContext): SiteLinks => ({ origin: c.get("config").siteUrl });

type TenantVerb = (args: { ctx: Ctx; input: unknown }) => Promise<unknown>;

/** A verb on the record named by the path's `:id`. */
const byId = (verb: TenantVerb) =>
  handle(async (c) => verb({ ctx: tenantCtx(c), input: { id: param(c, "id") } }));

/** A verb on a JSON body, with the path's `:id` (as `key`) when the route has one. */
const withBody = (verb: TenantVerb, status: 200 | 201 = 200, key?: string) =>
  handle(async (c) => {
    const body = await jsonObject(c);
    return verb({ ctx: tenantCtx(c), input: key ? { ...body, [key]: param(c, "id") } : body });
  }, status);

/** A verb on one lesson of one of the learner's enrolments. */
const onLesson = (verb: TenantVerb) =>
  handle(async (c) =>
    verb({
      ctx: tenantCtx(c),
      input: { enrolment_id: param(c, "id"), lesson_id: param(c, "lessonId") },
    }),
  );

/** A submission: a multipart form carries a file, a JSON body a link. */
async function submit(c: AppContext) {
  const ctx = tenantCtx(c);
  const ref = { enrolment_id: param(c, "id"), assignment_id: param(c, "assignmentId") };
  if (!isMultipart(c)) {
    // `kind` comes after the body: a JSON body is a link, never a file record naming an R2 key of its own.
    return submitAssignment({ ctx, input: { ...(await jsonObject(c)), kind: "link", ...ref } });
  }
  const form = await readMultipart(c, {
    maxBytes: MAX_SUBMISSION_BYTES,
    tooLarge: SUBMISSION_TOO_LARGE,
    notMultipart: "Send the file as multipart/form-data.",
    unreadable: "Send the file as multipart/form-data.",
  });
  return submitAssignmentFile({
    ctx,
    bucket: c.env.BUCKET,
    input: { ...ref, file: form.get("file"), note: form.get("note") },
  });
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
  server.post(`${P}/courses`, withBody(createCourse, 201));
  server.get(`${P}/courses/:id`, byId(getCourseDetail));
  server.patch(`${P}/courses/:id`, withBody(updateCourse, 200, "id"));
  server.post(`${P}/modules`, withBody(createModule, 201));
  server.post(`${P}/lessons`, withBody(createLesson, 201));
  server.patch(`${P}/lessons/:id`, withBody(updateLesson, 200, "id"));
  server.post(`${P}/assignments`, withBody(createAssignment, 201));
  server.post(`${P}/quizzes`, withBody(createQuiz, 201));
  server.patch(`${P}/quizzes/:id`, withBody(updateQuiz, 200, "id"));
  server.patch(`${P}/modules/:id`, withBody(updateModule, 200, "id"));
  server.patch(`${P}/assignments/:id`, withBody(updateAssignment, 200, "id"));
  server.patch(`${P}/cohorts/:id`, withBody(updateCohort, 200, "id"));
  server.post(`${P}/content/reorder`, withBody(reorderContent));
  server.post(`${P}/content/delete`, withBody(deleteContent));
  server.post(`${P}/certificates/:id/revoke`, withBody(revokeCertificate, 200, "id"));
  server.post(`${P}/cohorts`, withBody(createCohort, 201));
  server.get(`${P}/cohorts/:id`, byId(getCohortRoster));
  server.post(`${P}/cohorts/:id/instructors`, withBody(assignInstructor, 200, "cohort_id"));
  server.post(
    `${P}/enrolments`,
    handle(
      async (c) => enrolLearner({ ctx: tenantCtx(c), input: await jsonObject(c), links: siteLinks(c) }),
      201,
    ),
  );
  server.post(
    `${P}/enrolments/:id/invite`,
    handle(async (c) =>
      inviteApplicant({ ctx: tenantCtx(c), input: { id: param(c, "id") }, links: siteLinks(c) }),
    ),
  );
  server.post(`${P}/enrolments/:id/withdraw`, byId(withdrawEnrolment));

  // Learners
  server.get(
    `${P}/me`,
    handle(async (c) => getMyBootcamp({ ctx: tenantCtx(c) })),
  );
  server.get(`${P}/enrolments/:id/course`, byId(getLearnerCourse));
  server.get(`${P}/enrolments/:id/lessons/:lessonId`, onLesson(getLearnerLesson));
  server.post(`${P}/enrolments/:id/lessons/:lessonId/complete`, onLesson(completeLesson));
  server.post(`${P}/enrolments/:id/assignments/:assignmentId/submission`, handle(submit, 201));
  server.get(
    `${P}/enrolments/:id/quizzes/:quizId`,
    handle(async (c) =>
      getLearnerQuiz({
        ctx: tenantCtx(c),
        input: { enrolment_id: param(c, "id"), quiz_id: param(c, "quizId") },
      }),
    ),
  );
  server.post(
    `${P}/enrolments/:id/quizzes/:quizId/attempts`,
    handle(async (c) => {
      const body = await jsonObject(c);
      return submitQuizAttempt({
        ctx: tenantCtx(c),
        input: { ...body, enrolment_id: param(c, "id"), quiz_id: param(c, "quizId") },
      });
    }, 201),
  );
  server.get(`${P}/submissions/:id/file`, async (c) => {
    try {
      const file = await openSubmissionFile({
        ctx: tenantCtx(c),
        bucket: c.env.BUCKET,
        input: { id: param(c, "id") },
      });
      return new Response(file.body, { headers: file.headers });
    } catch (err) {
      return toResponse(err);
    }
  });
  server.get(`${P}/certificates/:id`, byId(getCertificate));

  // Reviews (instructors of the cohort, staff)
  server.get(
    `${P}/reviews`,
    handle(async (c) => getReviewQueue({ ctx: tenantCtx(c), input: filtersOf(c) })),
  );
  server.get(`${P}/reviews/:id`, byId(getSubmissionForReview));
  server.post(`${P}/reviews/:id/start`, byId(startReview));
  server.post(`${P}/reviews/:id/scores`, withBody(saveReview, 200, "id"));
  server.post(`${P}/reviews/:id/release`, byId(releaseReview));
  server.post(`${P}/reviews/:id/reopen`, byId(reopenSubmission));
}

/** A public answer, cacheable as `cache` says. */
function answer(run: (c: AppContext) => Promise<object>, cache: string, status: 200 | 202 = 200) {
  return async (c: AppContext) => {
    try {
      return c.json(await run(c), status, { "cache-control": cache });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export function registerBootcampPublicRoutes(server: AppServer): void {
  server.get(
    "/api/public/bootcamp/catalogue",
    answer((c) => getPublicCatalogue({ ctx: systemCtx(c) }), "public, max-age=60"),
  );
  server.get(
    "/api/public/bootcamp/courses/:slug",
    answer(
      (c) => getPublicCourse({ ctx: systemCtx(c), input: { slug: param(c, "slug") } }),
      "public, max-age=60",
    ),
  );
  server.post(
    "/api/public/bootcamp/applications",
    answer(
      async (c) =>
        applyToBootcamp({
          ctx: systemCtx(c),
          input: await readJsonBody(c.req.raw, { maxBytes: 8192 }),
          clientIp: clientIp(c),
        }),
      "no-store",
      202,
    ),
  );
  server.get(
    "/api/public/bootcamp/certificates/:id",
    answer(
      async (c) => ({ certificate: await verifyCertificate({ db: c.env.DB, id: param(c, "id") }) }),
      "public, max-age=300",
    ),
  );
}
