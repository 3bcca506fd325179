import { beforeAll, describe, expect, it } from "vitest";
import {
  type BootcampRefs,
  enrolMemberIn,
  makeInstructorIn,
  seedBootcampIn,
} from "../../testing/bootcamp.ts";
import { auditRows, db, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { findTenant } from "../tenants/index.ts";
import {
  BOOTCAMP_SUBDOMAIN,
  completeLesson,
  createLesson,
  createModule,
  createQuiz,
  getCourseDetail,
  getLearnerCourse,
  getLearnerLesson,
  getLearnerQuiz,
  submitQuizAttempt,
  updateQuiz,
} from "./index.ts";

const questions = [
  {
    kind: "single",
    prompt: "Who do you interview?",
    choices: [
      { text: "Users", correct: true, feedback: "Right: the people who use it." },
      { text: "Only the client", feedback: "The client is one voice among others." },
    ],
  },
  { kind: "short", prompt: "The map of what a user says, thinks, does, feels?", accepted: ["empathy map"] },
];

async function setup() {
  const boot = await findTenant({ db: db(), ref: BOOTCAMP_SUBDOMAIN });
  if (!boot) throw new Error("the bootcamp tenant comes with its migration");
  return given({
    tenants: ["boot", "other"],
    existing: { boot },
    users: {
      staff: { agency: "staff" },
      instructor: { in: { boot: "project_manager" } },
      learner: { in: { boot: "client" } },
      peer: { in: { boot: "client" } },
    },
  });
}
let s: Awaited<ReturnType<typeof setup>>;
let refs: BootcampRefs;
let otherRefs: BootcampRefs;
let staff: Ctx;
let learner: Ctx;
let peer: Ctx;
let instructor: Ctx;
let enrolment: string;
let peerEnrolment: string;
let module2: string;
let lesson2: string;
let quiz: string;

beforeAll(async () => {
  s = await setup();
  const sys = s.system("boot");
  refs = await seedBootcampIn(sys);
  otherRefs = await seedBootcampIn(s.system("other"));
  await makeInstructorIn(sys, refs.pastCohort, s.users.instructor.email);
  staff = s.ctx("boot", s.users.staff);
  learner = s.ctx("boot", s.users.learner);
  peer = s.ctx("boot", s.users.peer);
  instructor = s.ctx("boot", s.users.instructor);
  module2 = (
    await createModule({ ctx: staff, input: { course_id: refs.course, title: "Module 2", position: 2 } })
  ).id;
  lesson2 = (
    await createLesson({ ctx: staff, input: { module_id: module2, title: "Prototyping", body_md: "Paper" } })
  ).id;
  quiz = (
    await createQuiz({
      ctx: staff,
      input: {
        module_id: refs.module,
        title: "Check",
        questions,
        pass_percent: 100,
        max_attempts: 2,
        gates_next: true,
      },
    })
  ).id;
  enrolment = await enrolMemberIn(sys, refs.pastCohort, s.users.learner.email);
  peerEnrolment = await enrolMemberIn(sys, refs.pastCohort, s.users.peer.email);
});

describe("the course player", () => {
  it("shows each module's progress, locks the module behind a gating quiz, and resumes where the learner stopped", async () => {
    const before = await getLearnerCourse({ ctx: learner, input: { id: enrolment } });
    expect(before.modules.map((m) => [m.title, m.locked, m.lessons_done, m.lessons_total])).toEqual([
      ["Module 1", false, 0, 2],
      ["Module 2", true, 0, 1],
    ]);
    expect(before.modules[0]?.quizzes[0]).toMatchObject({
      id: quiz,
      gates_next: true,
      attempts_used: 0,
      passed: false,
    });
    expect(before.resume?.lesson_id).toBe(refs.lessonNow);

    const later = await getLearnerLesson({
      ctx: learner,
      input: { enrolment_id: enrolment, lesson_id: refs.lessonLater },
    });
    expect(later.previous?.id).toBe(refs.lessonNow);
    expect(later.next).toBeNull(); // module 2 is locked
    expect(later.module_quizzes.map((q) => q.id)).toEqual([quiz]);
    const resumed = await getLearnerCourse({ ctx: learner, input: { id: enrolment } });
    expect(resumed.resume?.lesson_id).toBe(refs.lessonLater);
    // the peer's position is their own
    expect((await getLearnerCourse({ ctx: peer, input: { id: peerEnrolment } })).resume?.lesson_id).toBe(
      refs.lessonNow,
    );

    await completeLesson({ ctx: learner, input: { enrolment_id: enrolment, lesson_id: refs.lessonNow } });
    const after = await getLearnerCourse({ ctx: learner, input: { id: enrolment } });
    expect(after.modules[0]?.lessons_done).toBe(1);

    await refused(
      getLearnerLesson({ ctx: learner, input: { enrolment_id: enrolment, lesson_id: lesson2 } }),
      "FORBIDDEN",
      /quiz/,
    );
    await refused(
      getLearnerLesson({ ctx: peer, input: { enrolment_id: enrolment, lesson_id: refs.lessonNow } }),
      "NOT_FOUND",
    );
  });
});

describe("quizzes", () => {
  it("staff only write them, in their own tenant, with valid questions", async () => {
    for (const ctx of [learner, instructor])
      await refused(
        createQuiz({ ctx, input: { module_id: refs.module, title: "x", questions } }),
        "FORBIDDEN",
      );
    await refused(
      createQuiz({ ctx: staff, input: { module_id: otherRefs.module, title: "x", questions } }),
      "NOT_FOUND",
    );
    await refused(
      createQuiz({
        ctx: staff,
        input: {
          module_id: refs.module,
          title: "x",
          questions: [{ kind: "single", prompt: "?", choices: [{ text: "a" }, { text: "b" }] }],
        },
      }),
      "VALIDATION",
    );
    const detail = await getCourseDetail({ ctx: staff, input: { id: refs.course } });
    expect(detail.modules[0]?.quizzes[0]?.questions[0]).toMatchObject({ kind: "single" });
    expect((await auditRows(s.tenants.boot.id, { entityId: quiz })).map((a) => a.action)).toEqual([
      "bootcamp.quiz.create",
    ]);
  });

  it("hides the answers, grades at once with feedback, limits attempts, and passing opens the next module", async () => {
    const view = await getLearnerQuiz({ ctx: learner, input: { enrolment_id: enrolment, quiz_id: quiz } });
    expect(JSON.stringify(view.questions)).not.toMatch(/correct|empathy/i);
    expect(view).toMatchObject({ attempts_left: 2, passed: false });

    const first = await submitQuizAttempt({
      ctx: learner,
      input: { enrolment_id: enrolment, quiz_id: quiz, answers: [1, "persona"] },
    });
    expect(first).toMatchObject({ attempt: 1, score: 0, max_score: 2, passed: false, attempts_left: 1 });
    expect(first.results[0]?.feedback).toEqual(["The client is one voice among others."]);
    const second = await submitQuizAttempt({
      ctx: learner,
      input: { enrolment_id: enrolment, quiz_id: quiz, answers: [0, " Empathy Map "] },
    });
    expect(second).toMatchObject({ attempt: 2, score: 2, passed: true, attempts_left: 0 });
    await refused(
      submitQuizAttempt({
        ctx: learner,
        input: { enrolment_id: enrolment, quiz_id: quiz, answers: [0, "x"] },
      }),
      "CONFLICT",
    );
    const audit = await auditRows(s.tenants.boot.id, { action: "bootcamp.quiz.attempt" });
    expect(audit.filter((a) => a.actor_id === String(s.users.learner.id))).toHaveLength(2);

    const course = await getLearnerCourse({ ctx: learner, input: { id: enrolment } });
    expect(course.modules[1]?.locked).toBe(false);
    const opened = await getLearnerLesson({
      ctx: learner,
      input: { enrolment_id: enrolment, lesson_id: lesson2 },
    });
    expect(opened.title).toBe("Prototyping");

    // the peer sees none of it: their own attempts only, and not the learner's enrolment
    const peerView = await getLearnerQuiz({
      ctx: peer,
      input: { enrolment_id: peerEnrolment, quiz_id: quiz },
    });
    expect(peerView.attempts).toEqual([]);
    expect((await getLearnerCourse({ ctx: peer, input: { id: peerEnrolment } })).modules[1]?.locked).toBe(
      true,
    );
    await refused(
      getLearnerQuiz({ ctx: peer, input: { enrolment_id: enrolment, quiz_id: quiz } }),
      "NOT_FOUND",
    );
    await refused(
      submitQuizAttempt({ ctx: peer, input: { enrolment_id: enrolment, quiz_id: quiz, answers: [0, "x"] } }),
      "NOT_FOUND",
    );
    // the learner's own history carries the feedback of each answer
    const history = await getLearnerQuiz({ ctx: learner, input: { enrolment_id: enrolment, quiz_id: quiz } });
    expect(history.attempts.map((a) => [a.attempt, a.passed, a.results.map((r) => r.correct)])).toEqual([
      [1, false, [false, false]],
      [2, true, [true, true]],
    ]);
  });

  it("staff edit a quiz; bad answers are a readable VALIDATION", async () => {
    await updateQuiz({ ctx: staff, input: { id: quiz, max_attempts: 5 } });
    const view = await getLearnerQuiz({ ctx: peer, input: { enrolment_id: peerEnrolment, quiz_id: quiz } });
    expect(view.max_attempts).toBe(5);
    await refused(updateQuiz({ ctx: instructor, input: { id: quiz, title: "x" } }), "FORBIDDEN");
    await refused(
      submitQuizAttempt({ ctx: peer, input: { enrolment_id: peerEnrolment, quiz_id: quiz, answers: "all" } }),
      "VALIDATION",
    );
  });
});
