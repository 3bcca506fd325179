import { beforeAll, describe, expect, it } from "vitest";
import {
  type BootcampRefs,
  day,
  enrolMemberIn,
  makeInstructorIn,
  seedBootcampIn,
} from "../../testing/bootcamp.ts";
import { auditFails, auditRows, countRows, db, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { findTenant } from "../tenants/index.ts";
import {
  APPLY_LIMIT,
  applyToCohort,
  assertCanSubmit,
  BOOTCAMP_SUBDOMAIN,
  CERTIFICATE_ID_PATTERN,
  completeLesson,
  createCohort,
  enrolLearner,
  getCertificate,
  getCohortRoster,
  getLearnerCourse,
  getLearnerLesson,
  getMyBootcamp,
  getReviewQueue,
  getSubmissionForReview,
  inviteApplicant,
  releaseReview,
  reopenSubmission,
  saveReview,
  startReview,
  submissionFile,
  submitAssignment,
  verifyCertificate,
  withdrawEnrolment,
} from "./index.ts";

const links = { origin: "https://fata.plus" };
async function setup() {
  const boot = await findTenant({ db: db(), ref: BOOTCAMP_SUBDOMAIN });
  if (!boot) throw new Error("the bootcamp tenant comes with its migration");
  return given({
    tenants: ["boot", "other"],
    existing: { boot },
    users: {
      staff: { agency: "staff" },
      instructor: { in: { boot: "project_manager" } },
      otherInstructor: { in: { boot: "project_manager" } },
      learner: { in: { boot: "client" }, name: "Voahangy" },
      peer: { in: { boot: "client" } },
      otherLearner: { in: { other: "client" } },
    },
  });
}
let s: Awaited<ReturnType<typeof setup>>;
let refs: BootcampRefs;
let otherRefs: BootcampRefs;
let enrolment: string;
let peerEnrolment: string;
let staff: Ctx;
let learner: Ctx;
let peer: Ctx;
let instructor: Ctx;
let otherInstructor: Ctx;
beforeAll(async () => {
  s = await setup();
  const sys = s.system("boot");
  refs = await seedBootcampIn(sys);
  otherRefs = await seedBootcampIn(s.system("other"));
  await makeInstructorIn(sys, refs.pastCohort, s.users.instructor.email);
  await makeInstructorIn(sys, refs.cohort, s.users.otherInstructor.email);
  enrolment = await enrolMemberIn(sys, refs.pastCohort, s.users.learner.email);
  peerEnrolment = await enrolMemberIn(sys, refs.pastCohort, s.users.peer.email);
  staff = s.ctx("boot", s.users.staff);
  learner = s.ctx("boot", s.users.learner);
  peer = s.ctx("boot", s.users.peer);
  instructor = s.ctx("boot", s.users.instructor);
  otherInstructor = s.ctx("boot", s.users.otherInstructor);
});
const newEmail = () => `${crypto.randomUUID().slice(0, 8)}@learner.test`;

describe("enrolLearner", () => {
  it("enrols a member at once, and invites a newcomer: invitation, outbox mail and audit row together", async () => {
    const email = newEmail();
    const out = await enrolLearner({
      ctx: staff,
      input: { cohort_id: refs.cohort, email, name: "Nina" },
      links,
    });
    expect(out).toMatchObject({
      status: "invited",
      acceptPath: expect.stringMatching(/^\/invitation\?token=/),
    });
    const mail = await db()
      .prepare("SELECT kind, text_body FROM email_outbox WHERE to_address = ?")
      .bind(email)
      .first<{ kind: string; text_body: string }>();
    expect(mail?.kind).toBe("bootcamp.invitation");
    expect(mail?.text_body).toContain(`https://fata.plus${out.acceptPath}`);
    expect(await db().prepare("SELECT role FROM invitations WHERE email = ?").bind(email).first()).toEqual({
      role: "client",
    });
    expect((await auditRows(s.tenants.boot.id, { entityId: out.id })).map((a) => a.action)).toEqual([
      "bootcamp.enrolment.invite",
    ]);
    await refused(
      enrolLearner({ ctx: staff, input: { cohort_id: refs.cohort, email, name: "Nina" }, links }),
      "CONFLICT",
    );
  });

  it("refuses a full cohort (CONFLICT), non-staff (FORBIDDEN), another tenant's cohort (NOT_FOUND), bad input (VALIDATION)", async () => {
    const small = await createCohort({
      ctx: staff,
      input: { course_id: refs.course, name: "Tiny", start_date: day(5), seats: 1 },
    });
    await enrolLearner({ ctx: staff, input: { cohort_id: small.id, email: newEmail(), name: "A" }, links });
    await refused(
      enrolLearner({ ctx: staff, input: { cohort_id: small.id, email: newEmail(), name: "B" }, links }),
      "CONFLICT",
    );
    for (const ctx of [instructor, learner])
      await refused(
        enrolLearner({ ctx, input: { cohort_id: refs.cohort, email: newEmail(), name: "x" }, links }),
        "FORBIDDEN",
      );
    await refused(
      enrolLearner({
        ctx: staff,
        input: { cohort_id: otherRefs.cohort, email: newEmail(), name: "x" },
        links,
      }),
      "NOT_FOUND",
    );
    await refused(
      enrolLearner({ ctx: staff, input: { cohort_id: refs.cohort, email: "nope", name: "x" }, links }),
      "VALIDATION",
    );
  });

  it("writes no enrolment, invitation nor mail when its audit row fails", async () => {
    const t = await given({ tenants: ["x"] });
    const sys = t.system("x");
    const r = await seedBootcampIn(sys);
    const email = newEmail();
    const undo = await auditFails({ tenantId: t.tenants.x.id, action: "bootcamp.enrolment.invite" });
    await expect(
      enrolLearner({ ctx: sys, input: { cohort_id: r.cohort, email, name: "x" }, links }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await countRows("bootcamp_enrolments", t.tenants.x.id)).toBe(0);
    expect(await countRows("invitations", t.tenants.x.id)).toBe(0);
    expect(
      await db().prepare("SELECT 1 FROM email_outbox WHERE to_address = ?").bind(email).first(),
    ).toBeNull();
  });
});

describe("applyToCohort / inviteApplicant / withdrawEnrolment", () => {
  const apply = (input: Record<string, unknown>, ip = "203.0.113.50", tenant = s.tenants.boot) =>
    applyToCohort({
      ctx: { db: db(), now: () => new Date() },
      tenant,
      input: { name: "Applicant", email: newEmail(), ...input } as Parameters<
        typeof applyToCohort
      >[0]["input"],
      clientIp: ip,
    });

  it("records one application per address, answers the same to a repeat, and staff turn it into an invitation", async () => {
    const email = newEmail();
    expect(await apply({ cohort_id: refs.upcoming, email, motivation: "J'adore" }, "203.0.113.51")).toEqual({
      ok: true,
    });
    expect(await apply({ cohort_id: refs.upcoming, email }, "203.0.113.51")).toEqual({ ok: true });
    const { results } = await db()
      .prepare("SELECT id, status, motivation FROM bootcamp_enrolments WHERE email = ?")
      .bind(email)
      .all<{ id: string; status: string; motivation: string }>();
    expect(results).toEqual([{ id: expect.any(String), status: "applied", motivation: "J'adore" }]);
    const id = results[0]?.id ?? "";
    expect((await auditRows(s.tenants.boot.id, { entityId: id })).map((a) => a.action)).toEqual([
      "bootcamp.enrolment.apply",
    ]);
    await refused(inviteApplicant({ ctx: instructor, input: { id }, links }), "FORBIDDEN");
    expect((await inviteApplicant({ ctx: staff, input: { id }, links })).status).toBe("invited");
    await refused(inviteApplicant({ ctx: staff, input: { id }, links }), "CONFLICT");
    await withdrawEnrolment({ ctx: staff, input: { id } });
    await refused(withdrawEnrolment({ ctx: staff, input: { id } }), "NOT_FOUND");
  });

  it("refuses past and closed cohorts (CONFLICT), unpublished or foreign ones (NOT_FOUND), and floods (RATE_LIMITED)", async () => {
    await refused(apply({ cohort_id: refs.pastCohort }, "203.0.113.52"), "CONFLICT");
    await refused(apply({ cohort_id: otherRefs.upcoming }, "203.0.113.52"), "NOT_FOUND");
    await refused(apply({ cohort_id: crypto.randomUUID() }, "203.0.113.52"), "NOT_FOUND");
    await refused(apply({ cohort_id: refs.upcoming, email: "bad" }, "203.0.113.52"), "VALIDATION");
    for (let i = 0; i < APPLY_LIMIT; i++) await apply({ cohort_id: refs.cohort }, "2001:db8:aa:1::1");
    const e = await refused(apply({ cohort_id: refs.cohort }, "2001:db8:aa:1::2"), "RATE_LIMITED");
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("treats another tenant's enrolment as NOT_FOUND", async () => {
    const sysOther = s.system("other");
    const foreign = await enrolLearner({
      ctx: sysOther,
      input: { cohort_id: otherRefs.cohort, email: s.users.otherLearner.email, name: "x" },
      links,
    });
    await refused(withdrawEnrolment({ ctx: staff, input: { id: foreign.id } }), "NOT_FOUND");
    await refused(inviteApplicant({ ctx: staff, input: { id: foreign.id }, links }), "NOT_FOUND");
    await refused(getLearnerCourse({ ctx: learner, input: { id: foreign.id } }), "NOT_FOUND");
  });
});

describe("getCohortRoster", () => {
  it("shows a cohort's learners to staff and its own instructors; other instructors and learners get NOT_FOUND", async () => {
    for (const ctx of [staff, instructor]) {
      const r = await getCohortRoster({ ctx, input: { id: refs.pastCohort } });
      expect(r.enrolments.map((e) => e.id)).toEqual(expect.arrayContaining([enrolment, peerEnrolment]));
      expect(r).toMatchObject({ lessons: 2, assignments: 1 });
    }
    for (const ctx of [otherInstructor, learner])
      await refused(getCohortRoster({ ctx, input: { id: refs.pastCohort } }), "NOT_FOUND");
    await refused(getCohortRoster({ ctx: staff, input: { id: otherRefs.pastCohort } }), "NOT_FOUND");
  });
});

describe("a learner's course", () => {
  it("claims an invited enrolment the first time its person opens the bootcamp", async () => {
    const t = await given({ tenants: ["x"], users: { late: { in: { x: "client" } } } });
    const sys = t.system("x");
    const r = await seedBootcampIn(sys);
    // invited before being a member: the enrolment waits for the address to sign in
    await db().prepare("DELETE FROM memberships WHERE user_id = ?").bind(t.users.late.id).run();
    const out = await enrolLearner({
      ctx: sys,
      input: { cohort_id: r.cohort, email: t.users.late.email, name: "L" },
      links,
    });
    expect(out.status).toBe("invited");
    await db()
      .prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, 'client')")
      .bind(t.tenants.x.id, t.users.late.id)
      .run();
    const mine = await getMyBootcamp({ ctx: t.ctx("x", t.users.late) });
    expect(mine.enrolments.map((e) => [e.id, e.status])).toEqual([[out.id, "active"]]);
  });

  it("releases lessons on schedule: a future lesson is FORBIDDEN with its date; another learner's enrolment is NOT_FOUND", async () => {
    const now = await enrolMemberIn(s.system("boot"), refs.cohort, s.users.learner.email);
    const course = await getLearnerCourse({ ctx: learner, input: { id: now } });
    expect(course.modules[0]?.lessons.map((l) => [l.id, l.released])).toEqual([
      [refs.lessonNow, true],
      [refs.lessonLater, false],
    ]);
    const lesson = await getLearnerLesson({
      ctx: learner,
      input: { enrolment_id: now, lesson_id: refs.lessonNow },
    });
    expect(lesson.html).toContain("<strong>users</strong>");
    const e = await refused(
      getLearnerLesson({ ctx: learner, input: { enrolment_id: now, lesson_id: refs.lessonLater } }),
      "FORBIDDEN",
    );
    expect(e.message).toContain(day(30));
    await refused(
      completeLesson({ ctx: learner, input: { enrolment_id: now, lesson_id: refs.lessonLater } }),
      "FORBIDDEN",
    );
    await refused(
      getLearnerLesson({ ctx: peer, input: { enrolment_id: now, lesson_id: refs.lessonNow } }),
      "NOT_FOUND",
    );
    await refused(
      getLearnerLesson({ ctx: learner, input: { enrolment_id: now, lesson_id: otherRefs.lessonNow } }),
      "NOT_FOUND",
    );
  });

  it("goes from lessons and a reviewed submission to a certificate anyone can verify", async () => {
    for (const lesson_id of [refs.lessonNow, refs.lessonLater])
      await completeLesson({ ctx: learner, input: { enrolment_id: enrolment, lesson_id } });
    await completeLesson({ ctx: learner, input: { enrolment_id: enrolment, lesson_id: refs.lessonNow } }); // idempotent
    const sub = await submitAssignment({
      ctx: learner,
      input: {
        enrolment_id: enrolment,
        assignment_id: refs.assignment,
        kind: "link",
        url: "https://figma.com/file/x",
      },
    });
    expect(sub.attempt).toBe(1);
    await refused(
      submitAssignment({
        ctx: learner,
        input: {
          enrolment_id: enrolment,
          assignment_id: refs.assignment,
          kind: "link",
          url: "https://figma.com/file/y",
        },
      }),
      "CONFLICT",
    );
    expect((await getReviewQueue({ ctx: instructor, input: {} })).items.map((i) => i.id)).toContain(sub.id);
    expect((await getReviewQueue({ ctx: otherInstructor, input: {} })).items.map((i) => i.id)).not.toContain(
      sub.id,
    );
    await refused(getReviewQueue({ ctx: learner, input: {} }), "FORBIDDEN");
    await refused(startReview({ ctx: otherInstructor, input: { id: sub.id } }), "NOT_FOUND");
    await refused(startReview({ ctx: learner, input: { id: sub.id } }), "NOT_FOUND");
    await refused(releaseReview({ ctx: instructor, input: { id: sub.id } }), "CONFLICT");
    await startReview({ ctx: instructor, input: { id: sub.id } });
    await refused(startReview({ ctx: instructor, input: { id: sub.id } }), "CONFLICT");
    await refused(releaseReview({ ctx: instructor, input: { id: sub.id } }), "CONFLICT"); // not scored yet
    await refused(saveReview({ ctx: instructor, input: { id: sub.id, scores: [5] } }), "VALIDATION");
    await refused(saveReview({ ctx: instructor, input: { id: sub.id, scores: [6, 10] } }), "VALIDATION");
    await saveReview({ ctx: instructor, input: { id: sub.id, scores: [5, 9], feedback: "Très bien" } });
    expect((await getSubmissionForReview({ ctx: instructor, input: { id: sub.id } })).scores).toEqual([5, 9]);
    await releaseReview({ ctx: instructor, input: { id: sub.id } });
    expect((await auditRows(s.tenants.boot.id, { entityId: sub.id })).map((a) => a.action)).toEqual([
      "bootcamp.submission.start_review",
      "bootcamp.submission.score",
      "bootcamp.submission.release",
    ]);
    const mine = await getMyBootcamp({ ctx: learner });
    const done = mine.enrolments.find((e) => e.id === enrolment);
    expect(done).toMatchObject({
      status: "completed",
      certificate_id: expect.stringMatching(CERTIFICATE_ID_PATTERN),
    });
    const id = done?.certificate_id ?? "";
    expect(await verifyCertificate({ db: db(), id })).toMatchObject({
      id,
      holder_name: "Voahangy",
      course_title: refs.courseTitle,
    });
    expect((await getCertificate({ ctx: learner, input: { id } })).id).toBe(id);
    expect((await getCertificate({ ctx: staff, input: { id } })).id).toBe(id);
    await refused(getCertificate({ ctx: peer, input: { id } }), "NOT_FOUND");
    await refused(getCertificate({ ctx: s.system("other"), input: { id } }), "NOT_FOUND");
    await refused(verifyCertificate({ db: db(), id: "FPC-NOTREAL" }), "NOT_FOUND");
  });

  it("lets a reopened submission be sent again, and refuses another tenant's or enrolment's file keys (VALIDATION)", async () => {
    const sub = await submitAssignment({
      ctx: peer,
      input: {
        enrolment_id: peerEnrolment,
        assignment_id: refs.assignment,
        kind: "link",
        url: "https://example.com/a",
      },
    });
    await refused(
      assertCanSubmit({ ctx: peer, input: { enrolment_id: peerEnrolment, assignment_id: refs.assignment } }),
      "CONFLICT",
    );
    await refused(reopenSubmission({ ctx: otherInstructor, input: { id: sub.id } }), "NOT_FOUND");
    await reopenSubmission({ ctx: instructor, input: { id: sub.id } });
    await refused(reopenSubmission({ ctx: instructor, input: { id: sub.id } }), "CONFLICT");
    expect(
      await assertCanSubmit({
        ctx: peer,
        input: { enrolment_id: peerEnrolment, assignment_id: refs.assignment },
      }),
    ).toEqual({
      enrolmentId: peerEnrolment,
    });
    const file = (key: string) =>
      submitAssignment({
        ctx: peer,
        input: {
          enrolment_id: peerEnrolment,
          assignment_id: refs.assignment,
          kind: "file",
          file_key: key,
          file_name: "plan.pdf",
          file_type: "application/pdf",
          file_size: 10,
        },
      });
    await refused(file(`tenants/${s.tenants.other.id}/documents/x/y`), "VALIDATION");
    await refused(file(`bootcamp/${s.tenants.boot.id}/${enrolment}/plan.pdf`), "VALIDATION");
    const ok = await file(`bootcamp/${s.tenants.boot.id}/${peerEnrolment}/plan.pdf`);
    expect(ok).toEqual({ id: sub.id, attempt: 2 });
    expect(await submissionFile({ ctx: peer, input: { id: sub.id } })).toMatchObject({ name: "plan.pdf" });
    expect(await submissionFile({ ctx: instructor, input: { id: sub.id } })).toMatchObject({
      name: "plan.pdf",
    });
    for (const ctx of [learner, otherInstructor])
      await refused(submissionFile({ ctx, input: { id: sub.id } }), "NOT_FOUND");
    await refused(
      submitAssignment({
        ctx: peer,
        input: {
          enrolment_id: peerEnrolment,
          assignment_id: otherRefs.assignment,
          kind: "link",
          url: "https://x.test",
        },
      }),
      "NOT_FOUND",
    );
  });
});
