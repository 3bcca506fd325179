/**
 * The read counters (migrations/0010_read_counters.sql, docs/decisions/015-read-counters.md): rows per tenant,
 * entity and filtered field; open tasks by due date; each project's open flag and last activity; and the
 * bootcamp's (migrations/0012_bootcamp_reads.sql). Triggers keep them in the statement of every write. This
 * module recounts them from the rows (the repair command and the no-drift tests), rolls the due-date counts up
 * (the scheduled job), and reads them.
 */

import { seatTakingStatuses } from "../vocabulary/bootcamp.ts";

/** Which rows of record_counts a (field, value) pair names: '' and '' is the entity's total. */
export type CountKey = { field: string; value: string };
export const TOTAL: CountKey = { field: "", value: "" };

/** The counted entities and, for each, the fields that have a counter (record_counts.field). */
export const countedFields = {
  clients: ["kind"],
  projects: ["status", "phase", "client_id", "currency"],
  tasks: ["status", "project_id", "project_status"],
  leads: ["stage", "client_id"],
  notes: ["client_id", "lead_id"],
} as const;
export type CountedEntity = keyof typeof countedFields;

/**
 * The fields agency_counts sums over the active tenants (migrations/0013_agency_counts.sql; '' is the total):
 * every counted field but those naming one tenant's records (client_id, lead_id, project_id, project_status).
 */
export const agencyFields = ["", "kind", "status", "phase", "currency", "stage"] as const;
const AGENCY_FIELDS = `(${agencyFields.map((f) => `'${f}'`).join(", ")})`;

/** Whether agency_counts holds this counter (a field summed across tenants). */
export function isAgencyCounted(key: CountKey): boolean {
  return (agencyFields as readonly string[]).includes(key.field);
}

/** SQL for one counter of the tenant `tenant` (a column or `?`), 0 when it has no row: reads one row. */
export const countOf = (tenant: string, entity: CountedEntity, field: string, value: string) =>
  `coalesce((SELECT n FROM record_counts WHERE tenant_id = ${tenant} AND entity = '${entity}' AND field = '${field}' AND value = ${value}), 0)`;

/**
 * SQL for the open tasks due before today (bound as the statement's first `?`) of one project, or of the
 * whole tenant when `project` is `''`: the rolled-up row and the days since the last roll-up.
 */
export const overdueOf = (tenant: string, project: string) =>
  `coalesce((SELECT sum(n) FROM task_due_counts d WHERE d.tenant_id = ${tenant} AND d.project_id = ${project} AND d.due_date < ?), 0)`;

/**
 * The bootcamp's counters (bootcamp_counts.field; the value is the id named, or '' for the tenant's total):
 * modules, lessons, assignments, cohorts and learners (active or completed enrolments) per course, learners and
 * seats taken (invited, active or completed enrolments) per cohort, enrolments per status, lessons done and released submissions per enrolment, submissions awaiting a
 * review, released reviews (n, and sum_a: milliseconds from submission to release), valid certificates.
 */
export const bootcampCountFields = [
  "course_modules",
  "course_lessons",
  "course_assignments",
  "course_cohorts",
  "course_learners",
  "cohort_learners",
  "cohort_seats",
  "enrolment_status",
  "enrolment_lessons_done",
  "enrolment_released",
  "submissions_awaiting",
  "review_ms",
  "certificates_valid",
] as const;
export type BootcampCountField = (typeof bootcampCountFields)[number];

/** SQL for one bootcamp counter of the tenant `tenant` (a column or `?`), 0 when it has no row: reads one row. */
export const bootcampCountOf = (tenant: string, field: BootcampCountField, value: string) =>
  `coalesce((SELECT n FROM bootcamp_counts WHERE tenant_id = ${tenant} AND field = '${field}' AND value = ${value}), 0)`;

export function isCountedEntity(name: string): name is CountedEntity {
  return Object.hasOwn(countedFields, name);
}

