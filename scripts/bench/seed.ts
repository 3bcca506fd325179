/**
 * Bulk seeding for the bench: whole tables in a few statements (INSERT … SELECT over a recursive CTE, in
 * chunks), so a million rows take seconds, not an hour of single inserts. Ids are UUID-shaped and derived
 * from (tenant index, kind, row number); rows are inserted tenant after tenant, so a tenant seeded last has
 * all its rows at the end of each table. The read counters' triggers (migrations/0010) fire on every row of
 * clients, projects, tasks, leads and notes, as they do in production.
 *
 * Every tenant gets, for `tasksPerTenant` tasks, one twentieth as many (a "side" each) of:
 *  - crm: clients, projects, leads, one note per lead, audit rows (tasks.create);
 *  - portal (migrations/0006): documents (half client-facing, a third with a second version), their versions,
 *    file requests, an approval per client-facing document, messages (seq 1…n), portal audit rows (documents,
 *    file_requests, approvals; the actions of portal/activity.ts), the read markers of users 1 and 2 (the last 5
 *    messages unread) and the tenant's three counters;
 *  - intake (migrations/0007): an intake per lead (in the tenant itself: project_tenant_id is the tenant), five
 *    phases per project for the first fifth of the projects, a proposal per project (the unique index);
 *  - bootcamp (migrations/0008), in the same tenants (its tables are tenant-owned like any other; the reads
 *    run in whatever tenant they are given): a course per 50 of the side, each with 4 modules of 5 lessons,
 *    3 assignments and 2 cohorts taught by user 1; a side of enrolments (applied, invited, active, completed,
 *    withdrawn in turn; user 2 holds the 3rd and 4th), 5 lessons of progress and 2 submissions per active or
 *    completed enrolment, a certificate per completed one.
 * Portal, intake and bootcamp rows name users 1 (the agency side) and 2 (the client): the scale bench creates
 * them first; callers without them seed `areas: ["crm"]` only.
 */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** Rows per INSERT … SELECT: each fires the counters' and the search index's triggers; at 50,000 the local D1
 * reset its connection while seeding 1M tasks on a busy machine. */
const CHUNK = 10_000;

/** A valid tenant id (FP-YYYY-XXXXXXXXX) for a tenant index. */
export function benchTenantId(index: number): string {
  let s = "";
  let n = index;
  for (let i = 0; i < 7; i++) {
    s = (ALPHABET[n % 32] as string) + s;
    n = Math.floor(n / 32);
  }
  return `FP-2026-BN${s}`;
}

const uuidSql = (kind: number, rowExpr: string) =>
  `printf('%08x-%04x-4000-8000-%012x', ?1, ${kind}, ${rowExpr})`;

/** Id kinds (the second group of the UUID), one per table or row family. */
const K = {
  tasks: 1,
  projects: 2,
  clients: 3,
  leads: 4,
  audit: 5,
  notes: 6,
  documents: 7,
  version1: 8,
  version2: 9,
  fileRequests: 10,
  approvals: 11,
  messages: 12,
  portalAudit: 13,
  intakes: 14,
  projectPhases: 15,
  proposals: 16,
  courses: 17,
  modules: 18,
  lessons: 19,
  assignments: 20,
  cohorts: 21,
  cohortInstructors: 22,
  enrolments: 23,
  progress: 24,
  submissions: 25,
} as const;

export type SeedArea = "crm" | "portal" | "intake" | "bootcamp";
export const seedAreas: readonly SeedArea[] = ["crm", "portal", "intake", "bootcamp"];

export type SeedCounts = {
  // crm
  clients: number;
  projects: number;
  tasks: number;
  leads: number;
  notes: number;
  audit: number;
  // portal
  documents: number;
  documentVersions: number;
  fileRequests: number;
  approvals: number;
  messages: number;
  messageReads: number;
  tenantCounters: number;
  portalAudit: number;
  // intake
  intakes: number;
  projectPhases: number;
  proposals: number;
  // bootcamp
  courses: number;
  modules: number;
  lessons: number;
  assignments: number;
  cohorts: number;
  cohortInstructors: number;
  enrolments: number;
  progress: number;
  submissions: number;
  certificates: number;
};

