/**
 * What the bootcamp's reads cost in D1 once the bootcamp is large (docs/decisions/015-read-counters.md, issue 19):
 * the bootcamp's tenant is seeded in bulk past every bound (120 courses with their modules, lessons and
 * assignments, 240 cohorts, 3,000 enrolments, 6,000 lessons done, 2,400 submissions, 600 certificates), then
 * every read verb of the bootcamp runs as staff, an instructor, a learner and the public, and each SELECT it
 * sent is run again: it must read at most ROW_COST rows per row it returns plus FIXED_COST (D1's own
 * `meta.rows_read`), and its query plan must SCAN no tenant table. What the reads return is checked against a
 * recount of the rows, and the counters against counterDrift.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readCosts } from "../../testing/recording.ts";
import { db, given } from "../../testing/workerd.ts";
import { counterDrift } from "../counters/index.ts";
import type { Ctx, TenantRef } from "../kernel/context.ts";
import { findTenant } from "../tenants/index.ts";
import {
  BOOTCAMP_SUBDOMAIN,
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
  getPublicCatalogue,
  getPublicCourse,
  getReviewQueue,
  getSubmissionForReview,
  verifyCertificate,
} from "./index.ts";

const COURSES = 120;
const COHORTS = COURSES * 2;
const ENROLMENTS = 3000;

/** The id of the n-th seeded row of a kind (a UUID, unique per kind). */
const idOf = (kind: number, n: number) =>
  `b0000000-${kind.toString(16).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
const idSql = (kind: number, expr: string) => `printf('b0000000-%04x-4000-8000-%012x', ${kind}, ${expr})`;
const K = { course: 1, module: 2, lesson: 3, assignment: 4, cohort: 5, instructor: 6, enrolment: 7 };
const K2 = { progress: 8, submission: 9 };
const K3 = { quiz: 10, attempt: 11, view: 12 };
const QUESTIONS = JSON.stringify([
  { kind: "short", prompt: "Name it", points: 1, feedback: "", accepted: ["x"] },
]);
/** A certificate id of the pattern (FPC- and 24 symbols of the alphabet without 0, 1, I, O). */
const certSql = (expr: string) => `'FPC-' || replace(replace(printf('%024d', ${expr}), '0', 'A'), '1', 'B')`;
const certOf = (n: number) => `FPC-${String(n).padStart(24, "0").replaceAll("0", "A").replaceAll("1", "B")}`;
const seq = (n: number) =>
  `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n - 1})`;
/**
 * Enrolment e is in cohort (e + e / COHORTS) % COHORTS (each round of the cohorts shifted by one, so that a
 * cohort holds every status), of course cohort / 2; applied … withdrawn by e % 5.
 */
const cohortOf = (e: string) => `(((${e}) + (${e}) / ${COHORTS}) % ${COHORTS})`;
const courseOf = (e: string) => `(${cohortOf(e)} / 2)`;
const learning = (e: string) => `(${e}) % 5 IN (2, 3)`;
const minutes = (n: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-05', '+' || (${n}) || ' minutes')`;

/**
 * The bulk seed: ?1 the tenant, ?2 the instructor (teaches cohorts 0, 60, 120, 180), ?3 the learner (holds
 * enrolments 2, active, and 3, completed). Courses tie on (position, title) six by six; a seventh of the
 * submissions is open for a new attempt; every tenth certificate is revoked.
 */
