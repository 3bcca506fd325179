/**
 * Cost as data grows: for each size (tasks; one twentieth as many clients, projects, leads, notes and audit
 * rows, and of the portal's, the intake's and the bootcamp's rows: seed.ts says which) spread over each tenant
 * count, a fresh local D1 (workerd's SQLite through Miniflare) is seeded in bulk with the measured tenant
 * seeded last (its rows at the end of every table), then the scheduled roll-up of the due-date counters runs
 * once, as the daily cron does. Every domain read runs once against it through a recording D1; each SELECT it
 * sent is then explained (EXPLAIN QUERY PLAN) and run again for D1's own `rows_read` and the rows it returned.
 * Goal (the read-cost test's, backend-integration/fataplus-bknd-backend/src/routes/read-costs.test.ts): every
 * statement reads at most ROW_COST × max(1, rows it returned) + FIXED_COST rows and scans no tenant table,
 * flat across sizes for a small tenant among large ones (table A) and for the largest tenant itself (table B).
 */
import {
  COUNT_CAP,
  type CrmCtx,
  type Ctx,
  exposedEntityNames,
  getBootcampOverview,
  getBootcampStats,
  getDashboard,
  getMyBootcamp,
  getPortalCounters,
  getPortalHome,
  getPortalProposal,
  getProjectMetrics,
  getProjectOverview,
  getRecord,
  getReviewQueue,
  isDomainError,
  listAccessibleTenants,
  listApprovals,
  listAssignees,
  listClients,
  listDocuments,
  listFileRequests,
  listLeads,
  listMessages,
  listPortalActivity,
  listProjects,
  listRecords,
  listTokens,
  listViews,
  loadIdentity,
  resolveAccess,
  rollupDueCounts,
  searchEverything,
  tenantOwnedTables,
} from "@fataplus/domain";
import { type Check, finite, memoryD1, table } from "./lib.ts";
import { areaRows, countsFor, type SeedArea, seedAreas, seedTenants } from "./seed.ts";

export type ScaleOptions = { sizes: number[]; tenants: number[] };

const SMALL_TASKS = 100;
/** The bench's "today" (every read's `now`): the scheduled roll-up runs for it after seeding. */
const TODAY = "2026-06-01";
/**
 * The bound of one statement, as the read-cost test holds it (read-costs.test.ts ROW_COST and FIXED_COST):
 * a returned row may cost its own row, its joins and its counters; a statement may add the scope's tenants
 * and per-tenant counters.
 */
const ROW_COST = 12;
const FIXED_COST = 100;
/** A count capped at COUNT_CAP + 1 rows ("plus de 1 000", decision 015): exempt up to the cap, by design. */
const CAPPED_COUNT = /^SELECT count\(\*\) AS \w+ FROM \(SELECT 1 FROM /i;
/** A CRM list's text filter (decision 020): up to 4 × (COUNT_CAP + 1) more, whatever the tenant holds. */
const TEXT_FILTER = /search_fts MATCH/i;
const boundOf = (returned: number, sql = "") =>
  CAPPED_COUNT.test(sql.trim())
    ? COUNT_CAP + 1 + FIXED_COST
    : (TEXT_FILTER.test(sql) ? 4 * (COUNT_CAP + 1) : 0) + ROW_COST * Math.max(1, returned) + FIXED_COST;
const BOUND_RULE = `${ROW_COST} × max(1, rows returned) + ${FIXED_COST}; a count capped at ${COUNT_CAP + 1} rows: ${COUNT_CAP + 1} + ${FIXED_COST}; a CRM text filter (decision 020): 4 × ${COUNT_CAP + 1} more`;

type Recorded = { sql: string; params: unknown[] };

function recording(db: D1Database, log: Recorded[]): D1Database {
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, rec: Recorded): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind")
          return (...params: unknown[]) => {
            const next: Recorded = { sql: rec.sql, params };
            log[log.indexOf(rec)] = next;
            return wrap(target.bind(...params), next);
          };
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    unwrap.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare")
        return (sql: string) => {
          const rec: Recorded = { sql, params: [] };
          log.push(rec);
          return wrap(target.prepare(sql), rec);
        };
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) => target.batch(stmts.map((s) => unwrap.get(s) ?? s));
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

const tenantTable = new RegExp(
  `\\b(?:FROM|JOIN)\\s+"?(${tenantOwnedTables.join("|")}|tenants|users)"?\\b`,
  "i",
);