/** How many i in [0, n) have i % m === r. */
const withRemainder = (n: number, m: number, r: number) => (n > r ? Math.floor((n - 1 - r) / m) + 1 : 0);

/** Rows seeded per tenant (see the module's comment), every table counted. */
export function countsFor(tasksPerTenant: number): SeedCounts {
  const side = Math.max(1, Math.round(tasksPerTenant / 20));
  const courses = Math.max(1, Math.round(side / 50));
  // enrolment e is active when e % 5 = 2, completed when e % 5 = 3
  const learning = withRemainder(side, 5, 2) + withRemainder(side, 5, 3);
  return {
    clients: side,
    projects: side,
    tasks: tasksPerTenant,
    leads: side,
    notes: side,
    audit: side,
    documents: side,
    documentVersions: side + withRemainder(side, 3, 0),
    fileRequests: side,
    approvals: withRemainder(side, 2, 0),
    messages: side,
    messageReads: 2,
    tenantCounters: 3,
    portalAudit: side,
    intakes: side,
    projectPhases: side,
    proposals: side,
    courses,
    modules: courses * 4,
    lessons: courses * 20,
    assignments: courses * 3,
    cohorts: courses * 2,
    cohortInstructors: courses * 2,
    enrolments: side,
    progress: learning * 5,
    submissions: learning * 2,
    certificates: withRemainder(side, 5, 3),
  };
}

/** The rows of one area in a SeedCounts. */
export function areaRows(c: SeedCounts, area: SeedArea): number {
  const pick: Record<SeedArea, Array<keyof SeedCounts>> = {
    crm: ["clients", "projects", "tasks", "leads", "notes", "audit"],
    portal: [
      "documents",
      "documentVersions",
      "fileRequests",
      "approvals",
      "messages",
      "messageReads",
      "tenantCounters",
      "portalAudit",
    ],
    intake: ["intakes", "projectPhases", "proposals"],
    bootcamp: [
      "courses",
      "modules",
      "lessons",
      "assignments",
      "cohorts",
      "cohortInstructors",
      "enrolments",
      "progress",
      "submissions",
      "certificates",
    ],
  };
  return pick[area].reduce((sum, k) => sum + c[k], 0);
}

async function chunked(total: number, run: (from: number, to: number) => Promise<unknown>) {
  for (let from = 0; from < total; from += CHUNK) await run(from, Math.min(total, from + CHUNK) - 1);
}

// D1 binds every JS number as a REAL: the row numbers are cast, so that names read 'Task 12', not 'Task 12.0'
const seq =
  "WITH RECURSIVE seq(i) AS (SELECT CAST(?2 AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i < ?3)";
/** An ISO timestamp `n` `unit` after 2025-01-01 (n a SQL expression). */
const at = (n: string, unit = "minutes") =>
  `strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (${n}) || ' ${unit}')`;

type Step = { total: number; sql: string; binds?: unknown[] };

