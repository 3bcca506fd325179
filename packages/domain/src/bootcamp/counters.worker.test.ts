/**
 * The bootcamp's counters (bootcamp_counts, migrations/0012_bootcamp_reads.sql) never drift: random sequences of
 * writes on two tenants, through the verbs and in plain SQL as bknd's /admin or a bulk write would (creates,
 * moves between courses, cohorts and statuses, marking transitions and resubmissions, revocations, deletes that
 * cascade from a course or a cohort, batches that fail in the middle), then every counter is compared with a
 * recount of the rows (counterDrift). Runs on the real local D1 with the migrations' triggers.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditFails, db, given } from "../../testing/workerd.ts";
import { counterDrift, repairCounters } from "../counters/index.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { findTenant } from "../tenants/index.ts";
import {
  BOOTCAMP_SUBDOMAIN,
  createAssignment,
  createCohort,
  createCourse,
  createLesson,
  createModule,
  enrolLearner,
  getBootcampOverview,
  getBootcampStats,
  withdrawEnrolment,
} from "./index.ts";

async function setup() {
  const boot = await findTenant({ db: db(), ref: BOOTCAMP_SUBDOMAIN });
  if (!boot) throw new Error("the bootcamp tenant comes with its migration");
  return given({ tenants: ["a", "b"], existing: { a: boot } });
}
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});

type TenantKey = "a" | "b";
type Ids = Record<
  "courses" | "modules" | "lessons" | "assignments" | "cohorts" | "enrolments" | "submissions",
  string[]
>;

const tenantKey = fc.constantFrom<TenantKey>("a", "b");
const pick = fc.nat({ max: 40 });
const enrolmentStatus = fc.constantFrom("applied", "invited", "active", "completed", "withdrawn");
const markingState = fc.constantFrom("not_marked", "in_review", "released");
const open = fc.constantFrom(0, 1);
/** A release some hours after the submission, or none (a released submission without a date is possible in SQL). */
const releaseAfter = fc.option(fc.integer({ min: 1, max: 500 }), { nil: null });