export type StatementFigure = {
  sql: string;
  rowsRead: number;
  /** rows the statement returned when run again, and its bound from them */
  rowsReturned: number;
  bound: number;
  plan: string[];
  scans: string[];
};
export type ReadFigure = {
  read: string;
  statements: StatementFigure[];
  maxRowsRead: number;
  /** some statement read more than its own bound */
  over: boolean;
};
export type ScaleResult = {
  size: number;
  tenants: number;
  rows: number;
  measuredTenantRows: number;
  /** seeding, every area and both measured tenants; then the roll-up on its own */
  seedSeconds: number;
  seedSecondsByArea: Partial<Record<SeedArea, number>>;
  rollupSeconds: number;
  reads: ReadFigure[];
  smallTenantReads: ReadFigure[];
};

async function measureReads(db: D1Database, measured: string): Promise<ReadFigure[]> {
  // the project manager and the client belong to the measured tenant only
  await db.batch([
    db.prepare("DELETE FROM memberships"),
    db
      .prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, 1, 'project_manager')")
      .bind(measured),
    db.prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, 2, 'client')").bind(measured),
  ]);
  const tenantRow = await db
    .prepare("SELECT id, name, subdomain, kind FROM tenants WHERE id = ?")
    .bind(measured)
    .first<Ctx["tenant"]>();
  if (!tenantRow) throw new Error("measured tenant missing");
  const one = async (entity: string) =>
    (
      await db
        .prepare(`SELECT id FROM ${entity} WHERE tenant_id = ? ORDER BY id DESC LIMIT 1`)
        .bind(measured)
        .first<{ id: string }>()
    )?.id ?? "";
  const projectId = await one("projects");

  const statements: Recorded[] = [];
  const rdb = recording(db, statements);
  const now = () => new Date(`${TODAY}T00:00:00Z`);
  const ctx = (role: Ctx["role"], userId: number, d: D1Database = rdb): Ctx => ({
    db: d,
    tenant: tenantRow,
    role,
    actor: { type: "user", userId, email: "pm@bench.test", agencyRole: "member" },
    now,
  });
  const pmIdentity = await loadIdentity({ db, userId: 1 });
  const staffIdentity = await loadIdentity({ db, userId: 3 });
  if (!pmIdentity || !staffIdentity) throw new Error("identities missing");
  const crm = (identity: typeof pmIdentity): CrmCtx => ({ db: rdb, identity, now });
  const pm = ctx("project_manager", 1);
  const client = ctx("client", 2);
  // the bootcamp's staff outside the bootcamp's tenant: the agency's staff (decision 010), as the read-cost test
  const bootcampStaff: Ctx = {
    ...ctx("admin", 1),
    actor: { type: "user", userId: 1, email: "pm@bench.test", agencyRole: "staff" },
  };
  const notFoundIsFine = (p: Promise<unknown>) =>
    p.catch((e: unknown) => (isDomainError(e) && e.code === "NOT_FOUND" ? null : Promise.reject(e)));
  const reads: Array<[string, () => Promise<unknown>]> = [
    ...exposedEntityNames.map(
      (e) =>
        [`listRecords ${e} (limit 20)`, () => listRecords({ ctx: pm, input: { entity: e, limit: 20 } })] as [
          string,
          () => Promise<unknown>,
        ],
    ),
    [
      "listRecords tasks page 2 (cursor from meta.next)",
      async () => {
        // page 1 through the plain binding: only page 2's statements are measured
        const first = await listRecords({
          ctx: ctx("project_manager", 1, db),
          input: { entity: "tasks", limit: 20 },
        });
        if (!first.meta.next) throw new Error("the tasks list has no page 2");
        return listRecords({ ctx: pm, input: { entity: "tasks", limit: 20, cursor: first.meta.next } });
      },
    ],
    [
      "listRecords tasks, filtered by project and status",
      () =>
        listRecords({
          ctx: pm,
          input: { entity: "tasks", limit: 20, filter: { project_id: projectId, status: "todo" } },
        }),
    ],
    ...exposedEntityNames.map(
      (e) =>
        [`getRecord ${e}`, async () => getRecord({ ctx: pm, input: { entity: e, id: await one(e) } })] as [
          string,
          () => Promise<unknown>,
        ],
    ),
    ['searchEverything "Task 12"', () => searchEverything({ ctx: pm, input: { query: "Task 12" } })],
    ["getProjectMetrics (tenant)", () => getProjectMetrics({ ctx: pm, input: {} })],
    ["getProjectMetrics (one project)", () => getProjectMetrics({ ctx: pm, input: { projectId } })],
    ["getProjectOverview", () => getProjectOverview({ ctx: pm })],
    ["listAssignees", () => listAssignees({ ctx: pm })],
    ["getPortalHome (client)", () => getPortalHome({ ctx: client })],
    ["portal listDocuments (project manager)", () => listDocuments({ ctx: pm })],
    ["portal listFileRequests (client)", () => listFileRequests({ ctx: client })],
    ["portal listApprovals (client)", () => listApprovals({ ctx: client })],
    ["portal listMessages (client)", () => listMessages({ ctx: client })],
    ["portal listPortalActivity (client)", () => listPortalActivity({ ctx: client })],
    ["portal getPortalCounters (project manager)", () => getPortalCounters({ ctx: pm })],
    ["intake getPortalProposal (client)", () => notFoundIsFine(getPortalProposal({ ctx: client }))],
    ["bootcamp getBootcampOverview (staff)", () => getBootcampOverview({ ctx: bootcampStaff })],
    ["bootcamp getBootcampStats (staff)", () => getBootcampStats({ ctx: bootcampStaff })],
    ["bootcamp getReviewQueue (staff)", () => getReviewQueue({ ctx: bootcampStaff, input: {} })],
    ["bootcamp getMyBootcamp (client)", () => getMyBootcamp({ ctx: client })],
    ["CRM listClients (project manager)", () => listClients({ ctx: crm(pmIdentity), input: {} })],
    [
      'CRM listClients q "Client 1" (project manager; capped count)',
      () => listClients({ ctx: crm(pmIdentity), input: { q: "Client 1" } }),
    ],
    ["CRM listLeads (project manager)", () => listLeads({ ctx: crm(pmIdentity), input: {} })],
    ["CRM listProjects (project manager)", () => listProjects({ ctx: crm(pmIdentity), input: {} })],
    [
      "CRM listProjects status=active (project manager)",
      () => listProjects({ ctx: crm(pmIdentity), input: { status: "active" } }),
    ],
    ["CRM getDashboard (project manager)", () => getDashboard({ ctx: crm(pmIdentity) })],
    [
      "CRM listClients (agency staff, all tenants)",
      () => listClients({ ctx: crm(staffIdentity), input: {} }),
    ],
    ["CRM listLeads (agency staff, all tenants)", () => listLeads({ ctx: crm(staffIdentity), input: {} })],
    [
      "CRM listProjects (agency staff, all tenants)",
      () => listProjects({ ctx: crm(staffIdentity), input: {} }),
    ],
    ["CRM getDashboard (agency staff, all tenants)", () => getDashboard({ ctx: crm(staffIdentity) })],
    ["CRM listViews", () => listViews({ ctx: crm(pmIdentity), input: { screen: "tasks" } })],
    ["resolveAccess", () => resolveAccess({ db: rdb, userId: 1, tenantRef: tenantRow.subdomain })],
    ["listAccessibleTenants", () => listAccessibleTenants({ db: rdb, identity: pmIdentity })],
    ["listTokens", () => listTokens({ ctx: crm(pmIdentity) })],
  ];
  const figures: ReadFigure[] = [];
  for (const [name, run] of reads) {
    statements.length = 0;
    try {
      await run();
    } catch (e) {
      throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const figs: StatementFigure[] = [];
    for (const rec of statements) {
      if (!/^\s*(select|with)\b/i.test(rec.sql) || !tenantTable.test(rec.sql)) continue;
      const again = await db
        .prepare(rec.sql)
        .bind(...rec.params)
        .all();
      const plan = await db
        .prepare(`EXPLAIN QUERY PLAN ${rec.sql}`)
        .bind(...rec.params)
        .all<{ detail: string }>();
      const details = plan.results.map((r) => r.detail);
      figs.push({
        sql: rec.sql.replace(/\s+/g, " ").trim(),
        rowsRead: again.meta.rows_read,
        rowsReturned: again.results.length,
        bound: boundOf(again.results.length, rec.sql),
        plan: details,
        scans: details.filter((d) => new RegExp(`^SCAN (${tenantOwnedTables.join("|")})\\b`).test(d)),
      });
    }
    figures.push({
      read: name,
      statements: figs,
      maxRowsRead: Math.max(0, ...figs.map((f) => f.rowsRead)),
      over: figs.some((f) => f.rowsRead > f.bound),
    });
  }
  return figures;
}

