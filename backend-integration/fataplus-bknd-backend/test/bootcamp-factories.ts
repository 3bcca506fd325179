/** Bootcamp test data: a published course (2 modules' worth of lessons, one assignment) and cohorts, per tenant. */
import {
  assignInstructor,
  createAssignment,
  createCohort,
  createCourse,
  createLesson,
  createModule,
  enrolLearner,
  type TenantRef,
} from "@fataplus/domain";
import { systemCtx, unique } from "./factories.ts";

export const day = (offset: number): string =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export type BootcampRefs = {
  course: string;
  courseTitle: string;
  module: string;
  lessonNow: string;
  lessonLater: string;
  assignment: string;
  /** Started 40 days ago: every lesson is released. */
  pastCohort: string;
  /** Starts today: the second lesson opens in 30 days. */
  cohort: string;
  /** Starts in 20 days, open for applications. */
  upcoming: string;
};

export async function seedBootcamp(tenant: TenantRef, title = unique("Course ")): Promise<BootcampRefs> {
  const ctx = systemCtx(tenant);
  const course = await createCourse({
    ctx,
    input: { slug: unique("c-"), title, summary: "Learn UX research", status: "published" },
  });
  const mod = await createModule({ ctx, input: { course_id: course.id, title: "Module 1" } });
  const lessonNow = await createLesson({
    ctx,
    input: {
      module_id: mod.id,
      title: "Interviews",
      body_md: "# Interviews\n\nTalk to **users**.",
      position: 1,
    },
  });
  const lessonLater = await createLesson({
    ctx,
    input: {
      module_id: mod.id,
      title: "Synthesis",
      body_md: "Affinity maps",
      position: 2,
      release_offset_days: 30,
    },
  });
  const assignment = await createAssignment({
    ctx,
    input: {
      course_id: course.id,
      title: "Interview plan",
      brief_md: "Write a plan",
      rubric: [
        { criterion: "Goals", points: 5 },
        { criterion: "Questions", points: 10 },
      ],
    },
  });
  const pastCohort = await createCohort({
    ctx,
    input: { course_id: course.id, name: unique("Past "), start_date: day(-40), seats: 10 },
  });
  const cohort = await createCohort({
    ctx,
    input: { course_id: course.id, name: unique("Now "), start_date: day(0), seats: 10 },
  });
  const upcoming = await createCohort({
    ctx,
    input: { course_id: course.id, name: unique("Next "), start_date: day(20), seats: 2 },
  });
  return {
    course: course.id,
    courseTitle: title,
    module: mod.id,
    lessonNow: lessonNow.id,
    lessonLater: lessonLater.id,
    assignment: assignment.id,
    pastCohort: pastCohort.id,
    cohort: cohort.id,
    upcoming: upcoming.id,
  };
}

export async function makeInstructor(tenant: TenantRef, cohortId: string, email: string): Promise<void> {
  await assignInstructor({ ctx: systemCtx(tenant), input: { cohort_id: cohortId, email } });
}

/** Enrols an existing member of the tenant (active at once, no invitation needed); returns the enrolment id. */
export async function enrolMember(tenant: TenantRef, cohortId: string, email: string): Promise<string> {
  const res = await enrolLearner({
    ctx: systemCtx(tenant),
    input: { cohort_id: cohortId, email, name: `Learner ${email.slice(0, 8)}` },
    links: { origin: "https://fata.plus" },
  });
  return res.id;
}