const bulk = [
  `${seq(COURSES)} INSERT INTO bootcamp_courses (id, tenant_id, slug, title, summary, status, position)
   SELECT ${idSql(K.course, "i")}, ?1, 'bulk-' || i, 'Course ' || (i % 20), 'About ' || i,
     CASE WHEN i % 4 = 3 THEN 'draft' ELSE 'published' END, i % 5 FROM seq`,
  `${seq(COURSES * 4)} INSERT INTO bootcamp_modules (id, tenant_id, course_id, title, position)
   SELECT ${idSql(K.module, "i")}, ?1, ${idSql(K.course, "i / 4")}, 'Module ' || i, i % 4 FROM seq`,
  `${seq(COURSES * 20)} INSERT INTO bootcamp_lessons (id, tenant_id, course_id, module_id, title, body_md, position, release_offset_days)
   SELECT ${idSql(K.lesson, "i")}, ?1, ${idSql(K.course, "i / 20")}, ${idSql(K.module, "i / 5")}, 'Lesson ' || i,
     '# Lesson ' || i, i % 20, (i % 20) * 2 FROM seq`,
  `${seq(COURSES * 3)} INSERT INTO bootcamp_assignments (id, tenant_id, course_id, title, brief_md, rubric, position)
   SELECT ${idSql(K.assignment, "i")}, ?1, ${idSql(K.course, "i / 3")}, 'Assignment ' || i, 'Make ' || i,
     json_array(json_object('criterion', 'Clarity', 'points', 10)), i % 3 FROM seq`,
  `${seq(COHORTS)} INSERT INTO bootcamp_cohorts (id, tenant_id, course_id, name, start_date, end_date, seats, status)
   SELECT ${idSql(K.cohort, "i")}, ?1, ${idSql(K.course, "i / 2")}, 'Cohort ' || i,
     date('now', ((i * 7) % 200 - 100) || ' days'), date('now', ((i * 7) % 200 - 10) || ' days'), 1000,
     CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'closed' ELSE 'draft' END FROM seq`,
  `${seq(4)} INSERT INTO bootcamp_cohort_instructors (id, tenant_id, cohort_id, user_id)
   SELECT ${idSql(K.instructor, "i")}, ?1, ${idSql(K.cohort, "i * 60")}, ?2 FROM seq`,
  `${seq(ENROLMENTS)} INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, user_id, status, created_at)
   SELECT ${idSql(K.enrolment, "i")}, ?1, ${idSql(K.cohort, cohortOf("i"))}, 'bulk' || i || '@bulk.test',
     'Learner ' || i, CASE WHEN i IN (2, 3) THEN ?3 END,
     CASE i % 5 WHEN 0 THEN 'applied' WHEN 1 THEN 'invited' WHEN 2 THEN 'active' WHEN 3 THEN 'completed' ELSE 'withdrawn' END,
     ${minutes("i")} FROM seq`,
  // lessons 0…4 of its course for each learner (row j: enrolment j / 5)
  `${seq(ENROLMENTS * 5)} INSERT INTO bootcamp_progress (id, tenant_id, enrolment_id, lesson_id, completed_at)
   SELECT ${idSql(K2.progress, "i")}, ?1, ${idSql(K.enrolment, "i / 5")},
     ${idSql(K.lesson, `${courseOf("i / 5")} * 20 + i % 5`)}, ${minutes("i")} FROM seq WHERE ${learning("i / 5")}`,
  // assignments 0 and 1 of its course for each learner (row j: enrolment j / 2), in every marking state
  `${seq(ENROLMENTS * 2)} INSERT INTO bootcamp_submissions (id, tenant_id, assignment_id, enrolment_id, kind, url, open, marking_state, scores, submitted_at, review_started_at, released_at)
   SELECT ${idSql(K2.submission, "i")}, ?1, ${idSql(K.assignment, `${courseOf("i / 2")} * 3 + i % 2`)},
     ${idSql(K.enrolment, "i / 2")}, 'link', 'https://work.bulk.test/' || i, CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END,
     CASE i % 3 WHEN 0 THEN 'not_marked' WHEN 1 THEN 'in_review' ELSE 'released' END,
     CASE WHEN i % 3 = 2 THEN json_array(8) END, ${minutes("(i * 37) % 5000")},
     CASE WHEN i % 3 > 0 THEN ${minutes("(i * 37) % 5000 + 60")} END,
     CASE WHEN i % 3 = 2 THEN ${minutes("(i * 37) % 5000 + 90 + i % 11")} END
   FROM seq WHERE ${learning("i / 2")}`,
  // a quiz per module (the first of each course gates the next module), two attempts at it per learner, and
  // three lessons opened per learner (decision 032)
  `${seq(COURSES * 4)} INSERT INTO bootcamp_quizzes (id, tenant_id, course_id, module_id, title, questions, gates_next, position)
   SELECT ${idSql(K3.quiz, "i")}, ?1, ${idSql(K.course, "i / 4")}, ${idSql(K.module, "i")}, 'Quiz ' || i,
     '${QUESTIONS}', CASE WHEN i % 4 = 0 THEN 1 ELSE 0 END, i % 4 FROM seq`,
  `${seq(ENROLMENTS * 2)} INSERT INTO bootcamp_quiz_attempts (id, tenant_id, quiz_id, enrolment_id, attempt, answers, score, max_score, passed, submitted_at)
   SELECT ${idSql(K3.attempt, "i")}, ?1, ${idSql(K3.quiz, `${courseOf("i / 2")} * 4`)}, ${idSql(K.enrolment, "i / 2")},
     i % 2 + 1, '{"answers":["x"]}', i % 2, 1, i % 2, ${minutes("i")} FROM seq WHERE ${learning("i / 2")}`,
  `${seq(ENROLMENTS * 3)} INSERT INTO bootcamp_lesson_views (id, tenant_id, enrolment_id, lesson_id, viewed_at)
   SELECT ${idSql(K3.view, "i")}, ?1, ${idSql(K.enrolment, "i / 3")},
     ${idSql(K.lesson, `${courseOf("i / 3")} * 20 + i % 3`)}, ${minutes("i")} FROM seq WHERE ${learning("i / 3")}`,
  `${seq(ENROLMENTS)} INSERT INTO bootcamp_certificates (id, tenant_id, enrolment_id, holder_name, course_title, issued_at, revoked_at)
   SELECT ${certSql("i")}, ?1, ${idSql(K.enrolment, "i")}, 'Learner ' || i, 'Course ' || ${courseOf("i")},
     ${minutes("i + 900")}, CASE WHEN i % 10 = 8 THEN ${minutes("i + 901")} END FROM seq WHERE i % 5 = 3`,
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
    },
  });
}
let s: Awaited<ReturnType<typeof setup>>;
let boot: TenantRef;
let staff: Ctx;
let instructor: Ctx;
let learner: Ctx;

