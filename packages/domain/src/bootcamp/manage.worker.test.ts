import { beforeAll, describe, expect, it } from "vitest";
import { type BootcampRefs, makeInstructorIn, seedBootcampIn } from "../../testing/bootcamp.ts";
import { unique } from "../../testing/scenario.ts";
import { auditFails, auditRows, countRows, db, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { findTenant } from "../tenants/index.ts";
import {
  assignInstructor,
  BOOTCAMP_SUBDOMAIN,
  createAssignment,
  createCohort,
  createCourse,
  createLesson,
  createModule,
  getBootcampOverview,
  getBootcampStats,
  getCatalogue,
  getCourseDetail,
  updateCourse,
  updateLesson,
} from "./index.ts";

async function setup() {
  const boot = await findTenant({ db: db(), ref: BOOTCAMP_SUBDOMAIN });
  if (!boot) throw new Error("the bootcamp tenant comes with its migration");
  return given({
    tenants: ["boot", "other"],
    existing: { boot },
    users: {
      bootAdmin: { in: { boot: "admin" } },
      staff: { agency: "staff" },
      instructor: { in: { boot: "project_manager" } },
      learner: { in: { boot: "client" } },
      otherAdmin: { in: { other: "admin" } },
    },
  });
}
let s: Awaited<ReturnType<typeof setup>>;
let refs: BootcampRefs;
let otherRefs: BootcampRefs;
/** The contexts that may not manage a bootcamp: an instructor, a learner, a project's own admin. */
let notStaff: Array<[string, Ctx]>;
beforeAll(async () => {
  s = await setup();
  refs = await seedBootcampIn(s.system("boot"));
  otherRefs = await seedBootcampIn(s.system("other"));
  await makeInstructorIn(s.system("boot"), refs.pastCohort, s.users.instructor.email);
  notStaff = [
    ["instructor", s.ctx("boot", s.users.instructor)],
    ["learner", s.ctx("boot", s.users.learner)],
    ["a project's admin", s.ctx("other", s.users.otherAdmin)],
  ];
});

const course = (over: Record<string, unknown> = {}) => ({
  slug: unique("course-"),
  title: "Recherche utilisateur",
  summary: "Les bases",
  ...over,
});

describe("createCourse / updateCourse", () => {
  it("lets the bootcamp tenant's admins and agency staff create a course, with its audit row", async () => {
    for (const who of [s.users.bootAdmin, s.users.staff]) {
      const ctx = s.ctx("boot", who);
      const c = await createCourse({ ctx, input: course() });
      expect(c).toMatchObject({ title: "Recherche utilisateur", status: "draft", language: "fr" });
      expect(await auditRows(s.tenants.boot.id, { entityId: c.id })).toEqual([
        expect.objectContaining({
          action: "bootcamp.course.create",
          actor_type: "user",
          actor_id: String(who.id),
        }),
      ]);
    }
  });

  it("is FORBIDDEN to instructors, learners and a project tenant's admin", async () => {
    for (const [, ctx] of notStaff) {
      await refused(createCourse({ ctx, input: course() }), "FORBIDDEN");
      await refused(updateCourse({ ctx, input: { id: refs.course, title: "x" } }), "FORBIDDEN");
    }
  });

  it("refuses a taken address (CONFLICT), a bad one and an empty change (VALIDATION), another tenant's course (NOT_FOUND)", async () => {
    const ctx = s.ctx("boot", s.users.staff);
    const c = await createCourse({ ctx, input: course() });
    await refused(createCourse({ ctx, input: course({ slug: c.slug }) }), "CONFLICT");
    await refused(createCourse({ ctx, input: course({ slug: "Not A Slug!" }) }), "VALIDATION");
    await refused(updateCourse({ ctx, input: { id: c.id } }), "VALIDATION");
    await refused(updateCourse({ ctx, input: { id: otherRefs.course, title: "stolen" } }), "NOT_FOUND");
    await updateCourse({ ctx, input: { id: c.id, status: "published", title: "Publié" } });
    const detail = await getCourseDetail({ ctx, input: { id: c.id } });
    expect(detail.course).toMatchObject({ status: "published", title: "Publié" });
  });

  it("writes no course when its audit row fails", async () => {
    const t = await given({ tenants: ["x"] });
    const ctx = t.system("x");
    const undo = await auditFails({ tenantId: t.tenants.x.id });
    await expect(createCourse({ ctx, input: course() })).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await countRows("bootcamp_courses", t.tenants.x.id)).toBe(0);
  });
});

