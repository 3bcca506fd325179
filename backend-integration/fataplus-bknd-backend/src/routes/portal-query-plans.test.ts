/**
 * Every statement of the portal's verbs (documents, links, requests, approvals, messages, counters, activity)
 * on a real D1 with several tenants: no SCAN of a tenant table, and the thread's catch-up reads only what it
 * returns (rows_read bounded, however long the thread).
 */
import { env } from "cloudflare:workers";
import {
  type Ctx,
  createFileRequest,
  getPortalCounters,
  issueDownloadLink,
  listApprovals,
  listDocuments,
  listFileRequests,
  listMessages,
  listPortalActivity,
  markMessagesRead,
  postMessage,
  redeemDownload,
  remindOverdueRequests,
  requestApproval,
  reviewFileRequest,
  type TenantRef,
  tenantOwnedTables,
  uploadDocument,
} from "@fataplus/domain";
import { beforeAll, expect, it } from "vitest";
import { scenario, type TestUser } from "../../test/factories.ts";
import { pdfBytes } from "../../test/portal-factories.ts";
import {
  type Recorded,
  recordingD1,
  rowsRead,
  scansOf,
  touchesTenantTable,
} from "../../test/recording-d1.ts";

const SECRET = "plans-secret-0123456789abcdefghijklmnopqrstuv";
let A: TenantRef;
let pm: TestUser;
let client: TestUser;

const ctxOf = (db: D1Database, user: TestUser, role: Ctx["role"]): Ctx => ({
  db,
  tenant: A,
  role,
  actor: { type: "user", userId: user.id, email: user.email, agencyRole: "member" },
  now: () => new Date(),
});

beforeAll(async () => {
  // Other tenants with rows, so that a missing tenant_id in an index would show as a SCAN.
  const others = ["o1", "o2", "o3"] as const;
  const s = await scenario(
    { tenants: ["A", ...others], names: { A: "Portal plans" }, roles: ["client", "project_manager"] },
    { login: false },
  );
  A = s.tenants.A;
  ({ project_manager: pm, client } = s.members.A);
  for (const [i, o] of others.entries()) {
    const ctx = s.ctx(o, s.members[o].project_manager);
    await uploadDocument({
      ctx,
      bucket: env.BUCKET,
      input: { file_name: "o.pdf", bytes: pdfBytes(`o${i}`), visibility: "client" },
      maxBytes: 1e6,
    });
    for (let m = 0; m < 20; m++) await postMessage({ ctx, input: { body: `other ${m}` } });
  }
});

it("the portal's verbs never SCAN a tenant table", async () => {
  const log: Recorded[] = [];
  const db = recordingD1(env.DB, log);
  const asPm = ctxOf(db, pm, "project_manager");
  const asClient = ctxOf(db, client, "client");
  const doc = await uploadDocument({
    ctx: asPm,
    bucket: env.BUCKET,
    input: { file_name: "plan.pdf", bytes: pdfBytes("plan"), visibility: "client" },
    maxBytes: 1e6,
  });
  await uploadDocument({
    ctx: asPm,
    bucket: env.BUCKET,
    input: { file_name: "plan.pdf", bytes: pdfBytes("plan2"), document_id: doc.id },
    maxBytes: 1e6,
  });
  await listDocuments({ ctx: asClient });
  await listDocuments({ ctx: asPm, input: { visibility: "internal" } });
  const link = await issueDownloadLink({
    ctx: asClient,
    secret: SECRET,
    input: { version_id: doc.latest.id },
  });
  const res = await redeemDownload({
    db,
    bucket: env.BUCKET,
    secret: SECRET,
    token: link.url.replace("/api/files/", ""),
    tenantId: A.id,
    now: new Date(),
  });
  await res.arrayBuffer();
  const req = await createFileRequest({ ctx: asPm, input: { title: "Logo", due_date: "2020-01-01" } });
  await uploadDocument({
    ctx: asClient,
    bucket: env.BUCKET,
    input: { file_name: "logo.pdf", bytes: pdfBytes("logo"), request_id: req.id },
    maxBytes: 1e6,
  });
  await reviewFileRequest({
    ctx: asPm,
    input: { id: req.id, review: { decision: "changes", comment: "bigger" } },
  });
  await listFileRequests({ ctx: asClient });
  await remindOverdueRequests({
    ctx: asPm,
    queueMail: (d) => d.prepare("SELECT 1"),
    portalUrl: "https://x.test",
  });
  await requestApproval({ ctx: asPm, input: { document_id: doc.id } });
  await listApprovals({ ctx: asClient });
  const m = await postMessage({ ctx: asClient, input: { body: "hello" } });
  await listMessages({ ctx: asPm, input: { after: 0 } });
  await listMessages({ ctx: asPm, input: { before: m.seq } });
  await listMessages({ ctx: asPm });
  await markMessagesRead({ ctx: asPm, input: { seq: m.seq } });
  await getPortalCounters({ ctx: asPm });
  await listPortalActivity({ ctx: asClient });

  const tables = [...tenantOwnedTables];
  const relevant = log.filter((r) => touchesTenantTable(r.sql, tables));
  expect(relevant.length).toBeGreaterThan(20);
  for (const r of relevant) expect(await scansOf(env.DB, r, tables), r.sql).toEqual([]);
});

it("catching up on the thread reads what it returns, not the whole thread", async () => {
  const ctx = ctxOf(env.DB, pm, "project_manager");
  for (let i = 0; i < 60; i++) await postMessage({ ctx, input: { body: `m${i}` } });
  const page = await listMessages({ ctx, input: {} });
  const last = page.last_seq;
  const log: Recorded[] = [];
  const rec = recordingD1(env.DB, log);
  await listMessages({ ctx: { ...ctx, db: rec }, input: { after: last - 3 } });
  const select = log.find((r) => /FROM messages\s+WHERE tenant_id = \? AND seq > \?/.test(r.sql));
  expect(select).toBeDefined();
  expect(await rowsRead(env.DB, select as Recorded)).toBeLessThanOrEqual(4);
});