/** `tenant_id = ?1` when one tenant is meant, every tenant when ?1 is null (a maintenance job's own scan). */
const ofTenant = (alias = "") => `(?1 IS NULL OR ${alias}tenant_id = ?1)`;

/**
 * What record_counts should hold, from the rows: one SELECT of (tenant_id, entity, field, value, n, sum_a,
 * sum_b) per counted field (D1 caps the terms of a compound SELECT, so they are separate statements).
 */
const expectedRecordCounts = (): { field: string; sql: string }[] => {
  const w = ofTenant();
  const part = (
    entity: string,
    field: string,
    value: string,
    sums = "0 AS sum_a, 0 AS sum_b",
    extra = "",
  ) => ({
    field,
    sql: `SELECT tenant_id, '${entity}' AS entity, '${field}' AS field, ${value} AS value, count(*) AS n, ${sums}
     FROM ${entity} WHERE ${w}${extra} GROUP BY tenant_id${value === "''" ? "" : `, ${value}`}`,
  });
  return [
    part("clients", "", "''"),
    part("clients", "kind", "kind"),
    part("projects", "", "''"),
    part("projects", "status", "status"),
    part("projects", "phase", "phase"),
    part("projects", "client_id", "client_id", undefined, " AND client_id IS NOT NULL"),
    part(
      "projects",
      "currency",
      "currency",
      "coalesce(sum(budget_cents), 0) AS sum_a, coalesce(sum(estimate_cents), 0) AS sum_b",
    ),
    part("tasks", "", "''"),
    part("tasks", "status", "status"),
    part("tasks", "project_id", "project_id"),
    part("tasks", "project_status", "project_id || '|' || status"),
    part("leads", "", "''"),
    part("leads", "stage", "stage", "coalesce(sum(value_cents), 0) AS sum_a, 0 AS sum_b"),
    part("leads", "client_id", "client_id", undefined, " AND client_id IS NOT NULL"),
    part("notes", "", "''"),
    part("notes", "client_id", "client_id", undefined, " AND client_id IS NOT NULL"),
    part("notes", "lead_id", "lead_id", undefined, " AND lead_id IS NOT NULL"),
  ];
};

const ACTIVE_TENANTS = "SELECT id FROM tenants WHERE status = 'active'";

/**
 * What agency_counts should hold, from the rows: one SELECT of (entity, field, value, n, sum_a, sum_b) per
 * field it sums, over the active tenants (the recount of the drift check).
 */
const expectedAgencyCounts = (): string[] =>
  expectedRecordCounts()
    .filter((p) => isAgencyCounted({ field: p.field, value: "" }))
    .map(
      (
        p,
      ) => `SELECT entity, field, value, sum(n) AS n, sum(sum_a) AS sum_a, sum(sum_b) AS sum_b FROM (${p.sql})
       WHERE tenant_id IN (${ACTIVE_TENANTS}) GROUP BY entity, field, value`,
    );

/** agency_counts from record_counts, as the migration fills it (the repair, after record_counts). */
const agencyFromRecordCounts = () => `
  INSERT INTO agency_counts (entity, field, value, n, sum_a, sum_b)
  SELECT entity, field, value, sum(n), sum(sum_a), sum(sum_b) FROM record_counts
  WHERE field IN ${AGENCY_FIELDS} AND tenant_id IN (${ACTIVE_TENANTS}) GROUP BY entity, field, value`;

/** The enrolment statuses of a learner (bootcamp_counts' course_learners and cohort_learners). */
const LEARNING = "('active', 'completed')";
/** A released submission's review time in milliseconds (NULL when a date is missing), `s` its alias. */
const reviewMs = (s: string) =>
  `CAST(round((julianday(${s}released_at) - julianday(${s}submitted_at)) * 86400000) AS INTEGER)`;