export async function seedTenants(
  db: D1Database,
  opts: {
    tenants?: number;
    tenantIds?: string[];
    tasksPerTenant: number;
    base: number;
    /** What to seed (default: every area). */
    areas?: readonly SeedArea[];
    /** Seconds spent per area, added to as the tenants are seeded. */
    seconds?: Partial<Record<SeedArea, number>>;
  },
): Promise<string[]> {
  const ids =
    opts.tenantIds ?? Array.from({ length: opts.tenants ?? 1 }, (_, i) => benchTenantId(opts.base + i));
  const areas = new Set(opts.areas ?? seedAreas);
  const c = countsFor(opts.tasksPerTenant);
  for (const [j, tenantId] of ids.entries()) {
    const t = opts.base + j;
    if (!opts.tenantIds) {
      await db
        .prepare(
          "INSERT INTO tenants (id, name, subdomain, kind, status) VALUES (?, ?, ?, 'project', 'active')",
        )
        .bind(tenantId, `Bench tenant ${t}`, `bench-${t}`)
        .run();
    }
    // ?1 tenant index (ids), ?2..?3 the chunk's rows, ?4 tenant id, ?5… each step's own binds
    const run = async (area: SeedArea, steps: Step[], after?: () => Promise<unknown>) => {
      if (!areas.has(area)) return;
      const t0 = performance.now();
      for (const s of steps)
        await chunked(s.total, (a, b) =>
          db
            .prepare(s.sql)
            .bind(t, a, b, tenantId, ...(s.binds ?? []))
            .run(),
        );
      await after?.();
      if (opts.seconds) opts.seconds[area] = (opts.seconds[area] ?? 0) + (performance.now() - t0) / 1000;
    };
    await run("crm", crmSteps(c));
    await run("portal", portalSteps(c), () =>
      db.batch([
        db
          .prepare(`INSERT INTO message_reads (tenant_id, user_id, last_seq) VALUES (?1, 1, ?2), (?1, 2, ?2)`)
          .bind(tenantId, Math.max(0, c.messages - 5)),
        db
          .prepare(
            `INSERT INTO tenant_counters (tenant_id, metric, value)
             SELECT ?1, 'storage_bytes', coalesce(sum(size_bytes), 0) FROM document_versions WHERE tenant_id = ?1
             UNION ALL SELECT ?1, 'downloads', ?2 UNION ALL SELECT ?1, 'messages', ?3`,
          )
          .bind(tenantId, c.documents * 3, c.messages),
      ]),
    );
    await run("intake", intakeSteps(c));
    await run("bootcamp", bootcampSteps(c));
  }
  return ids;
}

function crmSteps(c: SeedCounts): Step[] {
  return [
    {
      total: c.clients,
      sql: `${seq} INSERT INTO clients (id, tenant_id, kind, name, email, created_at, updated_at)
           SELECT ${uuidSql(K.clients, "i")}, ?4, 'organization', 'Client ' || i, 'client' || i || '@bench.test',
             ${at("i")}, ${at("i")} FROM seq`,
    },
    {
      total: c.projects,
      binds: [c.clients],
      sql: `${seq} INSERT INTO projects (id, tenant_id, client_id, name, status, phase, budget_cents, created_at, updated_at)
           SELECT ${uuidSql(K.projects, "i")}, ?4, ${uuidSql(K.clients, "i % ?5")}, 'Project ' || i,
             CASE i % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'planned' ELSE 'completed' END, 'build', 100000 + i,
             ${at("i")}, ${at("i")} FROM seq`,
    },
    {
      total: c.tasks,
      binds: [c.projects],
      sql: `${seq} INSERT INTO tasks (id, tenant_id, project_id, title, status, priority, due_date, created_at, updated_at)
           SELECT ${uuidSql(K.tasks, "i")}, ?4, ${uuidSql(K.projects, "i % ?5")}, 'Task ' || i,
             CASE i % 4 WHEN 0 THEN 'todo' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'review' ELSE 'done' END,
             CASE i % 3 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' ELSE 'high' END,
             date('2026-01-01', '+' || (i % 365) || ' days'), ${at("i", "seconds")}, ${at("i", "seconds")} FROM seq`,
    },
    {
      total: c.leads,
      binds: [c.clients],
      sql: `${seq} INSERT INTO leads (id, tenant_id, client_id, title, stage, value_cents, created_at, updated_at)
           SELECT ${uuidSql(K.leads, "i")}, ?4, ${uuidSql(K.clients, "i % ?5")}, 'Lead ' || i,
             CASE i % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'qualified' WHEN 2 THEN 'proposal' WHEN 3 THEN 'won' ELSE 'lost' END,
             1000 * i, ${at("i")}, ${at("i")} FROM seq`,
    },
    // notes (migrations/0009): one per lead, on that lead and one of the clients
    {
      total: c.notes,
      binds: [c.clients],
      sql: `${seq} INSERT INTO notes (id, tenant_id, client_id, lead_id, body, created_at, updated_at)
           SELECT ${uuidSql(K.notes, "i")}, ?4, ${uuidSql(K.clients, "i % ?5")}, ${uuidSql(K.leads, "i")}, 'Note ' || i,
             ${at("i")}, ${at("i")} FROM seq`,
    },
    {
      total: c.audit,
      sql: `${seq} INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, created_at)
           SELECT ${uuidSql(K.audit, "i")}, ?4, 'system', 'bench', 'tasks.create', 'tasks', ${uuidSql(K.tasks, "i")},
             ${at("i")} FROM seq`,
    },
  ];
}