export async function benchScale(opts: ScaleOptions) {
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const results: ScaleResult[] = [];
  for (const size of opts.sizes) {
    for (const tenantCount of opts.tenants) {
      const perTenant = Math.max(1, Math.floor(size / tenantCount));
      log(`scale: ${size.toLocaleString("en")} tasks over ${tenantCount} tenant(s): seeding…`);
      const { mf, db } = await memoryD1();
      try {
        const t0 = performance.now();
        // users: a project manager and a client of the measured tenant, agency staff
        await db.batch([
          db.prepare("INSERT INTO users (id, email, role) VALUES (1, 'pm@bench.test', 'member')"),
          db.prepare("INSERT INTO users (id, email, role) VALUES (2, 'client@bench.test', 'member')"),
          db.prepare("INSERT INTO users (id, email, role) VALUES (3, 'staff@bench.test', 'staff')"),
        ]);
        const seconds: Partial<Record<SeedArea, number>> = {};
        const ids = await seedTenants(db, {
          tenants: tenantCount,
          tasksPerTenant: perTenant,
          base: 0,
          seconds,
        });
        // A small tenant (100 tasks) seeded after everything: its reads must not grow with the others' data.
        const [small] = await seedTenants(db, {
          tenants: 1,
          tasksPerTenant: SMALL_TASKS,
          base: 900_000,
          seconds,
        });
        const seedSeconds = (performance.now() - t0) / 1000;
        // the scheduled roll-up (the daily cron in production): open tasks due before today move into each
        // project's '' row of task_due_counts
        const t1 = performance.now();
        await rollupDueCounts({ db, today: TODAY });
        const rollupSeconds = (performance.now() - t1) / 1000;
        const counts = countsFor(perTenant);
        const sum = (c: typeof counts) => Object.values(c).reduce((a, b) => a + b, 0);
        // every row seeded: the layout's tenants and the small one
        const rows = sum(counts) * tenantCount + sum(countsFor(SMALL_TASKS));
        const perTenantFigures: Record<"largest" | "small", ReadFigure[]> = { largest: [], small: [] };
        for (const [which, measured] of [
          ["largest", ids[ids.length - 1] as string],
          ["small", small as string],
        ] as const) {
          perTenantFigures[which] = await measureReads(db, measured);
        }
        results.push({
          size,
          tenants: tenantCount,
          rows,
          measuredTenantRows: sum(counts),
          seedSeconds,
          seedSecondsByArea: seconds,
          rollupSeconds,
          reads: perTenantFigures.largest,
          smallTenantReads: perTenantFigures.small,
        });
        log(
          `scale: ${size.toLocaleString("en")}/${tenantCount}: ${rows.toLocaleString("en")} rows seeded in ${seedSeconds.toFixed(1)} s (${seedAreas
            .map((a) => `${a} ${areaRows(counts, a) * tenantCount} rows ${(seconds[a] ?? 0).toFixed(1)} s`)
            .join(", ")}), roll-up ${rollupSeconds.toFixed(1)} s`,
        );
      } finally {
        await mf.dispose();
      }
    }
  }
  return { results, text: render(results, opts), checks: checks(results, opts) };
}