/** What bootcamp_counts should hold, one SELECT of (tenant_id, field, value, n, sum_a) per field. */
const expectedBootcampCounts = (): Record<BootcampCountField, string> => {
  const w = ofTenant();
  const part = (field: BootcampCountField, table: string, value: string, extra = "", sum = "0") =>
    `SELECT tenant_id, '${field}' AS field, ${value} AS value, count(*) AS n, ${sum} AS sum_a
     FROM ${table} WHERE ${w}${extra} GROUP BY tenant_id${value === "''" ? "" : `, ${value}`}`;
  return {
    course_modules: part("course_modules", "bootcamp_modules", "course_id", " AND archived_at IS NULL"),
    course_lessons: part("course_lessons", "bootcamp_lessons", "course_id", " AND archived_at IS NULL"),
    course_assignments: part(
      "course_assignments",
      "bootcamp_assignments",
      "course_id",
      " AND archived_at IS NULL",
    ),
    course_cohorts: part("course_cohorts", "bootcamp_cohorts", "course_id"),
    course_learners: `SELECT e.tenant_id, 'course_learners' AS field, h.course_id AS value, count(*) AS n, 0 AS sum_a
      FROM bootcamp_enrolments e JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
      WHERE ${ofTenant("e.")} AND e.status IN ${LEARNING} GROUP BY e.tenant_id, h.course_id`,
    cohort_learners: part(
      "cohort_learners",
      "bootcamp_enrolments",
      "cohort_id",
      ` AND status IN ${LEARNING}`,
    ),
    cohort_seats: part(
      "cohort_seats",
      "bootcamp_enrolments",
      "cohort_id",
      ` AND status IN (${seatTakingStatuses.map((st) => `'${st}'`).join(", ")})`,
    ),
    enrolment_status: part("enrolment_status", "bootcamp_enrolments", "status"),
    enrolment_lessons_done: part("enrolment_lessons_done", "bootcamp_progress", "enrolment_id"),
    enrolment_released: part(
      "enrolment_released",
      "bootcamp_submissions",
      "enrolment_id",
      " AND marking_state = 'released'",
    ),
    submissions_awaiting: part(
      "submissions_awaiting",
      "bootcamp_submissions",
      "''",
      " AND marking_state IN ('not_marked', 'in_review') AND open = 0",
    ),
    review_ms: part(
      "review_ms",
      "bootcamp_submissions",
      "''",
      ` AND marking_state = 'released' AND ${reviewMs("")} IS NOT NULL`,
      `sum(${reviewMs("")})`,
    ),
    certificates_valid: part("certificates_valid", "bootcamp_certificates", "''", " AND revoked_at IS NULL"),
  };
};

/** What task_due_counts should hold: open tasks with a due date, per project and for the whole tenant ('') . */
const expectedDueCounts = () => `
  SELECT tenant_id, project_id, CASE WHEN due_date < (SELECT rolled_before FROM counter_rollup WHERE id = 1)
      THEN '' ELSE due_date END AS day, count(*) AS n
  FROM (SELECT tenant_id, project_id, due_date FROM tasks
          WHERE ${ofTenant()} AND status <> 'done' AND due_date IS NOT NULL
        UNION ALL SELECT tenant_id, '', due_date FROM tasks
          WHERE ${ofTenant()} AND status <> 'done' AND due_date IS NOT NULL)
  GROUP BY tenant_id, project_id, day`;

/** Each project's open flag, and its last activity as far as the rows tell (a task deleted since is not). */
const expectedProjectStats = () => `
  SELECT p.tenant_id, p.id, p.status IN ('planned', 'active', 'on_hold') AS open,
    max(p.updated_at, coalesce((SELECT max(k.updated_at) FROM tasks k
      WHERE k.tenant_id = p.tenant_id AND k.project_id = p.id), '')) AS last
  FROM projects p WHERE ${ofTenant("p.")}`;

export type CounterDrift = { table: string; row: string; stored: string | null; expected: string | null };

/**
 * The counters that differ from a recount, for one tenant or all (tenantId null; only then agency_counts, a
 * recount over the active tenants). A project's last activity may be later than its rows say (a task deleted
 * since counts as activity), never earlier.
 */