function portalSteps(c: SeedCounts): Step[] {
  // document i: client-facing when i is even, a second version when i % 3 = 0 (its current one)
  const currentVersion = `CASE WHEN i % 3 = 0 THEN ${uuidSql(K.version2, "i")} ELSE ${uuidSql(K.version1, "i")} END`;
  const sha = (version: number, row = "i") => `printf('%032x%032x', ${row}, ${version})`;
  const docTitle = (row: string) => `'Document ' || (${row})`;
  // portal audit row i: on a document, a file request or an approval in turn (k = i / 3 picks which one)
  const k = "(i / 3)";
  return [
    {
      total: c.documents,
      sql: `${seq} INSERT INTO documents (id, tenant_id, title, visibility, current_version, created_by, created_at, updated_at)
           SELECT ${uuidSql(K.documents, "i")}, ?4, ${docTitle("i")}, CASE i % 2 WHEN 0 THEN 'client' ELSE 'internal' END,
             CASE i % 3 WHEN 0 THEN 2 ELSE 1 END, 1, ${at("i")}, ${at("i + 30")} FROM seq`,
    },
    ...[1, 2].map(
      (version): Step => ({
        total: c.documents,
        sql: `${seq} INSERT INTO document_versions (id, tenant_id, document_id, version, file_name, mime_type, size_bytes, sha256, r2_key, uploaded_by, created_at)
           SELECT ${uuidSql(version === 1 ? K.version1 : K.version2, "i")}, ?4, ${uuidSql(K.documents, "i")}, ${version},
             'document-' || i || '-v${version}.pdf', 'application/pdf', 10000 + i, ${sha(version)},
             'tenants/' || ?4 || '/documents/' || ${uuidSql(K.documents, "i")} || '/' || ${uuidSql(version === 1 ? K.version1 : K.version2, "i")},
             1, ${at(version === 1 ? "i" : "i + 30")} FROM seq${version === 2 ? " WHERE i % 3 = 0" : ""}`,
      }),
    ),
    {
      total: c.fileRequests,
      binds: [c.documents],
      sql: `${seq} INSERT INTO file_requests (id, tenant_id, title, description, due_date, status, document_id, requested_by, created_at, updated_at)
           SELECT ${uuidSql(K.fileRequests, "i")}, ?4, 'Request ' || i, 'Please send file ' || i,
             date('2026-05-01', '+' || (i % 90) || ' days'),
             CASE i % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'submitted' WHEN 2 THEN 'accepted' ELSE 'changes_requested' END,
             CASE WHEN i % 4 IN (1, 2) THEN ${uuidSql(K.documents, "i % ?5")} END, 1, ${at("i")}, ${at("i")} FROM seq`,
    },
    // one approval per client-facing document (i even), of its current version; approval id row = document row
    {
      total: c.documents,
      sql: `${seq} INSERT INTO approvals (id, tenant_id, document_id, version_id, version, sha256, status, comment, requested_by, decided_by, decided_at, created_at)
           SELECT ${uuidSql(K.approvals, "i")}, ?4, ${uuidSql(K.documents, "i")}, ${currentVersion},
             CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 3 = 0 THEN ${sha(2)} ELSE ${sha(1)} END,
             CASE (i / 2) % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'approved' ELSE 'changes_requested' END,
             CASE (i / 2) % 3 WHEN 2 THEN 'Please change page ' || i END, 1,
             CASE WHEN (i / 2) % 3 > 0 THEN 2 END, CASE WHEN (i / 2) % 3 > 0 THEN ${at("i + 60")} END,
             ${at("i + 31")} FROM seq WHERE i % 2 = 0`,
    },
    {
      total: c.messages,
      sql: `${seq} INSERT INTO messages (id, tenant_id, seq, author_id, author_name, author_side, body, created_at)
           SELECT ${uuidSql(K.messages, "i")}, ?4, i + 1, CASE i % 2 WHEN 0 THEN 1 ELSE 2 END,
             CASE i % 2 WHEN 0 THEN 'PM' ELSE 'Client' END, CASE i % 2 WHEN 0 THEN 'agency' ELSE 'client' END,
             'Message ' || i, ${at("i")} FROM seq`,
    },
    {
      total: c.portalAudit,
      binds: [c.documents, c.fileRequests, c.approvals],
      sql: `${seq} INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
           SELECT ${uuidSql(K.portalAudit, "i")}, ?4, 'user', CASE i % 2 WHEN 0 THEN '1' ELSE '2' END,
             CASE i % 3
               WHEN 0 THEN 'document.upload'
               WHEN 1 THEN CASE ${k} % 4 WHEN 0 THEN 'request.create' WHEN 1 THEN 'request.submit' WHEN 2 THEN 'request.accept' ELSE 'request.changes' END
               ELSE CASE ${k} % 3 WHEN 0 THEN 'approval.request' WHEN 1 THEN 'approval.approve' ELSE 'approval.changes' END
             END,
             CASE i % 3 WHEN 0 THEN 'documents' WHEN 1 THEN 'file_requests' ELSE 'approvals' END,
             CASE i % 3
               WHEN 0 THEN ${uuidSql(K.documents, `${k} % ?5`)}
               WHEN 1 THEN ${uuidSql(K.fileRequests, `${k} % ?6`)}
               ELSE ${uuidSql(K.approvals, `2 * (${k} % ?7)`)}
             END,
             json_object('title', CASE i % 3
                 WHEN 0 THEN ${docTitle(`${k} % ?5`)}
                 WHEN 1 THEN 'Request ' || (${k} % ?6)
                 ELSE ${docTitle(`2 * (${k} % ?7)`)} END,
               'visibility', CASE WHEN i % 3 = 0 AND (${k} % ?5) % 2 = 1 THEN 'internal' ELSE 'client' END),
             ${at("i + 1")} FROM seq`,
    },
  ];
}

