/**
 * What every domain read costs in D1, deterministically (the timings are `pnpm bench`'s job):
 *  - no statement SCANs a tenant table;
 *  - a page of a list reads at most the page + 5 rows;
 *  - nothing a tenant's user reads grows with another tenant's data: every statement reads exactly as many
 *    rows after another tenant gains 1,500 rows seeded after this tenant's (the skew that defeats an index
 *    that does not lead with tenant_id).
 * Agency staff's CRM reads span every tenant by design (decision 004): they are held to the no-SCAN rule.
 * And nothing grows with the tenant's own data (docs/decisions/015-read-counters.md): once A holds more rows
 * of each table than any bound below, every statement of every read, the staff's cross-tenant ones included,
 * reads at most ROW_COST rows per row it returns plus FIXED_COST.
 * Every read verb the domain exports (list*, get*, search*, find*, load*, resolve*) must be in the table below:
 * a new one fails the coverage test until it is.
 */
import { env } from "cloudflare:workers";
import * as domain from "@fataplus/domain";
import {
  type CrmCtx,
  type Ctx,
  createRecord,
  exposedEntityNames,
  type Identity,
  rollupDueCounts,
  type TenantRef,
  tenantOwnedTables,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { seedTenants } from "../../../../scripts/bench/seed.ts";
import { makeTenant, type Refs, scenario, systemCtx } from "../../test/factories.ts";
import { type Recorded, recordingD1, rowsRead, scansOf } from "../../test/recording-d1.ts";

const PAGE = 20;
/** A returned row may cost its own row, its joins and its counters (crm/lists.ts PROJECT_METRICS: about 10). */
const ROW_COST = 12;
/** Per statement: the scope's tenants and per-tenant counters (a row per tenant and lead stage, and so on). */
const FIXED_COST = 100;
const CAPPED_COUNT = /^SELECT count\(\*\) AS \w+ FROM \(SELECT 1 FROM /i;
/**
 * A CRM list's text filter (decision 020) reads its candidates from the full-text index, at most COUNT_CAP + 1,
 * looks them up and sorts them (its count counts them again): a constant, whatever the tenant holds.
 */
const TEXT_FILTER = /search_fts MATCH/i;
const { COUNT_CAP } = domain;
const TEXT_FILTER_COST = 4 * (COUNT_CAP + 1);
let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let pm: Identity;
let staff: Identity;
let agencyAdmin: Identity;
let pmId = 0;
let clientId = 0;
let pmBId = 0;

beforeAll(async () => {
  const s = await scenario(
    {
      tenants: ["A", "B"],
      names: { A: "Costs A", B: "Costs B" },
      seed: true,
      roles: ["client", "project_manager"],
      users: { staff: { agency: "staff" }, agencyAdmin: { agency: "admin" } },
    },
    { login: false },
  );
  ({ A, B } = s.tenants);
  ({ A: refsA, B: refsB } = s.refs);
  pmId = s.members.A.project_manager.id;
  pmBId = s.members.B.project_manager.id;
  clientId = s.members.A.client.id;
  pm = s.members.A.project_manager.identity;
  staff = s.users.staff.identity;
  agencyAdmin = s.users.agencyAdmin.identity;
  // A's and B's project managers have notifications (decision 027): their reads have rows to read
  for (const [tenant, user] of [
    [A.id, pmId],
    [B.id, pmBId],
  ] as const)
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 3)
       INSERT INTO notifications (id, tenant_id, recipient_id, kind, object_type, object_id, title, channel, email_status, created_at)
       SELECT lower(hex(randomblob(4))) || '-0000-4000-8000-' || lower(hex(randomblob(6))), ?1, ?2, 'message', 'message',
         'x', 'Seed ' || i, 'app', 'none', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM seq`,
    )
      .bind(tenant, user)
      .run();
  // A's invoices: more than a page (20), issued and drafts
  for (let i = 0; i < 24; i++) {
    const made = await domain.createInvoice({
      ctx: systemCtx(A),
      input: {
        currency: "EUR",
        buyer: { name: `Buyer ${i}` },
        lines: [{ description: "Work", quantity_milli: 1000, unit_price_minor: 1000 + i, vat_bp: 2000 }],
      },
    });
    if (i % 2 === 0)
      await domain.issueInvoice({ ctx: systemCtx(A), input: { id: made.invoice.id, body: { version: 1 } } });
  }
  for (let i = 0; i < 6; i++)
    await createRecord({
      ctx: systemCtx(A),
      input: { entity: "tasks", data: { title: `A task ${i}`, project_id: refsA.projects } },
    });
});

type Read = { tenantScoped: boolean; run: (db: D1Database) => Promise<unknown> };

const ctx = (db: D1Database, role: Ctx["role"], userId: number): Ctx => ({
  db,
  tenant: A,
  role,
  actor: { type: "user", userId, email: "x@example.test", agencyRole: "member" },
  now: () => new Date(),
});
/** Bootcamp staff outside the bootcamp tenant: the agency's staff (a project's own admins are not; decision 010). */
const bootcampStaff = (db: D1Database): Ctx => {
  const c = ctx(db, "admin", pmId);
  return { ...c, actor: { type: "user", userId: pmId, email: "x@example.test", agencyRole: "staff" } };
};
const crm = (db: D1Database, identity: Identity): CrmCtx => ({ db, identity, now: () => new Date() });

const notFoundIsFine = (p: Promise<unknown>) =>
  p.catch((e: unknown) => (domain.isDomainError(e) && e.code === "NOT_FOUND" ? null : Promise.reject(e)));
const byId = (run: (db: D1Database, id: string) => Promise<unknown>): Read => ({
  tenantScoped: true,
  run: (db) => notFoundIsFine(run(db, crypto.randomUUID())),
});

/** Every read verb, as a user of tenant A calls it. */
const reads: Record<string, Read[]> = {
  listRecords: exposedEntityNames.map((entity) => ({
    tenantScoped: true,
    run: (db) =>
      domain.listRecords({ ctx: ctx(db, "project_manager", pmId), input: { entity, limit: PAGE } }),
  })),
  getRecord: exposedEntityNames.map((entity) => ({
    tenantScoped: true,
    run: (db) =>
      domain.getRecord({ ctx: ctx(db, "project_manager", pmId), input: { entity, id: refsA[entity] } }),
  })),
  searchEverything: [
    {
      tenantScoped: true,
      run: (db) =>
        domain.searchEverything({ ctx: ctx(db, "project_manager", pmId), input: { query: "task" } }),
    },
  ],
  getProjectMetrics: [
    {
      tenantScoped: true,
      run: (db) => domain.getProjectMetrics({ ctx: ctx(db, "project_manager", pmId), input: {} }),
    },
    {
      tenantScoped: true,
      run: (db) =>
        domain.getProjectMetrics({
          ctx: ctx(db, "project_manager", pmId),
          input: { projectId: refsA.projects },
        }),
    },
  ],
  getProjectOverview: [
    { tenantScoped: true, run: (db) => domain.getProjectOverview({ ctx: ctx(db, "project_manager", pmId) }) },
  ],
  listAssignees: [
    { tenantScoped: true, run: (db) => domain.listAssignees({ ctx: ctx(db, "project_manager", pmId) }) },
  ],
  getPortalHome: [
    { tenantScoped: true, run: (db) => domain.getPortalHome({ ctx: ctx(db, "client", clientId) }) },
  ],
  listClients: [
    { tenantScoped: true, run: (db) => domain.listClients({ ctx: crm(db, pm), input: {} }) },
    { tenantScoped: false, run: (db) => domain.listClients({ ctx: crm(db, staff), input: {} }) },
    // a text filter (decision 020): its candidates come from the full-text index, at most COUNT_CAP + 1
    { tenantScoped: true, run: (db) => domain.listClients({ ctx: crm(db, pm), input: { q: "grown cli" } }) },
    {
      tenantScoped: false,
      run: (db) => domain.listClients({ ctx: crm(db, staff), input: { q: "client", sort: "name" } }),
    },
    // the client picker (decision 033) in one project: clients whose words start like the first word typed, by
    // name, 20 at most; across every tenant it is the staff's text-filtered list above (q, sort by name)
    {
      tenantScoped: true,
      run: (db) =>
        domain.listClients({
          ctx: crm(db, pm),
          input: { q: "grown", sort: "name", pageSize: 20 },
        }),
    },
  ],
  listLeads: [
    { tenantScoped: true, run: (db) => domain.listLeads({ ctx: crm(db, pm), input: {} }) },
    { tenantScoped: false, run: (db) => domain.listLeads({ ctx: crm(db, staff), input: {} }) },
    {
      tenantScoped: true,
      run: (db) => domain.listLeads({ ctx: crm(db, pm), input: { q: "lead", stage: "won" } }),
    },
    { tenantScoped: false, run: (db) => domain.listLeads({ ctx: crm(db, staff), input: { q: "zzrare" } }) },
  ],
  listProjects: [
    { tenantScoped: true, run: (db) => domain.listProjects({ ctx: crm(db, pm), input: {} }) },
    { tenantScoped: false, run: (db) => domain.listProjects({ ctx: crm(db, staff), input: {} }) },
    { tenantScoped: true, run: (db) => domain.listProjects({ ctx: crm(db, pm), input: { q: "project" } }) },
    { tenantScoped: false, run: (db) => domain.listProjects({ ctx: crm(db, staff), input: { q: "costs" } }) },
  ],
  getDashboard: [
    { tenantScoped: true, run: (db) => domain.getDashboard({ ctx: crm(db, pm) }) },
    { tenantScoped: false, run: (db) => domain.getDashboard({ ctx: crm(db, staff) }) },
  ],
  listViews: [
    { tenantScoped: true, run: (db) => domain.listViews({ ctx: crm(db, pm), input: { screen: "tasks" } }) },
  ],
  listTokens: [{ tenantScoped: true, run: (db) => domain.listTokens({ ctx: crm(db, pm) }) }],
  listAccessibleTenants: [
    { tenantScoped: true, run: (db) => domain.listAccessibleTenants({ db, identity: pm }) },
  ],
  loadIdentity: [{ tenantScoped: true, run: (db) => domain.loadIdentity({ db, userId: pmId }) }],
  resolveAccess: [
    { tenantScoped: true, run: (db) => domain.resolveAccess({ db, userId: pmId, tenantRef: A.subdomain }) },
    // what the gate reads for a session token: the user, the tenant and membership, and the session row
    {
      tenantScoped: true,
      run: (db) =>
        domain.resolveAccess({ db, userId: pmId, tenantRef: A.subdomain, session: { id: "s".repeat(24) } }),
    },
  ],
  // the owner's own sessions ("where you are signed in", decision 022), newest first, at most 50
  listSessions: [
    {
      tenantScoped: true,
      run: (db) =>
        domain.listSessions({ ctx: { db, identity: pm, sessionId: "s".repeat(24), now: () => new Date() } }),
    },
  ],
  findTenant: [{ tenantScoped: true, run: (db) => domain.findTenant({ db, ref: A.subdomain }) }],
  // the email outbox is the agency admins' (decision 012): global, across tenants by design
  listOutbox: [
    { tenantScoped: false, run: (db) => domain.listOutbox({ ctx: crm(db, agencyAdmin), input: {} }) },
  ],
  // the scheduled jobs' last runs (migration 0023): global, the agency admins' dashboard, at most 10 rows
  listJobRuns: [
    {
      tenantScoped: false,
      run: (db) => domain.listJobRuns({ ctx: crm(db, agencyAdmin), input: { job: "backup" } }),
    },
  ],
  // The agency's accounts (decision 026): global, not a tenant's read.
  // the caller's own single sign-on links (decision 025): at most one per provider
  listSsoLinks: [{ tenantScoped: true, run: (db) => domain.listSsoLinks({ db, userId: pmId }) }],
  listUsers: [
    { tenantScoped: false, run: (db) => domain.listUsers({ ctx: crm(db, agencyAdmin), input: {} }) },
    {
      tenantScoped: false,
      run: (db) => domain.listUsers({ ctx: crm(db, agencyAdmin), input: { q: "example" } }),
    },
  ],
  getOutboxMessage: [
    {
      tenantScoped: false,
      run: (db) =>
        domain
          .getOutboxMessage({ ctx: crm(db, agencyAdmin), input: { id: crypto.randomUUID() } })
          .catch((e: unknown) =>
            domain.isDomainError(e) && e.code === "NOT_FOUND" ? null : Promise.reject(e),
          ),
    },
  ],
  // Portal (decision 008): documents, requests, approvals, thread, activity, counters
  listDocuments: [
    { tenantScoped: true, run: (db) => domain.listDocuments({ ctx: ctx(db, "project_manager", pmId) }) },
  ],
  getDocument: [
    byId((db, id) => domain.getDocument({ ctx: ctx(db, "project_manager", pmId), input: { id } })),
  ],
  listFileRequests: [
    { tenantScoped: true, run: (db) => domain.listFileRequests({ ctx: ctx(db, "client", clientId) }) },
  ],
  getFileRequest: [byId((db, id) => domain.getFileRequest({ ctx: ctx(db, "client", clientId), id }))],
  listApprovals: [
    { tenantScoped: true, run: (db) => domain.listApprovals({ ctx: ctx(db, "client", clientId) }) },
  ],
  listMessages: [
    { tenantScoped: true, run: (db) => domain.listMessages({ ctx: ctx(db, "client", clientId) }) },
  ],
  listPortalActivity: [
    { tenantScoped: true, run: (db) => domain.listPortalActivity({ ctx: ctx(db, "client", clientId) }) },
  ],
  getPortalCounters: [
    { tenantScoped: true, run: (db) => domain.getPortalCounters({ ctx: ctx(db, "project_manager", pmId) }) },
  ],
  // Bootcamp (decision 010) and intake (decision 009) reads, in tenant A. Reads by id run with an id that does
  // not exist: the lookup that answers "not found" is what is measured.
  getBootcampOverview: [
    { tenantScoped: true, run: (db) => domain.getBootcampOverview({ ctx: bootcampStaff(db) }) },
  ],
  getBootcampStats: [
    { tenantScoped: true, run: (db) => domain.getBootcampStats({ ctx: bootcampStaff(db) }) },
  ],
  getCatalogue: [
    {
      tenantScoped: true,
      run: (db) => domain.getCatalogue({ ctx: { db, now: () => new Date() }, tenant: A }),
    },
  ],
  getCertificate: [byId((db, id) => domain.getCertificate({ ctx: bootcampStaff(db), input: { id } }))],
  getCohortRoster: [byId((db, id) => domain.getCohortRoster({ ctx: bootcampStaff(db), input: { id } }))],
  getCourseDetail: [byId((db, id) => domain.getCourseDetail({ ctx: bootcampStaff(db), input: { id } }))],
  getMyBootcamp: [
    { tenantScoped: true, run: (db) => domain.getMyBootcamp({ ctx: ctx(db, "client", clientId) }) },
  ],
  getLearnerCourse: [
    byId((db, id) => domain.getLearnerCourse({ ctx: ctx(db, "client", clientId), input: { id } })),
  ],
  getLearnerLesson: [
    byId((db, id) =>
      domain.getLearnerLesson({
        ctx: ctx(db, "client", clientId),
        input: { enrolment_id: id, lesson_id: id },
      }),
    ),
  ],
  getLearnerQuiz: [
    byId((db, id) =>
      domain.getLearnerQuiz({
        ctx: ctx(db, "client", clientId),
        input: { enrolment_id: id, quiz_id: id },
      }),
    ),
  ],
  getReviewQueue: [
    { tenantScoped: true, run: (db) => domain.getReviewQueue({ ctx: bootcampStaff(db), input: {} }) },
  ],
  getSubmissionForReview: [
    byId((db, id) => domain.getSubmissionForReview({ ctx: bootcampStaff(db), input: { id } })),
  ],
  getPortalProposal: [
    {
      tenantScoped: true,
      run: (db) => notFoundIsFine(domain.getPortalProposal({ ctx: ctx(db, "client", clientId) })),
    },
  ],
  // money (decision 028): the project's invoices for its client and its manager, the agency's view for staff
  listInvoices: [
    { tenantScoped: true, run: (db) => domain.listInvoices({ ctx: ctx(db, "client", clientId) }) },
    { tenantScoped: true, run: (db) => domain.listInvoices({ ctx: ctx(db, "project_manager", pmId) }) },
  ],
  getInvoice: [byId((db, id) => domain.getInvoice({ ctx: ctx(db, "project_manager", pmId), input: { id } }))],
  getAcceptanceRecord: [
    {
      tenantScoped: true,
      run: (db) => notFoundIsFine(domain.getAcceptanceRecord({ ctx: ctx(db, "client", clientId) })),
    },
  ],
  listAgencyInvoices: [
    { tenantScoped: false, run: (db) => domain.listAgencyInvoices({ ctx: crm(db, staff), input: {} }) },
    {
      tenantScoped: false,
      run: (db) => domain.listAgencyInvoices({ ctx: crm(db, staff), input: { status: "overdue" } }),
    },
  ],
  getAgencyBilling: [{ tenantScoped: false, run: (db) => domain.getAgencyBilling({ ctx: crm(db, staff) }) }],
  getIntakeLead: [
    {
      tenantScoped: false,
      run: (db) =>
        notFoundIsFine(
          domain.getIntakeLead({ ctx: crm(db, agencyAdmin), input: { id: crypto.randomUUID() } }),
        ),
    },
  ],
  // needs a personal access token principal: covered through MCP in src/mcp/query-plans.test.ts
  listTokenTenants: [],
  // a client's and a lead's history (decision 030): a page of each source, by the record's own index
  listTimeline: [
    {
      tenantScoped: true,
      run: (db) =>
        domain.listTimeline({
          ctx: ctx(db, "project_manager", pmId),
          input: { subject: "leads", id: refsA.leads },
        }),
    },
    {
      tenantScoped: true,
      run: (db) =>
        domain.listTimeline({
          ctx: ctx(db, "project_manager", pmId),
          input: { subject: "clients", id: refsA.clients },
        }),
    },
  ],
  // pure (kernel/time.ts): picks a time zone name, reads nothing
  resolveTimeZone: [],
  // the public bootcamp reads the bootcamp's own tenant (migration 0008), never A's or B's
  getPublicCatalogue: [
    { tenantScoped: true, run: (db) => domain.getPublicCatalogue({ ctx: { db, now: () => new Date() } }) },
  ],
  getPublicCourse: [
    {
      tenantScoped: true,
      run: (db) =>
        notFoundIsFine(domain.getPublicCourse({ ctx: { db, now: () => new Date() }, input: { slug: "x" } })),
    },
  ],
  // the hourly reminders' list of projects spans every tenant by design
  listPortalProjects: [{ tenantScoped: false, run: (db) => domain.listPortalProjects(db) }],
  // one's own notifications (decision 027): in a project, across one's projects (member, agency staff),
  // and the next page; preferences; the agency's digest interval
  listNotifications: [
    {
      tenantScoped: true,
      run: (db) =>
        domain.listNotifications({ ctx: { db, identity: pm, tenant: A, now: () => new Date() }, input: {} }),
    },
    {
      tenantScoped: true,
      run: (db) =>
        domain.listNotifications({
          ctx: { db, identity: pm, tenant: null, now: () => new Date() },
          input: {},
        }),
    },
    {
      tenantScoped: true,
      run: (db) =>
        domain.listNotifications({
          ctx: { db, identity: pm, tenant: null, now: () => new Date() },
          input: { before: `${new Date().toISOString()}|${crypto.randomUUID()}`, limit: 5 },
        }),
    },
    {
      tenantScoped: true,
      run: (db) =>
        domain.listNotifications({
          ctx: { db, identity: staff, tenant: null, now: () => new Date() },
          input: {},
        }),
    },
  ],
  getNotificationPreferences: [
    { tenantScoped: true, run: (db) => domain.getNotificationPreferences({ ctx: crm(db, pm) }) },
  ],
  getNotificationSettings: [
    { tenantScoped: true, run: (db) => domain.getNotificationSettings({ ctx: crm(db, agencyAdmin) }) },
  ],
  listProjectResources: [
    {
      tenantScoped: true,
      run: (db) => domain.listProjectResources({ db, tenants: [{ ...A, role: "project_manager" }] }),
    },
  ],
};

type Cost = { sql: string; full: string; rows: number; shown: number; scans: string[] };

async function costs(read: Read): Promise<Cost[]> {
  const log: Recorded[] = [];
  await read.run(recordingD1(env.DB, log));
  const out: Cost[] = [];
  for (const rec of log) {
    if (!/^\s*(select|with)\b/i.test(rec.sql)) continue;
    out.push({
      sql: rec.sql.replace(/\s+/g, " ").slice(0, 160),
      full: rec.sql,
      rows: await rowsRead(env.DB, rec),
      shown: (
        await env.DB.prepare(rec.sql)
          .bind(...rec.params)
          .all()
      ).results.length,
      scans: await scansOf(env.DB, rec, tenantOwnedTables),
    });
  }
  return out;
}

describe("the cost of every domain read", () => {
  it("coverage: every read verb the domain exports is measured here", () => {
    const verbs = Object.entries(domain)
      .filter(
        ([name, v]) => typeof v === "function" && /^(list|get|search|find|load|resolve)[A-Z]/.test(name),
      )
      .map(([name]) => name)
      .sort();
    expect(verbs).toEqual(Object.keys(reads).sort());
  });

  it("no SCAN of a tenant table, pages within page + 5, and nothing grows with another tenant's data", async () => {
    const before = new Map<string, Cost[]>();
    for (const [name, list] of Object.entries(reads))
      for (const [i, read] of list.entries()) before.set(`${name}#${i}`, await costs(read));

    // B gains 1,500 tasks (and leads), all seeded after A's rows.
    const stmts = Array.from({ length: 1500 }, (_, i) =>
      env.DB.prepare("INSERT INTO tasks (id, tenant_id, project_id, title) VALUES (?, ?, ?, ?)").bind(
        crypto.randomUUID(),
        B.id,
        refsB.projects,
        `B task ${i}`,
      ),
    );
    for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
    // and 1,500 notifications of B's project manager
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1500)
       INSERT INTO notifications (id, tenant_id, recipient_id, kind, object_type, object_id, title, channel, email_status, created_at)
       SELECT printf('%08x-0000-4000-8000-%012x', 99, i), ?1, ?2, 'message', 'message', 'x', 'B note ' || i, 'app', 'none',
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM seq`,
    )
      .bind(B.id, pmBId)
      .run();
    await env.DB.batch(
      Array.from({ length: 300 }, (_, i) =>
        env.DB.prepare("INSERT INTO leads (id, tenant_id, title) VALUES (?, ?, ?)").bind(
          crypto.randomUUID(),
          B.id,
          `B lead ${i}`,
        ),
      ),
    );

    const offenders: string[] = [];
    for (const [name, list] of Object.entries(reads)) {
      for (const [i, read] of list.entries()) {
        const after = await costs(read);
        const was = before.get(`${name}#${i}`) ?? [];
        for (const [j, c] of after.entries()) {
          if (c.scans.length > 0) offenders.push(`${name}: ${c.scans.join("; ")} ← ${c.sql}`);
          if (!read.tenantScoped) continue;
          if (/\blimit\b/i.test(c.sql) && !/count\(|sum\(/i.test(c.sql) && c.rows > PAGE + 5)
            offenders.push(`${name}: page read ${c.rows} rows > ${PAGE + 5} ← ${c.sql}`);
          const prior = was[j]?.rows;
          if (prior !== undefined && c.rows !== prior)
            offenders.push(`${name}: rows_read ${prior} → ${c.rows} when another tenant grew ← ${c.sql}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  }, 120_000);

  it("the largest tenant: no read grows with the tenant's own rows, the staff's cross-tenant reads included", async () => {
    // more tenants than the CRM reads one by one (crm/lists.ts PER_TENANT_MAX): agency staff's lists and
    // dashboard walk one index across every tenant
    for (let i = 0; i < 8; i++) await makeTenant(`Costs extra ${i}`);
    let round = 0;
    /** A gains projects, tasks (open, done, overdue and due later), clients, leads, notes and audit rows. */
    const grow = async () => {
      round += 1;
      const seq = (n: number) =>
        `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`;
      const uuid = (kind: number) => `printf('%08x-%04x-4000-8000-%012x', ${round}, ${kind}, i)`;
      await env.DB.batch([
        env.DB.prepare(
          `${seq(800)} INSERT INTO projects (id, tenant_id, name, status, phase, budget_cents, currency)
           SELECT ${uuid(1)}, ?1, 'Grown project ' || i, CASE i % 3 WHEN 0 THEN 'completed' WHEN 1 THEN 'active' ELSE 'planned' END,
             'build', 1000 * i, CASE i % 2 WHEN 0 THEN 'EUR' ELSE 'MGA' END FROM seq`,
        ).bind(A.id),
        env.DB.prepare(
          `${seq(4000)} INSERT INTO tasks (id, tenant_id, project_id, title, status, due_date)
           SELECT ${uuid(2)}, ?1, CASE WHEN i % 10 = 0 THEN ?2 ELSE ${uuid(1).replace(", i)", ", 1 + i % 800)")} END,
             'Grown task ' || i, CASE i % 4 WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress' ELSE 'todo' END,
             date('now', (i % 30 - 15) || ' days') FROM seq`,
        ).bind(A.id, refsA.projects),
        env.DB.prepare(
          `${seq(500)} INSERT INTO clients (id, tenant_id, kind, name) SELECT ${uuid(3)}, ?1,
             CASE i % 2 WHEN 0 THEN 'organization' ELSE 'contact' END, 'Grown client ' || i FROM seq`,
        ).bind(A.id),
        env.DB.prepare(
          `${seq(600)} INSERT INTO leads (id, tenant_id, title, stage, value_cents)
           SELECT ${uuid(4)}, ?1, 'Grown lead ' || i, CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'won' ELSE 'qualified' END,
             100 * i FROM seq`,
        ).bind(A.id),
        env.DB.prepare(
          `${seq(600)} INSERT INTO notes (id, tenant_id, client_id, body) SELECT ${uuid(5)}, ?1, ?2, 'Grown note ' || i FROM seq`,
        ).bind(A.id, refsA.clients),
        env.DB.prepare(
          `${seq(2000)} INSERT INTO notifications (id, tenant_id, recipient_id, kind, object_type, object_id, title, channel,
             email_status, created_at, read_at)
           SELECT ${uuid(7)}, ?1, ?2, 'message', 'message', 'x', 'Grown ' || i, 'app', 'none',
             strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || i || ' seconds'),
             CASE WHEN i % 3 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END FROM seq`,
        ).bind(A.id, pmId),
        env.DB.prepare(
          `${seq(600)} INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
           SELECT ${uuid(6)}, ?1, 'system', NULL, 'update', 'tasks', NULL, '{}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM seq`,
        ).bind(A.id),
      ]);
      // and the bench's own seed of every area (CRM, portal, intake, bootcamp) at 1/20 of 6,000 tasks
      await seedTenants(env.DB, { tenantIds: [A.id], tasksPerTenant: 6000, base: 700 + round });
      // the scheduled roll-up runs daily (src/index.ts): overdue counts read one row per project, not one per day
      await rollupDueCounts({ db: env.DB, today: new Date().toISOString().slice(0, 10) });
    };
    const all = async () => {
      const out = new Map<string, Cost[]>();
      for (const [name, list] of Object.entries(reads))
        for (const [i, read] of list.entries()) out.set(`${name}#${i}`, await costs(read));
      return out;
    };
    await grow();
    const offenders: string[] = [];
    let measured = 0;
    for (const [key, list] of await all()) {
      for (const c of list) {
        measured += 1;
        // a capped count ("plus de 1 000") reads at most COUNT_CAP + 1 rows, by design (decision 015)
        const bound = CAPPED_COUNT.test(c.sql)
          ? COUNT_CAP + 1 + FIXED_COST
          : (TEXT_FILTER.test(c.full) ? TEXT_FILTER_COST : 0) + ROW_COST * Math.max(1, c.shown) + FIXED_COST;
        if (c.rows > bound) offenders.push(`${key}: ${c.rows} rows read for ${c.shown} shown ← ${c.sql}`);
      }
    }
    expect(measured).toBeGreaterThan(60);
    expect(offenders).toEqual([]);
    // the growth did reach the reads: A's task total, from its counter
    const list = await domain.listRecords({
      ctx: ctx(env.DB, "project_manager", pmId),
      input: { entity: "tasks" },
    });
    expect(list.meta.total).toBeGreaterThan(4000);
  }, 180_000);
});