export async function counterDrift({
  db,
  tenantId = null,
}: {
  db: D1Database;
  tenantId?: string | null;
}): Promise<CounterDrift[]> {
  type Row = { k: string; v: string };
  const counted = "tenant_id || ' ' || entity || ' ' || field || '=' || value";
  const sums = "n || '/' || sum_a || '/' || sum_b";
  const bootcampKey = "tenant_id || ' ' || field || '=' || value";
  const stored = [
    `SELECT ${counted} AS k, ${sums} AS v FROM record_counts
     WHERE ${ofTenant()} AND (n <> 0 OR sum_a <> 0 OR sum_b <> 0)`,
    `SELECT tenant_id || ' ' || project_id || ' ' || due_date AS k, n AS v FROM task_due_counts
     WHERE ${ofTenant()} AND n <> 0`,
    `SELECT tenant_id || ' ' || project_id AS k, is_open || ' ' || last_activity AS v FROM project_stats
     WHERE ${ofTenant()}`,
    `SELECT ${bootcampKey} AS k, n || '/' || sum_a AS v FROM bootcamp_counts
     WHERE ${ofTenant()} AND (n <> 0 OR sum_a <> 0)`,
    `SELECT tenant_id || ' ' || project_id || ' ' || day AS k, n AS v FROM (${expectedDueCounts()})`,
    `SELECT tenant_id || ' ' || id AS k, open || ' ' || last AS v FROM (${expectedProjectStats()})`,
  ];
  const recordWant = expectedRecordCounts().map(
    ({ sql }) => `SELECT ${counted} AS k, ${sums} AS v FROM (${sql})`,
  );
  // agency_counts is global: checked when every tenant is (tenantId null)
  const agencyKey = "entity || ' ' || field || '=' || value";
  const agencyStored =
    tenantId === null
      ? [
          `SELECT ${agencyKey} AS k, ${sums} AS v FROM agency_counts
           WHERE ?1 IS NULL AND (n <> 0 OR sum_a <> 0 OR sum_b <> 0)`,
        ]
      : [];
  const agencyWant =
    tenantId === null
      ? expectedAgencyCounts().map((sql) => `SELECT ${agencyKey} AS k, ${sums} AS v FROM (${sql})`)
      : [];
  const bootcampWant = Object.values(expectedBootcampCounts()).map(
    (sql) => `SELECT ${bootcampKey} AS k, n || '/' || sum_a AS v FROM (${sql})`,
  );
  const results = await db.batch<Row>(
    [...stored, ...recordWant, ...bootcampWant, ...agencyStored, ...agencyWant].map((sql) =>
      db.prepare(sql).bind(tenantId),
    ),
  );
  const [counts, due, stats, bootcampCounts, dueWant, statsWant] = results;
  let at = stored.length;
  const take = (n: number) => {
    const part = results.slice(at, at + n);
    at += n;
    return part;
  };
  const countsWant = take(recordWant.length);
  const bootcampCountsWant = take(bootcampWant.length);
  const agencyCounts = take(agencyStored.length);
  const agencyCountsWant = take(agencyWant.length);
  const map = (results: (D1Result<Row> | undefined)[]) =>
    new Map(results.flatMap((r) => r?.results ?? []).map((r) => [r.k, String(r.v)] as const));
  const diff = (
    table: string,
    stored: Map<string, string>,
    expected: Map<string, string>,
    same = (a: string, b: string) => a === b,
  ): CounterDrift[] =>
    [...new Set([...stored.keys(), ...expected.keys()])].sort().flatMap((row) => {
      const a = stored.get(row) ?? null;
      const b = expected.get(row) ?? null;
      return a !== null && b !== null && same(a, b) ? [] : [{ table, row, stored: a, expected: b }];
    });
  // last activity: stored "open time" may be later than the rows' (a deletion is activity), never earlier
  const laterOrSame = (a: string, b: string) => {
    const [openA, atA = ""] = a.split(" ");
    const [openB, atB = ""] = b.split(" ");
    return openA === openB && atA >= atB;
  };
  return [
    ...diff("record_counts", map([counts]), map(countsWant)),
    ...diff("task_due_counts", map([due]), map([dueWant])),
    ...diff("project_stats", map([stats]), map([statsWant]), laterOrSame),
    ...diff("bootcamp_counts", map([bootcampCounts]), map(bootcampCountsWant)),
    ...(tenantId === null ? diff("agency_counts", map(agencyCounts), map(agencyCountsWant)) : []),
  ];
}