function intakeSteps(c: SeedCounts): Step[] {
  return [
    // in the agency workspace an intake sits next to its lead and names the project tenant it provisioned:
    // here the tenant's own leads, and the tenant itself as the project tenant
    {
      total: c.intakes,
      sql: `${seq} INSERT INTO intakes (id, tenant_id, lead_id, project_tenant_id, idempotency_key, payload_hash, locale, email, answers, analysis, analyser, pm_user_id, created_at)
           SELECT ${uuidSql(K.intakes, "i")}, ?4, ${uuidSql(K.leads, "i")}, ?4,
             'bench-intake-' || printf('%08x-%012x', ?1, i), printf('%064x', i), CASE i % 2 WHEN 0 THEN 'fr' ELSE 'en' END,
             'intake' || i || '@bench.test', json_object('company', 'Company ' || i, 'budget', 1000 * i),
             json_object('summary', 'Intake ' || i), 'builtin', 1, ${at("i")} FROM seq`,
    },
    // five phases for each of the first fifth of the projects
    {
      total: c.projectPhases,
      sql: `${seq} INSERT INTO project_phases (id, tenant_id, project_id, position, phase, name, effort_days, created_at)
           SELECT ${uuidSql(K.projectPhases, "i")}, ?4, ${uuidSql(K.projects, "i / 5")}, i % 5,
             CASE i % 5 WHEN 0 THEN 'discovery' WHEN 1 THEN 'design' WHEN 2 THEN 'build' WHEN 3 THEN 'launch' ELSE 'support' END,
             'Phase ' || (i % 5 + 1), 5 + i % 10, ${at("i")} FROM seq`,
    },
    // one proposal per project (idx_unique_proposals_tenant_id_project_id)
    {
      total: c.proposals,
      sql: `${seq} INSERT INTO proposals (id, tenant_id, project_id, status, locale, currency, title, summary, items, assumptions, total_cents, valid_until, version, sent_at, created_at, updated_at)
           SELECT ${uuidSql(K.proposals, "i")}, ?4, ${uuidSql(K.projects, "i")},
             CASE i % 4 WHEN 0 THEN 'sent' WHEN 1 THEN 'draft' WHEN 2 THEN 'accepted' ELSE 'changes_requested' END,
             'fr', 'EUR', 'Proposal ' || i, 'Summary ' || i,
             json_array(json_object('label', 'Build', 'quantity', 1, 'unit_cents', 100000 + i)), json_array('Hosting not included'),
             100000 + i, '2026-07-01', 1, CASE WHEN i % 4 <> 1 THEN ${at("i + 10")} END, ${at("i")}, ${at("i + 10")} FROM seq`,
    },
  ];
}