describe("modules, lessons, assignments, cohorts", () => {
  it("are created under the tenant's own course; another tenant's course or module is NOT_FOUND", async () => {
    const ctx = s.ctx("boot", s.users.staff);
    const m = await createModule({ ctx, input: { course_id: refs.course, title: "Module 2" } });
    const l = await createLesson({ ctx, input: { module_id: m.id, title: "L", body_md: "x" } });
    expect(l.course_id).toBe(refs.course);
    await updateLesson({ ctx, input: { id: l.id, title: "Renamed" } });
    await refused(createModule({ ctx, input: { course_id: otherRefs.course, title: "x" } }), "NOT_FOUND");
    await refused(
      createLesson({ ctx, input: { module_id: otherRefs.module, title: "x", body_md: "x" } }),
      "NOT_FOUND",
    );
    await refused(updateLesson({ ctx, input: { id: otherRefs.lessonNow, title: "x" } }), "NOT_FOUND");
    await refused(
      createAssignment({
        ctx,
        input: {
          course_id: otherRefs.course,
          title: "x",
          brief_md: "x",
          rubric: [{ criterion: "a", points: 1 }],
        },
      }),
      "NOT_FOUND",
    );
    await refused(
      createCohort({
        ctx,
        input: { course_id: otherRefs.course, name: "x", start_date: "2031-01-01", seats: 5 },
      }),
      "NOT_FOUND",
    );
    expect(await countRows("bootcamp_modules", s.tenants.other.id)).toBe(1);
  });

  it("refuse bad input (VALIDATION) and non-staff (FORBIDDEN)", async () => {
    const ctx = s.ctx("boot", s.users.staff);
    await refused(
      createAssignment({ ctx, input: { course_id: refs.course, title: "x", brief_md: "x", rubric: [] } }),
      "VALIDATION",
    );
    await refused(
      createCohort({ ctx, input: { course_id: refs.course, name: "x", start_date: "01/01/2031", seats: 5 } }),
      "VALIDATION",
    );
    await refused(updateLesson({ ctx, input: { id: refs.lessonNow } }), "VALIDATION");
    for (const [, other] of notStaff) {
      await refused(createModule({ ctx: other, input: { course_id: refs.course, title: "x" } }), "FORBIDDEN");
      await refused(
        createCohort({
          ctx: other,
          input: { course_id: refs.course, name: "x", start_date: "2031-01-01", seats: 5 },
        }),
        "FORBIDDEN",
      );
    }
  });
});

describe("assignInstructor", () => {
  it("puts someone who works in the tenant in charge; a learner or stranger is UNPROCESSABLE", async () => {
    const ctx = s.ctx("boot", s.users.bootAdmin);
    expect(
      await assignInstructor({ ctx, input: { cohort_id: refs.cohort, email: s.users.instructor.email } }),
    ).toEqual({
      ok: true,
      user_id: s.users.instructor.id,
    });
    // twice is fine: the same row
    await assignInstructor({ ctx, input: { cohort_id: refs.cohort, email: s.users.instructor.email } });
    expect(await countRows("bootcamp_cohort_instructors", s.tenants.boot.id)).toBe(2);
    await refused(
      assignInstructor({ ctx, input: { cohort_id: refs.cohort, email: s.users.learner.email } }),
      "UNPROCESSABLE",
    );
    await refused(
      assignInstructor({ ctx, input: { cohort_id: refs.cohort, email: "nobody@example.test" } }),
      "UNPROCESSABLE",
    );
    await refused(
      assignInstructor({ ctx, input: { cohort_id: otherRefs.cohort, email: s.users.instructor.email } }),
      "NOT_FOUND",
    );
    await refused(
      assignInstructor({
        ctx: s.ctx("boot", s.users.instructor),
        input: { cohort_id: refs.cohort, email: s.users.instructor.email },
      }),
      "FORBIDDEN",
    );
  });
});