const command = fc.oneof(
  { depthSize: "small" },
  fc.record({ op: fc.constant("course" as const), t: tenantKey }),
  fc.record({ op: fc.constant("module" as const), t: tenantKey, course: pick }),
  fc.record({ op: fc.constant("lesson" as const), t: tenantKey, module: pick }),
  fc.record({ op: fc.constant("assignment" as const), t: tenantKey, course: pick }),
  fc.record({ op: fc.constant("cohort" as const), t: tenantKey, course: pick }),
  fc.record({ op: fc.constant("enrol" as const), t: tenantKey, cohort: pick, status: enrolmentStatus }),
  fc.record({ op: fc.constant("invite" as const), t: tenantKey, cohort: pick }),
  fc.record({ op: fc.constant("withdraw" as const), t: tenantKey, enrolment: pick }),
  fc.record({
    op: fc.constant("setStatus" as const),
    t: tenantKey,
    enrolment: pick,
    status: enrolmentStatus,
  }),
  fc.record({ op: fc.constant("moveEnrolment" as const), t: tenantKey, enrolment: pick, cohort: pick }),
  fc.record({ op: fc.constant("moveCohort" as const), t: tenantKey, cohort: pick, course: pick }),
  fc.record({ op: fc.constant("moveLesson" as const), t: tenantKey, lesson: pick, course: pick }),
  fc.record({ op: fc.constant("progress" as const), t: tenantKey, enrolment: pick, lesson: pick }),
  fc.record({ op: fc.constant("unprogress" as const), t: tenantKey, enrolment: pick }),
  fc.record({
    op: fc.constant("submit" as const),
    t: tenantKey,
    enrolment: pick,
    assignment: pick,
    state: markingState,
    open,
    release: releaseAfter,
  }),
  fc.record({
    op: fc.constant("mark" as const),
    t: tenantKey,
    submission: pick,
    state: markingState,
    open,
    release: releaseAfter,
  }),
  fc.record({ op: fc.constant("certify" as const), t: tenantKey, enrolment: pick, revoked: fc.boolean() }),
  fc.record({ op: fc.constant("revoke" as const), t: tenantKey, enrolment: pick, revoked: fc.boolean() }),
  fc.record({
    op: fc.constant("delete" as const),
    t: tenantKey,
    table: fc.constantFrom(
      "bootcamp_courses",
      "bootcamp_modules",
      "bootcamp_lessons",
      "bootcamp_assignments",
      "bootcamp_cohorts",
      "bootcamp_enrolments",
      "bootcamp_submissions",
      "bootcamp_certificates",
    ),
    row: pick,
  }),
  // a verb whose audit row fails: its batch (the insert and the counters' triggers) rolls back whole
  fc.record({ op: fc.constant("failedWrite" as const), t: tenantKey, module: pick }),
  // a raw batch whose second statement breaks a CHECK: the first insert and its counters roll back
  fc.record({ op: fc.constant("failedBatch" as const), t: tenantKey, cohort: pick }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

const at = (list: string[], i: number): string | undefined =>
  list.length === 0 ? undefined : list[i % list.length];

let serial = 0;
const next = () => (serial++).toString(36);

/**
 * A write the rules refuse (a verb's 409 or 404, a reference to a row deleted earlier, a second row where a key
 * is unique) is part of a random sequence, not a failure: the counters must still match.
 */
async function allowRefusal(p: Promise<unknown>): Promise<void> {
  await p.catch((e: unknown) => {
    if (e instanceof DomainError) return;
    if (e instanceof Error && /FOREIGN KEY|UNIQUE/.test(e.message)) return;
    throw e;
  });
}

const run = (sql: string, ...binds: unknown[]) =>
  db()
    .prepare(sql)
    .bind(...binds)
    .run();

/**
 * A row of `table` by its position among the ids the sequence made (a certificate: by its enrolment), and the
 * list to take it out of once deleted (rows its deletion cascades to stay listed: writes to them do nothing).
 */
const rowOf = (
  table: string,
  my: Ids,
  i: number,
): { column: string; id: string | undefined; list: string[] | undefined } => {
  const lists: Record<string, string[]> = {
    bootcamp_courses: my.courses,
    bootcamp_modules: my.modules,
    bootcamp_lessons: my.lessons,
    bootcamp_assignments: my.assignments,
    bootcamp_cohorts: my.cohorts,
    bootcamp_enrolments: my.enrolments,
    bootcamp_submissions: my.submissions,
    bootcamp_certificates: my.enrolments,
  };
  const certificate = table === "bootcamp_certificates";
  return {
    column: certificate ? "enrolment_id" : "id",
    id: at(lists[table] ?? [], i),
    list: certificate ? undefined : lists[table],
  };
};

async function apply(c: Command, ids: Record<TenantKey, Ids>): Promise<void> {
  const ctx: Ctx = s.system(c.t);
  const t = ctx.tenant.id;
  const my = ids[c.t];
  switch (c.op) {
    case "course": {
      const row = await createCourse({ ctx, input: { slug: `c-${next()}`, title: "C" } });
      my.courses.push(row.id);
      return;
    }
    case "module": {
      const course_id = at(my.courses, c.course);
      if (!course_id) return;
      my.modules.push((await createModule({ ctx, input: { course_id, title: "M" } })).id);
      return;
    }
    case "lesson": {
      const module_id = at(my.modules, c.module);
      if (!module_id) return;
      my.lessons.push((await createLesson({ ctx, input: { module_id, title: "L" } })).id);
      return;
    }
    case "assignment": {
      const course_id = at(my.courses, c.course);
      if (!course_id) return;
      const rubric = [{ criterion: "Clarity", points: 5 }];
      my.assignments.push((await createAssignment({ ctx, input: { course_id, title: "A", rubric } })).id);
      return;
    }
    case "cohort": {
      const course_id = at(my.courses, c.course);
      if (!course_id) return;
      const input = { course_id, name: "H", start_date: "2026-09-01", seats: 3 };
      my.cohorts.push((await createCohort({ ctx, input })).id);
      return;
    }
    case "enrol": {
      const cohort = at(my.cohorts, c.cohort);
      if (!cohort) return;
      const id = crypto.randomUUID();
      await run(
        "INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, status) VALUES (?, ?, ?, ?, 'E', ?)",
        id,
        t,
        cohort,
        `e${next()}@example.test`,
        c.status,
      );
      my.enrolments.push(id);
      return;
    }
    case "invite": {
      const cohort_id = at(my.cohorts, c.cohort);
      if (!cohort_id) return;
      const input = { cohort_id, email: `i${next()}@example.test`, name: "Invited" };
      const res = await enrolLearner({ ctx, input, links: { origin: "https://fata.plus" } });
      my.enrolments.push(res.id);
      return;
    }
    case "withdraw": {
      const id = at(my.enrolments, c.enrolment);
      if (!id) return;
      await withdrawEnrolment({ ctx, input: { id } });
      return;
    }
    case "setStatus": {
      const id = at(my.enrolments, c.enrolment);
      if (!id) return;
      await run("UPDATE bootcamp_enrolments SET status = ? WHERE tenant_id = ? AND id = ?", c.status, t, id);
      return;
    }
    case "moveEnrolment": {
      const id = at(my.enrolments, c.enrolment);
      const cohort = at(my.cohorts, c.cohort);
      if (!id || !cohort) return;
      await run("UPDATE bootcamp_enrolments SET cohort_id = ? WHERE tenant_id = ? AND id = ?", cohort, t, id);
      return;
    }
    case "moveCohort": {
      const id = at(my.cohorts, c.cohort);
      const course = at(my.courses, c.course);
      if (!id || !course) return;
      await run("UPDATE bootcamp_cohorts SET course_id = ? WHERE tenant_id = ? AND id = ?", course, t, id);
      return;
    }
    case "moveLesson": {
      const id = at(my.lessons, c.lesson);
      const course = at(my.courses, c.course);
      if (!id || !course) return;
      await run("UPDATE bootcamp_lessons SET course_id = ? WHERE tenant_id = ? AND id = ?", course, t, id);
      return;
    }
    case "progress": {
      const enrolment = at(my.enrolments, c.enrolment);
      const lesson = at(my.lessons, c.lesson);
      if (!enrolment || !lesson) return;
      await run(
        `INSERT INTO bootcamp_progress (id, tenant_id, enrolment_id, lesson_id, completed_at) VALUES (?, ?, ?, ?, '2026-09-02T10:00:00.000Z')
         ON CONFLICT (tenant_id, enrolment_id, lesson_id) DO NOTHING`,
        crypto.randomUUID(),
        t,
        enrolment,
        lesson,
      );
      return;
    }
    case "unprogress": {
      const enrolment = at(my.enrolments, c.enrolment);
      if (!enrolment) return;
      await run(
        `DELETE FROM bootcamp_progress WHERE rowid = (SELECT rowid FROM bootcamp_progress
         WHERE tenant_id = ? AND enrolment_id = ? LIMIT 1)`,
        t,
        enrolment,
      );
      return;
    }
    case "submit": {
      // a new submission in any state, or the submit verb's resubmission of an open one (an upsert: an UPDATE)
      const enrolment = at(my.enrolments, c.enrolment);
      const assignment = at(my.assignments, c.assignment);
      if (!enrolment || !assignment) return;
      const id = crypto.randomUUID();
      const submitted = `2026-09-0${1 + (c.assignment % 9)}T0${c.enrolment % 10}:00:00.000Z`;
      await run(
        `INSERT INTO bootcamp_submissions (id, tenant_id, assignment_id, enrolment_id, kind, url, open, marking_state, submitted_at, released_at)
         VALUES (?1, ?2, ?3, ?4, 'link', 'https://x.example', ?5, ?6, ?7,
           CASE WHEN ?8 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ?7, '+' || ?8 || ' hours') END)
         ON CONFLICT (tenant_id, enrolment_id, assignment_id) DO UPDATE SET
           submitted_at = excluded.submitted_at, attempt = attempt + 1, open = 0, marking_state = 'not_marked',
           released_at = NULL
         WHERE open = 1`,
        id,
        t,
        assignment,
        enrolment,
        c.open,
        c.state,
        submitted,
        c.release,
      );
      my.submissions.push(id);
      return;
    }
    case "mark": {
      const id = at(my.submissions, c.submission);
      if (!id) return;
      await run(
        `UPDATE bootcamp_submissions SET marking_state = ?1, open = ?2,
           released_at = CASE WHEN ?3 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', submitted_at, '+' || ?3 || ' hours') END
         WHERE tenant_id = ?4 AND id = ?5`,
        c.state,
        c.open,
        c.release,
        t,
        id,
      );
      return;
    }
    case "certify": {
      const enrolment = at(my.enrolments, c.enrolment);
      if (!enrolment) return;
      await run(
        `INSERT INTO bootcamp_certificates (id, tenant_id, enrolment_id, holder_name, course_title, issued_at, revoked_at)
         VALUES ('FPC-' || upper(hex(randomblob(12))), ?, ?, 'H', 'C', '2026-09-03T00:00:00.000Z',
           CASE WHEN ? THEN '2026-09-04T00:00:00.000Z' END)
         ON CONFLICT (tenant_id, enrolment_id) DO NOTHING`,
        t,
        enrolment,
        c.revoked ? 1 : 0,
      );
      return;
    }
    case "revoke": {
      const enrolment = at(my.enrolments, c.enrolment);
      if (!enrolment) return;
      await run(
        `UPDATE bootcamp_certificates SET revoked_at = CASE WHEN ? THEN '2026-09-05T00:00:00.000Z' END
         WHERE tenant_id = ? AND enrolment_id = ?`,
        c.revoked ? 1 : 0,
        t,
        enrolment,
      );
      return;
    }
    case "delete": {
      const { column, id, list } = rowOf(c.table, my, c.row);
      if (!id) return;
      await run(`DELETE FROM ${c.table} WHERE tenant_id = ? AND ${column} = ?`, t, id);
      list?.splice(list.indexOf(id), 1);
      return;
    }
    case "failedWrite": {
      const module_id = at(my.modules, c.module);
      if (!module_id) return;
      const undo = await auditFails({ tenantId: t });
      try {
        const err = await createLesson({ ctx, input: { module_id, title: "lost" } }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(Error);
      } finally {
        await undo();
      }
      return;
    }
    case "failedBatch": {
      const cohort = at(my.cohorts, c.cohort);
      if (!cohort) return;
      const insert = (status: string) =>
        db()
          .prepare(
            "INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, status) VALUES (?, ?, ?, ?, 'F', ?)",
          )
          .bind(crypto.randomUUID(), t, cohort, `f${next()}@example.test`, status);
      const err = await db()
        .batch([insert("active"), insert("not-a-status")])
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(Error);
      return;
    }
  }
}

const drift = async () => [
  ...(await counterDrift({ db: db(), tenantId: s.tenants.a.id })),
  ...(await counterDrift({ db: db(), tenantId: s.tenants.b.id })),
];

/** The bootcamp counters of both tenants that are not zero. */
const nonZero = async () =>
  (
    await db()
      .prepare("SELECT count(*) AS n FROM bootcamp_counts WHERE tenant_id IN (?, ?) AND n <> 0")
      .bind(s.tenants.a.id, s.tenants.b.id)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("the bootcamp's counters", () => {
  it("match a recount after any sequence of writes, cascades and failed batches included", async () => {
    // the rows of every run stay: later runs move, mark and delete what earlier ones made
    const empty = (): Ids => ({
      courses: [],
      modules: [],
      lessons: [],
      assignments: [],
      cohorts: [],
      enrolments: [],
      submissions: [],
    });
    const ids = { a: empty(), b: empty() };
    let writes = 0;
    let runsWithLearners = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 60 }), async (commands) => {
        for (const c of commands) await allowRefusal(apply(c, ids));
        writes += commands.length;
        expect(await drift()).toEqual([]);
        const learners = await db()
          .prepare(
            "SELECT count(*) AS n FROM bootcamp_counts WHERE tenant_id IN (?, ?) AND field = 'course_learners' AND n > 0",
          )
          .bind(s.tenants.a.id, s.tenants.b.id)
          .first<{ n: number }>();
        if ((learners?.n ?? 0) > 0) runsWithLearners += 1;
      }),
      { numRuns: 60 },
    );
    // the sequences did reach the counters: many writes, and runs that ended with learners in a course
    expect(writes).toBeGreaterThan(1000);
    expect(runsWithLearners).toBeGreaterThan(0);
    expect(await nonZero()).toBeGreaterThan(10);
  });

  it("the drift check sees a wrong counter, and the repair puts it right", async () => {
    const ctx = s.system("a");
    const course = await createCourse({ ctx, input: { slug: `repair-${next()}`, title: "Repair" } });
    const cohort = await createCohort({
      ctx,
      input: { course_id: course.id, name: "R", start_date: "2026-10-01", seats: 5 },
    });
    await run(
      "INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, status) VALUES (?, ?, ?, ?, 'R', 'active')",
      crypto.randomUUID(),
      ctx.tenant.id,
      cohort.id,
      `r${next()}@example.test`,
    );
    expect(await drift()).toEqual([]);
    await run(
      "UPDATE bootcamp_counts SET n = n + 3 WHERE tenant_id = ? AND field = 'course_learners' AND value = ?",
      ctx.tenant.id,
      course.id,
    );
    await run(
      "DELETE FROM bootcamp_counts WHERE tenant_id = ? AND field = 'cohort_seats' AND value = ?",
      ctx.tenant.id,
      cohort.id,
    );
    const found = await drift();
    expect(found.map((d) => d.row).sort()).toEqual([
      `${ctx.tenant.id} cohort_seats=${cohort.id}`,
      `${ctx.tenant.id} course_learners=${course.id}`,
    ]);
    const { drift: repaired } = await repairCounters({ db: db(), tenantId: ctx.tenant.id });
    expect(repaired).toEqual(found);
    expect(await drift()).toEqual([]);
    // the reads show the repaired figures
    const overview = await getBootcampOverview({ ctx });
    expect(overview.courses.find((c) => c.id === course.id)).toMatchObject({ cohorts: 1, learners: 1 });
    const stats = await getBootcampStats({ ctx });
    expect(stats.enrolments.active).toBeGreaterThan(0);
  });

  it("counts one tenant's rows only, whatever the other holds", async () => {
    const count = async (t: string) =>
      (
        await db()
          .prepare(
            "SELECT coalesce(sum(n), 0) AS n FROM bootcamp_counts WHERE tenant_id = ? AND field = 'course_cohorts'",
          )
          .bind(t)
          .first<{ n: number }>()
      )?.n ?? 0;
    const before = await count(s.tenants.a.id);
    const other = s.system("b");
    const course = await createCourse({ ctx: other, input: { slug: `b-only-${next()}`, title: "B only" } });
    await createCohort({
      ctx: other,
      input: { course_id: course.id, name: "B", start_date: "2026-10-01", seats: 5 },
    });
    expect(await count(s.tenants.a.id)).toBe(before);
    expect(await count(s.tenants.b.id)).toBeGreaterThan(0);
  });
});
