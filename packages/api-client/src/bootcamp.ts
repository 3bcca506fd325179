/**
 * The bootcamp's API (`/api/app/bootcamp/*` with the `bootcamp` tenant, and `/api/public/bootcamp/*`). Each
 * answer's type is the result of the domain verb its route answers with; bodies are checked for their outer
 * shape only (see schemas.ts `shaped`).
 */
import type {
  applyToCohort,
  assignInstructor,
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
  getCatalogue,
  getCertificate,
  getCohortRoster,
  getCourseDetail,
  getLearnerCourse,
  getLearnerLesson,
  getLearnerQuiz,
  getMyBootcamp,
  getReviewQueue,
  getSubmissionForReview,
  inviteApplicant,
  releaseReview,
  reopenSubmission,
  reorderContent,
  revokeCertificate,
  saveReview,
  startReview,
  submitAssignment,
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
import type { ApiClient } from "./client";
import { anyObject, type Out, shaped } from "./schemas";

const P = "/api/app/bootcamp";
const seg = (id: string) => encodeURIComponent(id);

export type LearnerLesson = Out<typeof getLearnerLesson>;
export type ReviewSubmission = Out<typeof getSubmissionForReview>;

type Body = Record<string, unknown>;

export function bootcampApi(api: ApiClient) {
  /** A read whose answer is `T`, an object (its fields are the verb's promise). */
  const get = <T>(path: string, query?: Record<string, string>) =>
    api.request({ method: "GET", path, query, schema: shaped<T>(anyObject) });
  /** A write whose answer is `T`. */
  const send = <T>(method: "POST" | "PATCH", path: string, body?: unknown) =>
    api.request({ method, path, body: body ?? {}, schema: shaped<T>(anyObject) });
  return {
    // Public
    catalogue: () => get<Out<typeof getCatalogue>>("/api/public/bootcamp/catalogue"),
    apply: (body: { cohort_id: string; email: string; name: string; motivation?: string }) =>
      send<Out<typeof applyToCohort>>("POST", "/api/public/bootcamp/applications", body),
    verify: (id: string) =>
      get<{ certificate: Out<typeof verifyCertificate> }>(`/api/public/bootcamp/certificates/${seg(id)}`),
    // Learners
    me: () => get<Out<typeof getMyBootcamp>>(`${P}/me`),
    course: (enrolment: string) =>
      get<Out<typeof getLearnerCourse>>(`${P}/enrolments/${seg(enrolment)}/course`),
    lesson: (enrolment: string, lesson: string) =>
      get<LearnerLesson>(`${P}/enrolments/${seg(enrolment)}/lessons/${seg(lesson)}`),
    complete: (enrolment: string, lesson: string) =>
      send<Out<typeof completeLesson>>(
        "POST",
        `${P}/enrolments/${seg(enrolment)}/lessons/${seg(lesson)}/complete`,
      ),
    submitLink: (enrolment: string, assignment: string, body: { url: string; note?: string }) =>
      send<Out<typeof submitAssignment>>(
        "POST",
        `${P}/enrolments/${seg(enrolment)}/assignments/${seg(assignment)}/submission`,
        body,
      ),
    /** A file submission, sent on as multipart (the route checks its type and size). */
    submitFile: (enrolment: string, assignment: string, file: File, note: string) => {
      const form = new FormData();
      form.set("file", file);
      if (note) form.set("note", note);
      return send<Out<typeof submitAssignment>>(
        "POST",
        `${P}/enrolments/${seg(enrolment)}/assignments/${seg(assignment)}/submission`,
        form,
      );
    },
    quiz: (enrolment: string, quiz: string) =>
      get<Out<typeof getLearnerQuiz>>(`${P}/enrolments/${seg(enrolment)}/quizzes/${seg(quiz)}`),
    attemptQuiz: (enrolment: string, quiz: string, answers: unknown[]) =>
      send<Out<typeof submitQuizAttempt>>(
        "POST",
        `${P}/enrolments/${seg(enrolment)}/quizzes/${seg(quiz)}/attempts`,
        { answers },
      ),
    certificate: (id: string) => get<Out<typeof getCertificate>>(`${P}/certificates/${seg(id)}`),
    // Team
    overview: () => get<Out<typeof getBootcampOverview>>(`${P}/overview`),
    stats: () => get<Out<typeof getBootcampStats>>(`${P}/stats`),
    courseDetail: (id: string) => get<Out<typeof getCourseDetail>>(`${P}/courses/${seg(id)}`),
    createCourse: (body: Body) => send<Out<typeof createCourse>>("POST", `${P}/courses`, body),
    updateCourse: (id: string, body: Body) =>
      send<Out<typeof updateCourse>>("PATCH", `${P}/courses/${seg(id)}`, body),
    createModule: (body: Body) => send<Out<typeof createModule>>("POST", `${P}/modules`, body),
    createLesson: (body: Body) => send<Out<typeof createLesson>>("POST", `${P}/lessons`, body),
    updateLesson: (id: string, body: Body) =>
      send<Out<typeof updateLesson>>("PATCH", `${P}/lessons/${seg(id)}`, body),
    createAssignment: (body: Body) => send<Out<typeof createAssignment>>("POST", `${P}/assignments`, body),
    createQuiz: (body: Body) => send<Out<typeof createQuiz>>("POST", `${P}/quizzes`, body),
    updateQuiz: (id: string, body: Body) =>
      send<Out<typeof updateQuiz>>("PATCH", `${P}/quizzes/${seg(id)}`, body),
    updateModule: (id: string, body: Body) =>
      send<Out<typeof updateModule>>("PATCH", `${P}/modules/${seg(id)}`, body),
    updateAssignment: (id: string, body: Body) =>
      send<Out<typeof updateAssignment>>("PATCH", `${P}/assignments/${seg(id)}`, body),
    updateCohort: (id: string, body: Body) =>
      send<Out<typeof updateCohort>>("PATCH", `${P}/cohorts/${seg(id)}`, body),
    reorder: (body: { kind: string; parent_id: string; ids: string[] }) =>
      send<Out<typeof reorderContent>>("POST", `${P}/content/reorder`, body),
    deleteContent: (body: { kind: string; id: string; confirm?: boolean }) =>
      send<Out<typeof deleteContent>>("POST", `${P}/content/delete`, body),
    revokeCertificate: (id: string, reason: string) =>
      send<Out<typeof revokeCertificate>>("POST", `${P}/certificates/${seg(id)}/revoke`, { reason }),
    createCohort: (body: Body) => send<Out<typeof createCohort>>("POST", `${P}/cohorts`, body),
    roster: (id: string) => get<Out<typeof getCohortRoster>>(`${P}/cohorts/${seg(id)}`),
    assignInstructor: (cohort: string, email: string) =>
      send<Out<typeof assignInstructor>>("POST", `${P}/cohorts/${seg(cohort)}/instructors`, { email }),
    enrol: (body: { cohort_id: string; email: string; name: string }) =>
      send<Out<typeof enrolLearner>>("POST", `${P}/enrolments`, body),
    inviteApplicant: (id: string) =>
      send<Out<typeof inviteApplicant>>("POST", `${P}/enrolments/${seg(id)}/invite`),
    withdraw: (id: string) =>
      send<Out<typeof withdrawEnrolment>>("POST", `${P}/enrolments/${seg(id)}/withdraw`),
    queue: (state: string) => get<Out<typeof getReviewQueue>>(`${P}/reviews`, { state }),
    review: (id: string) => get<ReviewSubmission>(`${P}/reviews/${seg(id)}`),
    startReview: (id: string) => send<Out<typeof startReview>>("POST", `${P}/reviews/${seg(id)}/start`),
    saveReview: (id: string, body: { scores: number[]; feedback: string }) =>
      send<Out<typeof saveReview>>("POST", `${P}/reviews/${seg(id)}/scores`, body),
    releaseReview: (id: string) => send<Out<typeof releaseReview>>("POST", `${P}/reviews/${seg(id)}/release`),
    reopen: (id: string) => send<Out<typeof reopenSubmission>>("POST", `${P}/reviews/${seg(id)}/reopen`),
  };
}

export type BootcampApi = ReturnType<typeof bootcampApi>;