describe("getBootcampOverview / getCourseDetail / getBootcampStats", () => {
  it("shows staff every course and cohort, an instructor their published courses and taught cohorts only", async () => {
    const staffView = await getBootcampOverview({ ctx: s.ctx("boot", s.users.staff) });
    expect(staffView.courses.map((c) => c.status)).toContain("draft");
    expect(staffView.cohorts.map((h) => h.id)).toEqual(
      expect.arrayContaining([refs.pastCohort, refs.cohort, refs.upcoming]),
    );
    const mine = await getBootcampOverview({ ctx: s.ctx("boot", s.users.instructor) });
    expect(new Set(mine.courses.map((c) => c.status))).toEqual(new Set(["published"]));
    expect(mine.cohorts.map((h) => h.id).sort()).toEqual([refs.cohort, refs.pastCohort].sort());
    expect(JSON.stringify(staffView)).not.toContain(otherRefs.course);
  });

  it("renders a course for the team; learners are FORBIDDEN and another tenant's course is NOT_FOUND", async () => {
    const d = await getCourseDetail({ ctx: s.ctx("boot", s.users.instructor), input: { id: refs.course } });
    expect(d.modules[0]?.lessons[0]?.html).toContain("<strong>users</strong>");
    expect(d.assignments[0]?.rubric).toEqual([
      { criterion: "Goals", points: 5 },
      { criterion: "Questions", points: 10 },
    ]);
    await refused(
      getCourseDetail({ ctx: s.ctx("boot", s.users.learner), input: { id: refs.course } }),
      "FORBIDDEN",
    );
    await refused(getBootcampOverview({ ctx: s.ctx("boot", s.users.learner) }), "FORBIDDEN");
    await refused(
      getCourseDetail({ ctx: s.ctx("boot", s.users.staff), input: { id: otherRefs.course } }),
      "NOT_FOUND",
    );
  });

  it("gives the figures to staff only", async () => {
    const stats = await getBootcampStats({ ctx: s.ctx("boot", s.users.bootAdmin) });
    expect(stats).toMatchObject({
      completionRate: null,
      averageReviewHours: null,
      awaitingReview: 0,
      certificates: 0,
    });
    for (const [, ctx] of notStaff) await refused(getBootcampStats({ ctx }), "FORBIDDEN");
  });
});

describe("getCatalogue", () => {
  it("shows published courses with lesson titles (never bodies) and upcoming cohorts; drafts and other tenants' courses are absent", async () => {
    const sys = { db: db(), now: () => new Date() };
    const draft = await createCourse({
      ctx: s.ctx("boot", s.users.staff),
      input: course({ status: "draft" }),
    });
    const { courses } = await getCatalogue({ ctx: sys, tenant: s.tenants.boot });
    const mine = courses.find((c) => c.id === refs.course);
    expect(mine?.modules).toEqual([
      { title: "Module 1", lessons: ["Interviews", "Synthesis"] },
      { title: "Module 2", lessons: ["Renamed"] }, // added by the tests above
    ]);
    expect(mine?.assignments).toBe(1);
    expect(mine?.cohorts.map((h) => h.id)).toEqual([refs.cohort, refs.upcoming]);
    expect(mine?.cohorts.find((h) => h.id === refs.upcoming)).toMatchObject({ seats: 2, seats_left: 2 });
    expect(JSON.stringify(courses)).not.toContain("Talk to");
    expect(courses.map((c) => c.id)).not.toContain(draft.id);
    expect(courses.map((c) => c.id)).not.toContain(otherRefs.course);
    const one = await getCatalogue({ ctx: sys, tenant: s.tenants.boot, slug: mine?.slug ?? "" });
    expect(one.courses.map((c) => c.id)).toEqual([refs.course]);
    await refused(getCatalogue({ ctx: sys, tenant: s.tenants.boot, slug: draft.slug }), "NOT_FOUND");
  });
});
