import { beforeAll, describe, expect, it } from "vitest";
import {
  type BootcampRefs,
  enrolMemberIn,
  makeInstructorIn,
  seedBootcampIn,
} from "../../testing/bootcamp.ts";
import { auditRows, db, given, refused } from "../../testing/workerd.ts";
import { counterDrift } from "../counters/index.ts";
import type { Ctx } from "../kernel/context.ts";
import { findTenant } from "../tenants/index.ts";
import {
  BOOTCAMP_SUBDOMAIN,
  completeLesson,
  createLesson,
  createModule,
  createQuiz,
  deleteContent,
  getCourseDetail,
  getLearnerCourse,
  getMyBootcamp,
  reorderContent,
  revokeCertificate,
  updateAssignment,
  updateCohort,
  updateModule,
  verifyCertificate,
} from "./index.ts";

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
    },
  });
}
let s: Awaited<ReturnType<typeof setup>>;
let refs: BootcampRefs;
let otherRefs: BootcampRefs;
let staff: Ctx;
let instructor: Ctx;
let learner: Ctx;
let enrolment: string;

beforeAll(async () => {
  s = await setup();
  const sys = s.system("boot");
  refs = await seedBootcampIn(sys);
  otherRefs = await seedBootcampIn(s.system("other"));
  await makeInstructorIn(sys, refs.pastCohort, s.users.instructor.email);
  staff = s.ctx("boot", s.users.staff);
  instructor = s.ctx("boot", s.users.instructor);
  learner = s.ctx("boot", s.users.learner);
  enrolment = await enrolMemberIn(sys, refs.pastCohort, s.users.learner.email);
});

describe("editing the bootcamp", () => {
  it("reorders a module's lessons (the whole set, or CONFLICT), staff only, in their tenant", async () => {
    await reorderContent({
      ctx: staff,
      input: { kind: "lessons", parent_id: refs.module, ids: [refs.lessonLater, refs.lessonNow] },
    });
    const d = await getCourseDetail({ ctx: staff, input: { id: refs.course } });
    expect(d.modules[0]?.lessons.map((l) => l.id)).toEqual([refs.lessonLater, refs.lessonNow]);
    expect((await auditRows(s.tenants.boot.id, { action: "bootcamp.lessons.reorder" })).length).toBe(1);
    await refused(
      reorderContent({
        ctx: staff,
        input: { kind: "lessons", parent_id: refs.module, ids: [refs.lessonNow] },
      }),
      "CONFLICT",
    );
    await refused(
      reorderContent({
        ctx: instructor,
        input: { kind: "lessons", parent_id: refs.module, ids: [refs.lessonNow, refs.lessonLater] },
      }),
      "FORBIDDEN",
    );
    await refused(
      reorderContent({
        ctx: staff,
        input: {
          kind: "lessons",
          parent_id: otherRefs.module,
          ids: [otherRefs.lessonNow, otherRefs.lessonLater],
        },
      }),
      "NOT_FOUND",
    );
    await reorderContent({
      ctx: staff,
      input: { kind: "lessons", parent_id: refs.module, ids: [refs.lessonNow, refs.lessonLater] },
    });
  });

  it("edits a module, an assignment and a cohort's dates (the end never before the start)", async () => {
    await updateModule({ ctx: staff, input: { id: refs.module, title: "Research" } });
    await updateAssignment({ ctx: staff, input: { id: refs.assignment, due_offset_days: 14 } });
    await updateCohort({ ctx: staff, input: { id: refs.cohort, name: "Renamed", end_date: "2099-01-01" } });
    const d = await getCourseDetail({ ctx: staff, input: { id: refs.course } });
    expect(d.modules[0]?.title).toBe("Research");
    expect(d.assignments[0]?.due_offset_days).toBe(14);
    expect(d.cohorts.find((c) => c.id === refs.cohort)).toMatchObject({
      name: "Renamed",
      end_date: "2099-01-01",
    });
    await refused(
      updateCohort({ ctx: staff, input: { id: refs.cohort, end_date: "2000-01-01" } }),
      "VALIDATION",
    );
    await refused(updateCohort({ ctx: staff, input: { id: otherRefs.cohort, name: "x" } }), "NOT_FOUND");
    await refused(updateModule({ ctx: staff, input: { id: otherRefs.module, title: "x" } }), "NOT_FOUND");
    await refused(
      updateAssignment({ ctx: learner, input: { id: refs.assignment, title: "x" } }),
      "FORBIDDEN",
    );
    expect((await auditRows(s.tenants.boot.id, { entityId: refs.module })).map((a) => a.action)).toContain(
      "bootcamp.module.update",
    );
    expect(await auditRows(s.tenants.boot.id, { entityId: otherRefs.module })).toEqual([]);
  });

  it("deletes content without history, and archives content with history only once confirmed", async () => {
    const mod = await createModule({ ctx: staff, input: { course_id: refs.course, title: "Spare" } });
    const lesson = await createLesson({ ctx: staff, input: { module_id: mod.id, title: "Spare lesson" } });
    const out = await deleteContent({ ctx: staff, input: { kind: "lessons", id: lesson.id } });
    expect(out).toMatchObject({ archived: false, history: 0 });
    await deleteContent({ ctx: staff, input: { kind: "modules", id: mod.id } });
    expect(
      await db().prepare("SELECT id FROM bootcamp_modules WHERE id = ?").bind(mod.id).first(),
    ).toBeNull();

    await completeLesson({ ctx: learner, input: { enrolment_id: enrolment, lesson_id: refs.lessonNow } });
    const err = await refused(
      deleteContent({ ctx: staff, input: { kind: "lessons", id: refs.lessonNow } }),
      "CONFLICT",
    );
    expect(err.details).toEqual([{ path: "confirm", message: "1" }]);
    const archived = await deleteContent({
      ctx: staff,
      input: { kind: "lessons", id: refs.lessonNow, confirm: true },
    });
    expect(archived).toMatchObject({ archived: true, history: 1 });
    // the learner's record stays; the lesson leaves their outline and the course's counts
    expect(
      await db()
        .prepare("SELECT count(*) AS n FROM bootcamp_progress WHERE lesson_id = ?")
        .bind(refs.lessonNow)
        .first(),
    ).toEqual({ n: 1 });
    const course = await getLearnerCourse({ ctx: learner, input: { id: enrolment } });
    expect(course.modules[0]?.lessons.map((l) => l.id)).toEqual([refs.lessonLater]);
    const mine = await getMyBootcamp({ ctx: learner });
    expect(mine.enrolments.find((e) => e.id === enrolment)?.lessons_total).toBe(1);
    expect(await counterDrift({ db: db(), tenantId: s.tenants.boot.id })).toEqual([]);
    await refused(
      deleteContent({ ctx: staff, input: { kind: "lessons", id: refs.lessonNow, confirm: true } }),
      "NOT_FOUND",
    );
    await refused(
      deleteContent({ ctx: staff, input: { kind: "quizzes", id: otherRefs.module } }),
      "NOT_FOUND",
    );
    await refused(
      deleteContent({ ctx: instructor, input: { kind: "assignments", id: refs.assignment } }),
      "FORBIDDEN",
    );
  });

  it("archives a quiz with attempts, and a module with its lessons and quizzes", async () => {
    const mod = await createModule({ ctx: staff, input: { course_id: refs.course, title: "Quizzed" } });
    const quiz = await createQuiz({
      ctx: staff,
      input: { module_id: mod.id, title: "Q", questions: [{ kind: "short", prompt: "?", accepted: ["a"] }] },
    });
    await db()
      .prepare(
        `INSERT INTO bootcamp_quiz_attempts (id, tenant_id, quiz_id, enrolment_id, attempt, answers, score, max_score, passed, submitted_at)
         VALUES (?, ?, ?, ?, 1, '{"answers":["a"]}', 1, 1, 1, '2026-01-01')`,
      )
      .bind(crypto.randomUUID(), s.tenants.boot.id, quiz.id, enrolment)
      .run();
    await refused(deleteContent({ ctx: staff, input: { kind: "modules", id: mod.id } }), "CONFLICT");
    await deleteContent({ ctx: staff, input: { kind: "modules", id: mod.id, confirm: true } });
    const q = await db()
      .prepare("SELECT archived_at FROM bootcamp_quizzes WHERE id = ?")
      .bind(quiz.id)
      .first();
    expect(q?.archived_at).toEqual(expect.any(String));
    const d = await getCourseDetail({ ctx: staff, input: { id: refs.course } });
    expect(d.modules.map((m) => m.id)).not.toContain(mod.id);
    expect(await counterDrift({ db: db(), tenantId: s.tenants.boot.id })).toEqual([]);
  });
});

