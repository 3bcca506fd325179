/**
 * The bootcamp's API (`/api/app/bootcamp/*` with the `bootcamp` tenant, and `/api/public/bootcamp/*`).
 * Answers are checked for their outer shape; their types come from the domain verbs that produce them.
 */
import type {
  BootcampStats,
  CatalogueCourse,
  Certificate,
  CohortRoster,
  CourseDetail,
  CourseOverview,
  LearnerCourse,
  MyEnrolment,
  QueueItem,
} from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";

const obj = z.looseObject({});
const P = "/api/app/bootcamp";
const seg = (id: string) => encodeURIComponent(id);

export type LearnerLesson = {
  enrolment_id: string;
  course_title: string;
  module_title: string;
  id: string;
  title: string;
  html: string;
  release_date: string;
  completed_at: string | null;
};

export type ReviewSubmission = {
  id: string;
  enrolment_id: string;
  kind: "link" | "file";
  url: string | null;
  file_name: string | null;
  note: string | null;
  attempt: number;
  open: number;
  marking_state: "not_marked" | "in_review" | "released";
  scores: number[] | null;
  feedback: string | null;
  submitted_at: string;
  learner_name: string;
  assignment_title: string;
  brief_html: string;
  rubric: Array<{ criterion: string; points: number }>;
};

export function bootcampApi(api: ApiClient) {
  const get = async <T>(path: string, query?: URLSearchParams) =>
    (await api.request({ method: "GET", path, schema: obj, ...(query ? { query } : {}) })) as unknown as T;
  const send = async <T = Record<string, unknown>>(method: "POST" | "PATCH", path: string, body?: unknown) =>
    (await api.request({ method, path, body: body ?? {}, schema: obj })) as unknown as T;
  return {
    // Public
    catalogue: () => get<{ courses: CatalogueCourse[] }>("/api/public/bootcamp/catalogue"),
    apply: (body: { cohort_id: string; email: string; name: string; motivation?: string }) =>
      send("POST", "/api/public/bootcamp/applications", body),
    verify: (id: string) => get<{ certificate: Certificate }>(`/api/public/bootcamp/certificates/${seg(id)}`),
    // Learners
    me: () => get<{ enrolments: MyEnrolment[] }>(`${P}/me`),
    course: (enrolment: string) => get<LearnerCourse>(`${P}/enrolments/${seg(enrolment)}/course`),
    lesson: (enrolment: string, lesson: string) =>
      get<LearnerLesson>(`${P}/enrolments/${seg(enrolment)}/lessons/${seg(lesson)}`),
    complete: (enrolment: string, lesson: string) =>
      send("POST", `${P}/enrolments/${seg(enrolment)}/lessons/${seg(lesson)}/complete`),
    submitLink: (enrolment: string, assignment: string, body: { url: string; note?: string }) =>
      send<{ id: string; attempt: number }>(
        "POST",
        `${P}/enrolments/${seg(enrolment)}/assignments/${seg(assignment)}/submission`,
        body,
      ),
    certificate: (id: string) => get<Certificate>(`${P}/certificates/${seg(id)}`),
    // Team
    overview: () => get<CourseOverview>(`${P}/overview`),
    stats: () => get<BootcampStats>(`${P}/stats`),
    courseDetail: (id: string) => get<CourseDetail>(`${P}/courses/${seg(id)}`),
    createCourse: (body: Record<string, unknown>) => send<{ id: string }>("POST", `${P}/courses`, body),
    updateCourse: (id: string, body: Record<string, unknown>) =>
      send("PATCH", `${P}/courses/${seg(id)}`, body),
    createModule: (body: Record<string, unknown>) => send<{ id: string }>("POST", `${P}/modules`, body),
    createLesson: (body: Record<string, unknown>) => send<{ id: string }>("POST", `${P}/lessons`, body),
    createAssignment: (body: Record<string, unknown>) =>
      send<{ id: string }>("POST", `${P}/assignments`, body),
    createCohort: (body: Record<string, unknown>) => send<{ id: string }>("POST", `${P}/cohorts`, body),
    roster: (id: string) => get<CohortRoster>(`${P}/cohorts/${seg(id)}`),
    assignInstructor: (cohort: string, email: string) =>
      send("POST", `${P}/cohorts/${seg(cohort)}/instructors`, { email }),
    enrol: (body: { cohort_id: string; email: string; name: string }) =>
      send<{ id: string; status: string; acceptPath: string | null }>("POST", `${P}/enrolments`, body),
    inviteApplicant: (id: string) =>
      send<{ id: string; status: string; acceptPath: string | null }>(
        "POST",
        `${P}/enrolments/${seg(id)}/invite`,
      ),
    withdraw: (id: string) => send("POST", `${P}/enrolments/${seg(id)}/withdraw`),
    queue: (state: string) => get<{ items: QueueItem[] }>(`${P}/reviews`, new URLSearchParams({ state })),
    review: (id: string) => get<ReviewSubmission>(`${P}/reviews/${seg(id)}`),
    startReview: (id: string) => send("POST", `${P}/reviews/${seg(id)}/start`),
    saveReview: (id: string, body: { scores: number[]; feedback: string }) =>
      send("POST", `${P}/reviews/${seg(id)}/scores`, body),
    releaseReview: (id: string) => send("POST", `${P}/reviews/${seg(id)}/release`),
    reopen: (id: string) => send("POST", `${P}/reviews/${seg(id)}/reopen`),
  };
}

export type BootcampApi = ReturnType<typeof bootcampApi>;