/**
 * Recomputes every counter of one tenant (or of all) from the rows, in one batch: the repair command. A
 * project's last activity keeps the later of its stored value and what the rows say. agency_counts (global) is
 * recomputed from record_counts in both cases; its drift is reported only when every tenant is checked.
 */
export async function repairCounters({
  db,
  tenantId = null,
}: {
  db: D1Database;
  tenantId?: string | null;
}): Promise<{ drift: CounterDrift[] }> {
  const drift = await counterDrift({ db, tenantId });
  await db.batch([
    db.prepare(`DELETE FROM record_counts WHERE ${ofTenant()}`).bind(tenantId),
    ...expectedRecordCounts().map(({ sql }) =>
      db
        .prepare(`INSERT INTO record_counts (tenant_id, entity, field, value, n, sum_a, sum_b) ${sql}`)
        .bind(tenantId),
    ),
    db.prepare(`DELETE FROM task_due_counts WHERE ${ofTenant()}`).bind(tenantId),
    db
      .prepare(`INSERT INTO task_due_counts (tenant_id, project_id, due_date, n) ${expectedDueCounts()}`)
      .bind(tenantId),
    db
      .prepare(
        `INSERT INTO project_stats (tenant_id, project_id, is_open, last_activity) ${expectedProjectStats()}
         ON CONFLICT (tenant_id, project_id) DO UPDATE
           SET is_open = excluded.is_open, last_activity = max(last_activity, excluded.last_activity)`,
      )
      .bind(tenantId),
    db.prepare(`DELETE FROM bootcamp_counts WHERE ${ofTenant()}`).bind(tenantId),
    ...Object.values(expectedBootcampCounts()).map((sql) =>
      db.prepare(`INSERT INTO bootcamp_counts (tenant_id, field, value, n, sum_a) ${sql}`).bind(tenantId),
    ),
    // global: recomputed whole from record_counts (just rebuilt), whichever tenant was repaired
    db.prepare("DELETE FROM agency_counts"),
    db.prepare(agencyFromRecordCounts()),
  ]);
  return { drift };
}

/**
 * The scheduled roll-up: open tasks due before `today` (YYYY-MM-DD) move into each project's '' row, so that
 * "overdue" reads the '' row and the days since the last roll-up. One batch; the triggers read the new day.
 */
export async function rollupDueCounts({ db, today }: { db: D1Database; today: string }): Promise<boolean> {
  const at = await db
    .prepare("SELECT rolled_before FROM counter_rollup WHERE id = 1")
    .first<{ rolled_before: string }>();
  if (at && at.rolled_before >= today) return false; // already rolled today: one row read per run
  await db.batch([
    db
      .prepare(
        `INSERT INTO task_due_counts (tenant_id, project_id, due_date, n)
         SELECT tenant_id, project_id, '', sum(n) FROM task_due_counts
         WHERE due_date > '' AND due_date < ?1 GROUP BY tenant_id, project_id
         ON CONFLICT (tenant_id, project_id, due_date) DO UPDATE SET n = n + excluded.n`,
      )
      .bind(today),
    db.prepare("DELETE FROM task_due_counts WHERE due_date > '' AND due_date < ?1").bind(today),
    db.prepare("UPDATE counter_rollup SET rolled_before = ?1 WHERE id = 1").bind(today),
  ]);
  return true;
}