describe("revoking a certificate", () => {
  it("needs a reason, staff only, once; verification then says revoked and when, without the reason", async () => {
    const certId = "FPC-ABCDEFGHJKLMNPQRSTUVWXYZ";
    await db()
      .prepare(
        "INSERT INTO bootcamp_certificates (id, tenant_id, enrolment_id, holder_name, course_title, issued_at) VALUES (?, ?, ?, 'Holder', 'Course', '2026-01-01T00:00:00.000Z')",
      )
      .bind(certId, s.tenants.boot.id, enrolment)
      .run();
    expect(await verifyCertificate({ db: db(), id: certId })).toMatchObject({
      status: "valid",
      revoked_at: null,
    });
    await refused(revokeCertificate({ ctx: staff, input: { id: certId, reason: "" } }), "VALIDATION");
    await refused(
      revokeCertificate({ ctx: instructor, input: { id: certId, reason: "Plagiarism" } }),
      "FORBIDDEN",
    );
    await refused(
      revokeCertificate({ ctx: s.system("other"), input: { id: certId, reason: "Plagiarism" } }),
      "NOT_FOUND",
    );
    const out = await revokeCertificate({ ctx: staff, input: { id: certId, reason: "Plagiarism found" } });
    const v = await verifyCertificate({ db: db(), id: certId });
    expect(v).toEqual({
      id: certId,
      holder_name: "Holder",
      course_title: "Course",
      issued_at: "2026-01-01T00:00:00.000Z",
      status: "revoked",
      revoked_at: out.revoked_at,
    });
    await refused(revokeCertificate({ ctx: staff, input: { id: certId, reason: "Again" } }), "CONFLICT");
    expect((await auditRows(s.tenants.boot.id, { entityId: certId })).map((a) => a.action)).toEqual([
      "bootcamp.certificate.revoke",
    ]);
  });
});