beforeAll(async () => {
  s = await setup();
  boot = s.tenants.boot;
  staff = s.ctx("boot", s.users.staff);
  instructor = s.ctx("boot", s.users.instructor);
  learner = s.ctx("boot", s.users.learner);
  const binds = [boot.id, s.users.instructor.id, s.users.learner.id];
  // D1 wants exactly the parameters a statement names: ?1 … its highest
  const named = (sql: string) => Math.max(...[...sql.matchAll(/\?(\d)/g)].map((m) => Number(m[1])));
  await db().batch(
    bulk.map((sql) =>
      db()
        .prepare(sql)
        .bind(...binds.slice(0, named(sql))),
    ),
  );
}, 120_000);

const count = async (sql: string): Promise<number> =>
  (await db().prepare(sql).bind(boot.id).first<{ n: number }>())?.n ?? 0;

type Read = [string, (d: D1Database) => Promise<unknown>];
const as = (ctx: Ctx, d: D1Database): Ctx => ({ ...ctx, db: d });
const pub = (d: D1Database) => ({ db: d, now: () => new Date() });

/** Every read verb of the bootcamp, as the people who call it. */
const reads = (): Read[] => [
  ["getBootcampOverview (staff)", (d) => getBootcampOverview({ ctx: as(staff, d) })],
  ["getBootcampOverview (instructor)", (d) => getBootcampOverview({ ctx: as(instructor, d) })],
  ["getBootcampStats (staff)", (d) => getBootcampStats({ ctx: as(staff, d) })],
  ["getReviewQueue awaiting (staff)", (d) => getReviewQueue({ ctx: as(staff, d), input: {} })],
  [
    "getReviewQueue released (staff)",
    (d) => getReviewQueue({ ctx: as(staff, d), input: { state: "released" } }),
  ],
  ["getReviewQueue awaiting (instructor)", (d) => getReviewQueue({ ctx: as(instructor, d), input: {} })],
  [
    "getCourseDetail (staff)",
    (d) => getCourseDetail({ ctx: as(staff, d), input: { id: idOf(K.course, 1) } }),
  ],
  [
    "getCohortRoster (staff)",
    (d) => getCohortRoster({ ctx: as(staff, d), input: { id: idOf(K.cohort, 0) } }),
  ],
  [
    "getCohortRoster (instructor)",
    (d) => getCohortRoster({ ctx: as(instructor, d), input: { id: idOf(K.cohort, 60) } }),
  ],
  [
    "getSubmissionForReview (staff)",
    (d) => getSubmissionForReview({ ctx: as(staff, d), input: { id: idOf(K2.submission, 4) } }),
  ],
  ["getCertificate (staff)", (d) => getCertificate({ ctx: as(staff, d), input: { id: certOf(13) } })],
  ["getMyBootcamp (learner)", (d) => getMyBootcamp({ ctx: as(learner, d) })],
  [
    "getLearnerCourse (learner)",
    (d) => getLearnerCourse({ ctx: as(learner, d), input: { id: idOf(K.enrolment, 2) } }),
  ],
  [
    "getLearnerLesson (learner)",
    (d) =>
      getLearnerLesson({
        ctx: as(learner, d),
        input: { enrolment_id: idOf(K.enrolment, 2), lesson_id: idOf(K.lesson, 20) },
      }),
  ],
  [
    "getLearnerQuiz (learner)",
    (d) =>
      getLearnerQuiz({
        ctx: as(learner, d),
        input: { enrolment_id: idOf(K.enrolment, 2), quiz_id: idOf(K3.quiz, 4) },
      }),
  ],
  ["getCertificate (learner)", (d) => getCertificate({ ctx: as(learner, d), input: { id: certOf(3) } })],
  ["getCatalogue", (d) => getCatalogue({ ctx: pub(d), tenant: boot })],
  ["getPublicCatalogue", (d) => getPublicCatalogue({ ctx: pub(d) })],
  ["getPublicCourse", (d) => getPublicCourse({ ctx: pub(d), input: { slug: "bulk-1" } })],
  ["verifyCertificate", (d) => verifyCertificate({ db: d, id: certOf(3) })],
];