/** Smoke checks: every domain read ran in every layout, for both measured tenants, with numbers for figures. */
function checks(results: ScaleResult[], opts: ScaleOptions): Check[] {
  const layouts = opts.sizes.length * opts.tenants.length;
  const names = results[0]?.reads.map((r) => r.read) ?? [];
  if (results.length !== layouts || names.length === 0)
    return [
      {
        part: "scale",
        scenario: "layouts",
        ok: false,
        detail: `${results.length}/${layouts} layouts, ${names.length} reads`,
      },
    ];
  const seeding = results.map((r) => r.seedSeconds);
  return [
    {
      part: "scale",
      scenario: "seeding",
      ok: finite(seeding),
      detail: finite(seeding) ? "" : `seed seconds: ${seeding.join(", ")}`,
    },
    ...names.map((name) => {
      const problems: string[] = [];
      for (const r of results)
        for (const [which, reads] of [
          ["largest", r.reads],
          ["small", r.smallTenantReads],
        ] as const) {
          const f = reads.find((x) => x.read === name);
          const figures = f
            ? [f.maxRowsRead, ...f.statements.flatMap((st) => [st.rowsRead, st.rowsReturned, st.bound])]
            : [];
          if (!finite(figures))
            problems.push(`${short(r.size)}/${r.tenants}t ${which}: ${figures.join(", ") || "missing"}`);
        }
      return { part: "scale", scenario: name, ok: problems.length === 0, detail: problems.join("; ") };
    }),
  ];
}