function bootcampSteps(c: SeedCounts): Step[] {
  // course n has modules 4n…4n+3, lessons 20n…20n+19 (5 per module), assignments 3n…3n+2, cohorts 2n and 2n+1;
  // enrolment e is in cohort e % cohorts, so of course (e % cohorts) / 2
  const courseOf = (e: string) => `((${e}) % ?5 / 2)`;
  const learning = (e: string) => `(${e}) % 5 IN (2, 3)`;
  return [
    {
      total: c.courses,
      sql: `${seq} INSERT INTO bootcamp_courses (id, tenant_id, slug, title, summary, language, level, status, position, created_at, updated_at)
           SELECT ${uuidSql(K.courses, "i")}, ?4, 'course-' || i, 'Course ' || i, 'What course ' || i || ' teaches',
             CASE i % 2 WHEN 0 THEN 'fr' ELSE 'en' END,
             CASE i % 3 WHEN 0 THEN 'beginner' WHEN 1 THEN 'intermediate' ELSE 'advanced' END,
             CASE WHEN i % 4 = 3 THEN 'draft' ELSE 'published' END, i, ${at("i")}, ${at("i")} FROM seq`,
    },
    {
      total: c.modules,
      sql: `${seq} INSERT INTO bootcamp_modules (id, tenant_id, course_id, title, position, created_at)
           SELECT ${uuidSql(K.modules, "i")}, ?4, ${uuidSql(K.courses, "i / 4")}, 'Module ' || i, i % 4, ${at("i")} FROM seq`,
    },
    {
      total: c.lessons,
      sql: `${seq} INSERT INTO bootcamp_lessons (id, tenant_id, course_id, module_id, title, body_md, position, release_offset_days, created_at, updated_at)
           SELECT ${uuidSql(K.lessons, "i")}, ?4, ${uuidSql(K.courses, "i / 20")}, ${uuidSql(K.modules, "i / 5")},
             'Lesson ' || i, '# Lesson ' || i || char(10) || 'Read this.', i % 20, (i % 20) * 2, ${at("i")}, ${at("i")} FROM seq`,
    },
    {
      total: c.assignments,
      sql: `${seq} INSERT INTO bootcamp_assignments (id, tenant_id, course_id, title, brief_md, due_offset_days, rubric, position, created_at, updated_at)
           SELECT ${uuidSql(K.assignments, "i")}, ?4, ${uuidSql(K.courses, "i / 3")}, 'Assignment ' || i, 'Make ' || i,
             7 * (i % 3 + 1), json_array(json_object('criterion', 'Clarity', 'points', 10)), i % 3, ${at("i")}, ${at("i")} FROM seq`,
    },
    {
      total: c.cohorts,
      sql: `${seq} INSERT INTO bootcamp_cohorts (id, tenant_id, course_id, name, start_date, end_date, seats, status, created_at)
           SELECT ${uuidSql(K.cohorts, "i")}, ?4, ${uuidSql(K.courses, "i / 2")}, 'Cohort ' || i,
             date('2025-09-01', '+' || (i * 7 % 300) || ' days'), date('2025-09-01', '+' || (i * 7 % 300 + 90) || ' days'),
             30, CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'closed' ELSE 'draft' END, ${at("i")} FROM seq`,
    },
    {
      total: c.cohortInstructors,
      sql: `${seq} INSERT INTO bootcamp_cohort_instructors (id, tenant_id, cohort_id, user_id)
           SELECT ${uuidSql(K.cohortInstructors, "i")}, ?4, ${uuidSql(K.cohorts, "i")}, 1 FROM seq`,
    },
    {
      total: c.enrolments,
      binds: [c.cohorts],
      sql: `${seq} INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, user_id, status, motivation, invited_at, joined_at, completed_at, created_at)
           SELECT ${uuidSql(K.enrolments, "i")}, ?4, ${uuidSql(K.cohorts, "i % ?5")}, 'learner' || i || '@bench.test',
             'Learner ' || i, CASE WHEN i IN (2, 3) THEN 2 END,
             CASE i % 5 WHEN 0 THEN 'applied' WHEN 1 THEN 'invited' WHEN 2 THEN 'active' WHEN 3 THEN 'completed' ELSE 'withdrawn' END,
             'Motivation ' || i, CASE WHEN i % 5 > 0 THEN ${at("i + 1", "hours")} END,
             CASE WHEN ${learning("i")} THEN ${at("i + 2", "hours")} END,
             CASE WHEN i % 5 = 3 THEN ${at("i + 900", "hours")} END, ${at("i", "hours")} FROM seq`,
    },
    // progress: lessons 0…4 of its course for each active or completed enrolment (row j: enrolment j / 5)
    {
      total: c.enrolments * 5,
      binds: [c.cohorts],
      sql: `${seq} INSERT INTO bootcamp_progress (id, tenant_id, enrolment_id, lesson_id, completed_at)
           SELECT ${uuidSql(K.progress, "i")}, ?4, ${uuidSql(K.enrolments, "i / 5")},
             ${uuidSql(K.lessons, `${courseOf("i / 5")} * 20 + i % 5`)}, ${at("i / 5 + 24 + i % 5", "hours")}
           FROM seq WHERE ${learning("i / 5")}`,
    },
    // submissions: assignments 0 and 1 of its course for each active or completed enrolment (row j: enrolment j / 2)
    {
      total: c.enrolments * 2,
      binds: [c.cohorts],
      sql: `${seq} INSERT INTO bootcamp_submissions (id, tenant_id, assignment_id, enrolment_id, kind, url, note, attempt, open, marking_state, scores, feedback, reviewer_id, submitted_at, review_started_at, released_at)
           SELECT ${uuidSql(K.submissions, "i")}, ?4, ${uuidSql(K.assignments, `${courseOf("i / 2")} * 3 + i % 2`)},
             ${uuidSql(K.enrolments, "i / 2")}, 'link', 'https://work.bench.test/' || i, 'Submission ' || i, 1, 0,
             CASE i % 3 WHEN 0 THEN 'not_marked' WHEN 1 THEN 'in_review' ELSE 'released' END,
             CASE WHEN i % 3 = 2 THEN json_array(8) END, CASE WHEN i % 3 = 2 THEN 'Good work' END,
             CASE WHEN i % 3 > 0 THEN 1 END, ${at("i / 2 + 48", "hours")},
             CASE WHEN i % 3 > 0 THEN ${at("i / 2 + 60", "hours")} END,
             CASE WHEN i % 3 = 2 THEN ${at("i / 2 + 72", "hours")} END
           FROM seq WHERE ${learning("i / 2")}`,
    },
    // a certificate per completed enrolment (its id: FPC- and 24 characters)
    {
      total: c.enrolments,
      binds: [c.cohorts],
      sql: `${seq} INSERT INTO bootcamp_certificates (id, tenant_id, enrolment_id, holder_name, course_title, issued_at)
           SELECT 'FPC-' || printf('%08X%016X', ?1, i), ?4, ${uuidSql(K.enrolments, "i")}, 'Learner ' || i,
             'Course ' || ${courseOf("i")}, ${at("i + 900", "hours")} FROM seq WHERE i % 5 = 3`,
    },
  ];
}