describe("the bootcamp's reads, once the bootcamp is large", () => {
  it("every statement reads at most 12 × max(1, rows returned) + 100 rows and scans no tenant table", async () => {
    expect(await count("SELECT count(*) AS n FROM bootcamp_enrolments WHERE tenant_id = ?")).toBe(ENROLMENTS);
    expect(await count("SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ?")).toBe(2400);
    const offenders: string[] = [];
    let measured = 0;
    for (const [name, read] of reads()) {
      const costs = await readCosts(db(), read);
      expect(costs.length, name).toBeGreaterThan(0);
      for (const c of costs) {
        measured += 1;
        if (c.rowsRead > c.bound)
          offenders.push(
            `${name}: ${c.rowsRead} rows read for ${c.returned} returned ← ${c.sql.slice(0, 200)}`,
          );
        if (c.scans.length > 0) offenders.push(`${name}: ${c.scans.join("; ")} ← ${c.sql.slice(0, 200)}`);
      }
    }
    expect(measured).toBeGreaterThan(30);
    expect(offenders).toEqual([]);
  });

  it("returns what a recount of the rows says", async () => {
    const overview = await getBootcampOverview({ ctx: staff });
    expect(overview.courses).toHaveLength(100);
    expect(overview.cohorts).toHaveLength(200);
    // courses by position, then title (ties: in the order they were created)
    const keys = overview.courses.map((c) => [c.position, c.title] as const);
    expect([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))).toEqual(keys);
    const first = overview.courses.find((c) => c.id === idOf(K.course, 1));
    const learnersOf1 = await count(
      `SELECT count(*) AS n FROM bootcamp_enrolments e JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
       WHERE e.tenant_id = ? AND h.course_id = '${idOf(K.course, 1)}' AND e.status IN ('active', 'completed')`,
    );
    expect(learnersOf1).toBeGreaterThan(0);
    expect(first).toMatchObject({
      modules: 4,
      lessons: 20,
      assignments: 3,
      cohorts: 2,
      learners: learnersOf1,
    });
    const dates = overview.cohorts.map((h) => h.start_date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const newest = overview.cohorts[0];
    const learnersOfNewest = await count(
      `SELECT count(*) AS n FROM bootcamp_enrolments WHERE tenant_id = ? AND cohort_id = '${newest?.id}'
       AND status IN ('active', 'completed')`,
    );
    expect(learnersOfNewest).toBeGreaterThan(0);
    expect(newest?.learners).toBe(learnersOfNewest);
    const cohort0 = (await getBootcampOverview({ ctx: instructor })).cohorts.find(
      (h) => h.id === idOf(K.cohort, 0),
    );
    const teacher = await db()
      .prepare("SELECT coalesce(name, email) AS n FROM users WHERE id = ?")
      .bind(s.users.instructor.id)
      .first<{ n: string }>();
    expect(cohort0?.instructors).toBe(teacher?.n);
    const taught = await getBootcampOverview({ ctx: instructor });
    expect(taught.cohorts.map((h) => h.id).sort()).toEqual(
      [0, 60, 120, 180].map((i) => idOf(K.cohort, i)).sort(),
    );
    expect(new Set(taught.courses.map((c) => c.status))).toEqual(new Set(["published"]));

    const stats = await getBootcampStats({ ctx: staff });
    const byStatus = async (st: string) =>
      count(`SELECT count(*) AS n FROM bootcamp_enrolments WHERE tenant_id = ? AND status = '${st}'`);
    expect(stats.enrolments).toEqual({
      applied: await byStatus("applied"),
      invited: await byStatus("invited"),
      active: await byStatus("active"),
      completed: await byStatus("completed"),
      withdrawn: await byStatus("withdrawn"),
    });
    expect(stats.completionRate).toBeCloseTo(
      stats.enrolments.completed / (stats.enrolments.active + stats.enrolments.completed),
      12,
    );
    const hours = await db()
      .prepare(
        `SELECT avg((julianday(released_at) - julianday(submitted_at)) * 24.0) AS h FROM bootcamp_submissions
         WHERE tenant_id = ? AND marking_state = 'released'`,
      )
      .bind(boot.id)
      .first<{ h: number }>();
    expect(stats.averageReviewHours).toBe(Math.round((hours?.h ?? 0) * 10) / 10);
    expect(stats.averageReviewHours).toBeGreaterThan(1);
    expect(stats.awaitingReview).toBe(
      await count(
        `SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ? AND marking_state IN ('not_marked', 'in_review') AND open = 0`,
      ),
    );
    expect(stats.certificates).toBe(
      await count(
        "SELECT count(*) AS n FROM bootcamp_certificates WHERE tenant_id = ? AND revoked_at IS NULL",
      ),
    );

    // the queue: the oldest awaiting (closed) submissions of both states, merged
    const queue = await getReviewQueue({ ctx: staff, input: {} });
    expect(queue.items).toHaveLength(200);
    const oldest = await db()
      .prepare(
        `SELECT id FROM bootcamp_submissions WHERE tenant_id = ? AND marking_state IN ('not_marked', 'in_review') AND open = 0
         ORDER BY submitted_at, rowid LIMIT 200`,
      )
      .bind(boot.id)
      .all<{ id: string }>();
    expect(queue.items.map((i) => i.id)).toEqual(oldest.results.map((r) => r.id));
    expect(new Set(queue.items.map((i) => i.marking_state))).toEqual(new Set(["not_marked", "in_review"]));
    const mine = await getReviewQueue({ ctx: instructor, input: {} });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(new Set(mine.items.map((i) => i.cohort_name))).toEqual(
      new Set(["Cohort 0", "Cohort 60", "Cohort 120", "Cohort 180"]),
    );

    const my = await getMyBootcamp({ ctx: learner });
    expect(my.enrolments.map((e) => e.id).sort()).toEqual([idOf(K.enrolment, 2), idOf(K.enrolment, 3)]);
    const released = async (e: number) =>
      count(
        `SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ? AND enrolment_id = '${idOf(K.enrolment, e)}'
         AND marking_state = 'released'`,
      );
    for (const e of my.enrolments) {
      const n = e.id === idOf(K.enrolment, 2) ? 2 : 3;
      expect(e).toMatchObject({
        lessons_total: 20,
        lessons_done: 5,
        assignments_total: 3,
        assignments_released: await released(n),
        certificate_id: n === 3 ? certOf(3) : null,
      });
    }
    expect(await counterDrift({ db: db(), tenantId: boot.id })).toEqual([]);
  });
});