function grid(results: ScaleResult[], pick: (r: ScaleResult) => ReadFigure[]): string {
  const cols = results.map((r) => `${short(r.size)}/${r.tenants}t`);
  const names = results[0] ? pick(results[0]).map((r) => r.read) : [];
  const rows = names.map((name) => [
    name,
    ...results.map((r) => {
      const f = pick(r).find((x) => x.read === name);
      if (!f) return "—";
      const scan = f.statements.some((s) => s.scans.length > 0) ? " SCAN" : "";
      return `${f.maxRowsRead}${f.over ? "!" : ""}${scan}`;
    }),
  ]);
  return table(["domain read", ...cols], rows);
}

function render(results: ScaleResult[], opts: ScaleOptions): string {
  /** each statement above its bound or scanning, once, with the reads and layouts where it was */
  const over = new Map<string, { plan: string[]; worst: StatementFigure; where: Set<string> }>();
  for (const r of results)
    for (const [table, reads] of [
      ["A", r.smallTenantReads],
      ["B", r.reads],
    ] as const)
      for (const f of reads)
        for (const s of f.statements) {
          if (s.rowsRead <= s.bound && s.scans.length === 0) continue;
          const seen = over.get(s.sql) ?? { plan: s.plan, worst: s, where: new Set<string>() };
          if (s.rowsRead - s.bound > seen.worst.rowsRead - seen.worst.bound) seen.worst = s;
          seen.where.add(`${f.read} (${table} ${short(r.size)}/${r.tenants}t)`);
          over.set(s.sql, seen);
        }
  const seeding = results.map((r) => {
    const areas = seedAreas.map((a) => `${a} ${(r.seedSecondsByArea[a] ?? 0).toFixed(1)} s`).join(", ");
    return `${short(r.size)}/${r.tenants}t ${r.rows.toLocaleString("en")} rows in ${r.seedSeconds.toFixed(1)} s (${areas}; roll-up ${r.rollupSeconds.toFixed(1)} s)`;
  });
  return [
    `Sizes: ${opts.sizes.map(short).join(", ")} tasks (+ clients, projects, leads, notes, audit rows, and the portal's, intake's and bootcamp's rows at about 1/20 each: scripts/bench/seed.ts) spread over ${opts.tenants.join(", ")} tenant(s), then a small tenant (${SMALL_TASKS} tasks) whose rows are last in every table; then the daily roll-up of the due-date counters (${TODAY}).`,
    `Cells: the largest D1 rows_read of one statement of the read ("!" = some statement of the read read more than its bound, ${BOUND_RULE} rows, the read-cost test's; "SCAN" = full scan of a tenant table).`,
    `Seeding (the counters' triggers fire on every row): ${seeding.join("; ")}`,
    "",
    `A) The small tenant (${SMALL_TASKS} tasks), seeded last: flat means its reads do not grow with the other tenants' data.`,
    grid(results, (r) => r.smallTenantReads),
    "",
    "B) The largest tenant of each layout (size / tenants): what grows with a tenant's own data.",
    grid(results, (r) => r.reads),
    "",
    over.size === 0
      ? `Every statement stayed within its bound (${BOUND_RULE} rows read) with no SCAN of a tenant table.`
      : `Statements above their bound (${BOUND_RULE}) or scanning, the worst layout's figures, with their query plans:\n${[
          ...over,
        ]
          .map(
            ([sql, { plan, worst, where }]) =>
              `- ${sql.slice(0, 200)}\n    read ${worst.rowsRead} rows for ${worst.rowsReturned} returned (bound ${worst.bound}) in: ${[...where].join(", ").slice(0, 300)}\n    plan: ${plan.join(" | ").slice(0, 400)}`,
          )
          .join("\n")}`,
  ].join("\n");
}

const short = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
