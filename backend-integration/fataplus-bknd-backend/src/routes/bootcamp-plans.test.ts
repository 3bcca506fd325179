/**
 * Every statement the bootcamp's verbs send to D1 is recorded and explained: none may SCAN a tenant table
 * (rule 4), for staff, an instructor and a learner, including the public catalogue and certificate lookups.
 */
import { env } from "cloudflare:workers";
import {
  type Ctx,
  completeLesson,
  getBootcampOverview,
  getBootcampStats,
  getCatalogue,
  getCohortRoster,
  getCourseDetail,
  getLearnerCourse,
  getLearnerLesson,
  getMyBootcamp,
  getReviewQueue,
  getSubmissionForReview,
  releaseReview,
  reopenSubmission,
  saveReview,
  startReview,
  submitAssignment,
  type TenantRef,
  tenantOwnedTables,
  verifyCertificate,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BootcampRefs,
  enrolMember,
  makeInstructor,
  seedBootcamp,
} from "../../test/bootcamp-factories.ts";
import { scenario, systemCtx, type TestUser } from "../../test/factories.ts";
import { type Recorded, recordingD1, scansOf, touchesTenantTable } from "../../test/recording-d1.ts";

let T: TenantRef;
let refs: BootcampRefs;
let learner: TestUser;
let instructor: TestUser;
let enrolment = "";

beforeAll(async () => {
  const s = await scenario(
    { tenants: ["T"], names: { T: "Bootcamp plans" }, roles: ["client", "project_manager"] },
    { login: false },
  );
  T = s.tenants.T;
  ({ client: learner, project_manager: instructor } = s.members.T);
  refs = await seedBootcamp(T);
  await makeInstructor(T, refs.pastCohort, instructor.email);
  enrolment = await enrolMember(T, refs.pastCohort, learner.email);
});

const userCtx = (db: D1Database, u: TestUser, role: Ctx["role"]): Ctx => ({
  db,
  tenant: T,
  role,
  actor: { type: "user", userId: u.id, email: u.email, agencyRole: "member" },
  now: () => new Date(),
});

describe("bootcamp query plans", () => {
  it("no verb scans a tenant table", async () => {
    const log: Recorded[] = [];
    const db = recordingD1(env.DB, log);
    const staff = { ...systemCtx(T), db };
    const asLearner = userCtx(db, learner, "client");
    const asInstructor = userCtx(db, instructor, "project_manager");

    await getMyBootcamp({ ctx: asLearner });
    await getLearnerCourse({ ctx: asLearner, input: { id: enrolment } });
    await getLearnerLesson({ ctx: asLearner, input: { enrolment_id: enrolment, lesson_id: refs.lessonNow } });
    for (const lesson of [refs.lessonNow, refs.lessonLater])
      await completeLesson({ ctx: asLearner, input: { enrolment_id: enrolment, lesson_id: lesson } });
    const sub = await submitAssignment({
      ctx: asLearner,
      input: {
        kind: "link",
        enrolment_id: enrolment,
        assignment_id: refs.assignment,
        url: "https://figma.com/file/plans",
      },
    });
    await getReviewQueue({ ctx: asInstructor, input: {} });
    await getSubmissionForReview({ ctx: asInstructor, input: { id: sub.id } });
    await startReview({ ctx: asInstructor, input: { id: sub.id } });
    await saveReview({ ctx: asInstructor, input: { id: sub.id, scores: [1, 2], feedback: "ok" } });
    await releaseReview({ ctx: asInstructor, input: { id: sub.id } });
    await reopenSubmission({ ctx: asInstructor, input: { id: sub.id } });
    await getBootcampOverview({ ctx: asInstructor });
    await getBootcampOverview({ ctx: staff });
    await getCourseDetail({ ctx: staff, input: { id: refs.course } });
    await getCohortRoster({ ctx: staff, input: { id: refs.pastCohort } });
    await getBootcampStats({ ctx: staff });
    await getCatalogue({ ctx: { db, now: () => new Date() }, tenant: T });
    const cert = await env.DB.prepare("SELECT id FROM bootcamp_certificates WHERE tenant_id = ?")
      .bind(T.id)
      .first<{ id: string }>();
    expect(cert?.id).toBeTruthy();
    await verifyCertificate({ db, id: cert?.id ?? "" });

    const recorded = log.filter((r) => touchesTenantTable(r.sql, tenantOwnedTables));
    expect(recorded.length).toBeGreaterThan(30);
    const offenders: string[] = [];
    for (const rec of recorded) {
      const scans = await scansOf(env.DB, rec, tenantOwnedTables);
      if (scans.length > 0)
        offenders.push(`${scans.join("; ")} ← ${rec.sql.replace(/\s+/g, " ").slice(0, 200)}`);
    }
    expect(offenders).toEqual([]);
  });
});
