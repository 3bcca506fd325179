/**
 * Cost as data grows: for each size (tasks; one twentieth as many clients, projects, leads and audit rows)
 * spread over each tenant count, a fresh local D1 (workerd's SQLite through Miniflare) is seeded in bulk with
 * the measured tenant seeded last (its rows at the end of every table). Every domain read runs once against
 * it through a recording D1; each SELECT it sent is then explained (EXPLAIN QUERY PLAN) and run again for
 * D1's own `rows_read`. Goal: every statement reads at most page size + 5 rows, flat across sizes.
 */
import {
  type CrmCtx,
  type Ctx,
  exposedEntityNames,
  getDashboard,
  getPortalHome,
  getProjectMetrics,
  getProjectOverview,
  getRecord,
  listAccessibleTenants,
  listAssignees,
  listClients,
  listLeads,
  listProjects,
  listRecords,
  listTokens,
  listViews,
  loadIdentity,
  resolveAccess,
  searchEverything,
  tenantOwnedTables,
} from "@fataplus/domain";
import { type Check, finite, memoryD1, table } from "./lib.ts";
import { countsFor, seedTenants } from "./seed.ts";

export type ScaleOptions = { sizes: number[]; tenants: number[] };

const SMALL_TASKS = 100;
/** The largest page a domain read asks for (CRM lists: 25), plus the 5 rows of slack the goal allows. */
const BOUND = 25 + 5;

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

export type StatementFigure = { sql: string; rowsRead: number; plan: string[]; scans: string[] };
export type ReadFigure = { read: string; statements: StatementFigure[]; maxRowsRead: number };
export type ScaleResult = {
  size: number;
  tenants: number;
  rows: number;
  measuredTenantRows: number;
  seedSeconds: number;
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
  const now = () => new Date("2026-06-01T00:00:00Z");
  const ctx = (role: Ctx["role"], userId: number): Ctx => ({
    db: rdb,
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
  const reads: Array<[string, () => Promise<unknown>]> = [
    ...exposedEntityNames.map(
      (e) =>
        [`listRecords ${e} (limit 20)`, () => listRecords({ ctx: pm, input: { entity: e, limit: 20 } })] as [
          string,
          () => Promise<unknown>,
        ],
    ),
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
    ["getPortalHome (client)", () => getPortalHome({ ctx: ctx("client", 2) })],
    ["CRM listClients (project manager)", () => listClients({ ctx: crm(pmIdentity), input: {} })],
    ["CRM listLeads (project manager)", () => listLeads({ ctx: crm(pmIdentity), input: {} })],
    ["CRM listProjects (project manager)", () => listProjects({ ctx: crm(pmIdentity), input: {} })],
    ["CRM getDashboard (project manager)", () => getDashboard({ ctx: crm(pmIdentity) })],
    [
      "CRM listClients (agency staff, all tenants)",
      () => listClients({ ctx: crm(staffIdentity), input: {} }),
    ],
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
    await run();
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
        plan: details,
        scans: details.filter((d) => new RegExp(`^SCAN (${tenantOwnedTables.join("|")})\\b`).test(d)),
      });
    }
    figures.push({ read: name, statements: figs, maxRowsRead: Math.max(0, ...figs.map((f) => f.rowsRead)) });
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
        const ids = await seedTenants(db, { tenants: tenantCount, tasksPerTenant: perTenant, base: 0 });
        // A small tenant (100 tasks) seeded after everything: its reads must not grow with the others' data.
        const [small] = await seedTenants(db, { tenants: 1, tasksPerTenant: SMALL_TASKS, base: 900_000 });
        const seedSeconds = (performance.now() - t0) / 1000;
        const rows = Object.values(countsFor(perTenant)).reduce((a, b) => a + b, 0) * tenantCount;
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
          measuredTenantRows: rows / tenantCount,
          seedSeconds,
          reads: perTenantFigures.largest,
          smallTenantReads: perTenantFigures.small,
        });
        log(
          `scale: ${size.toLocaleString("en")}/${tenantCount}: ${rows.toLocaleString("en")} rows seeded in ${seedSeconds.toFixed(1)} s`,
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
          const figures = f ? [f.maxRowsRead, ...f.statements.map((st) => st.rowsRead)] : [];
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
      return `${f.maxRowsRead}${f.maxRowsRead > BOUND ? "!" : ""}${scan}`;
    }),
  ]);
  return table(["domain read", ...cols], rows);
}

function render(results: ScaleResult[], opts: ScaleOptions): string {
  const over = new Map<string, string[]>();
  for (const r of results)
    for (const f of [...r.reads, ...r.smallTenantReads])
      for (const s of f.statements) if (s.rowsRead > BOUND || s.scans.length > 0) over.set(s.sql, s.plan);
  return [
    `Sizes: ${opts.sizes.map(short).join(", ")} tasks (+ clients, projects, leads and audit rows at 1/20 each) spread over ${opts.tenants.join(", ")} tenant(s), then a small tenant (${SMALL_TASKS} tasks) whose rows are last in every table.`,
    `Cells: the largest D1 rows_read of one statement of the read ("!" = above ${BOUND}, page 25 + 5; "SCAN" = full scan of a tenant table).`,
    `Seeding: ${results.map((r) => `${short(r.size)}/${r.tenants}t ${r.rows.toLocaleString("en")} rows in ${r.seedSeconds.toFixed(1)} s`).join("; ")}`,
    "",
    `A) The small tenant (${SMALL_TASKS} tasks), seeded last: flat means its reads do not grow with the other tenants' data.`,
    grid(results, (r) => r.smallTenantReads),
    "",
    "B) The largest tenant of each layout (size / tenants): what grows with a tenant's own data.",
    grid(results, (r) => r.reads),
    "",
    over.size === 0
      ? `Every statement stayed within ${BOUND} rows read with no SCAN of a tenant table.`
      : `Statements above ${BOUND} rows read or scanning, with their query plans:\n${[...over]
          .map(([sql, plan]) => `- ${sql.slice(0, 200)}\n    plan: ${plan.join(" | ").slice(0, 400)}`)
          .join("\n")}`,
  ].join("\n");
}

const short = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
