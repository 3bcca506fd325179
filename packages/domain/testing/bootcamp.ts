/** Bootcamp test data: a published course (one module, two lessons, one assignment) and three cohorts. */
import {
  assignInstructor,
  type Ctx,
  createAssignment,
  createCohort,
  createCourse,
  createLesson,
  createModule,
  enrolLearner,
} from "../src/index.ts";
import { unique } from "./scenario.ts";

/** The UTC date `offset` days from today (YYYY-MM-DD). */
export const day = (offset: number): string =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export type BootcampRefs = {
  course: string;
  courseTitle: string;
  module: string;
  /** Released on the cohort's first day. */
  lessonNow: string;
  /** Released 30 days after the cohort starts. */
  lessonLater: string;
  /** Two rubric criteria: 5 and 10 points. */
  assignment: string;
  /** Started 40 days ago: every lesson is released. */
  pastCohort: string;
  /** Starts today: the second lesson opens in 30 days. */
  cohort: string;
  /** Starts in 20 days, open for applications, 2 seats. */
  upcoming: string;
};

/** Seeds a course in the tenant of `ctx` (a staff context, e.g. the system's). */
export async function seedBootcampIn(ctx: Ctx, title = unique("Course ")): Promise<BootcampRefs> {
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
  const cohortOn = (name: string, start: number, seats: number) =>
    createCohort({ ctx, input: { course_id: course.id, name: unique(name), start_date: day(start), seats } });
  const pastCohort = await cohortOn("Past ", -40, 10);
  const cohort = await cohortOn("Now ", 0, 10);
  const upcoming = await cohortOn("Next ", 20, 2);
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

/** Puts a person who works in the tenant in charge of a cohort. */
export async function makeInstructorIn(ctx: Ctx, cohortId: string, email: string): Promise<void> {
  await assignInstructor({ ctx, input: { cohort_id: cohortId, email } });
}

/** Enrols an existing member of the tenant (active at once, no invitation needed); returns the enrolment id. */
export async function enrolMemberIn(ctx: Ctx, cohortId: string, email: string): Promise<string> {
  const res = await enrolLearner({
    ctx,
    input: { cohort_id: cohortId, email, name: `Learner ${email.slice(0, 8)}` },
    links: { origin: "https://fata.plus" },
  });
  return res.id;
}
