/**
 * The cross-tenant matrix for Fataplus' own routes (/api/app/*), generated like the data API's
 * (src/bknd/gate/isolation.matrix.test.ts): every route × every role a user can hold in tenant A, aimed at tenant
 * B (B named as the tenant, B's ids, B's names as search terms, B's people's views and tokens). Nothing of B
 * may appear in an answer, and B's rows must not change. A route that is added without an entry here fails
 * the coverage test below.
 */
import { env, exports } from "cloudflare:workers";
import {
  createInvitation,
  createInvoice,
  createQuiz,
  createRecord,
  createTenant,
  issueInvoice,
  queueMail,
  recordPayment,
  releaseReview,
  saveReview,
  startReview,
  submitIntake,
  type TenantRef,
  type TenantRole,
  tenantRoles,
} from "@fataplus/domain";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { type BootcampRefs, enrolMember, seedBootcamp } from "../../test/bootcamp-factories.ts";
import {
  call,
  loginToken,
  type Refs,
  scenario,
  sessionIdOf,
  snapshotTenant,
  systemCtx,
  type TestUser,
  unique,
} from "../../test/factories.ts";
import { makeAccessToken } from "../../test/mcp-factories.ts";
import { pendingConsent } from "../../test/oauth-client.ts";
import { pdfBytes, upload } from "../../test/portal-factories.ts";
import type { AppServer } from "../http/context.ts";
import { registerAppRoutes } from "./index.ts";

let A: TenantRef;
let B: TenantRef;
let refsB: Refs;
let bUser: TestUser;
let bViewId = "";
let bTokenId = "";
/** B's person is connecting an assistant by URL: its consent request waits (decision 031). */
let bConsent = "";
let bSessionId = "";
/** B's side of the intake: a lead in an agency workspace and the project tenant it provisioned (P). */
let bLeadId = "";
let P = { id: "", subdomain: "" };
let bMailId = "";
/** A pending invitation of B (team management: re-send, revoke). */
let bInvitationId = "";
/** A notification of B's client (B's admin wrote in the thread; decision 027). */
let bNotificationId = "";
const marker = unique("secretb");
const users = {} as Record<TenantRole, TestUser>;
// The bootcamp of B: a course, cohorts, a learner who finished it (submission released, certificate issued).
let bootB: BootcampRefs;
let bLearner: TestUser;
let bEnrolment = "";
let bSubmission = "";
let bCertificate = "";
// B's money (decision 028): an issued invoice with a payment, and its number
let bInvoice = "";
let bInvoiceNumber = "";
const invoiceDraft = (over: Record<string, unknown> = {}) => ({
  currency: "EUR",
  buyer: { name: `${marker} buyer`, nif: `${marker}-nif` },
  lines: [{ description: `${marker} line`, quantity_milli: 1000, unit_price_minor: 50_000, vat_bp: 2000 }],
  ...over,
});
/** A quiz of B's course and the attempt B's learner made (decision 032). */
let bQuiz = "";

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Matrix A", B: "Matrix B" },
    seed: true,
    roles: tenantRoles,
    users: { bUser: { in: { B: "admin" } }, bLearner: { in: { B: "client" } } },
  });
  ({ A, B } = s.tenants);
  refsB = s.refs.B;
  Object.assign(users, s.members.A);
  ({ bUser, bLearner } = s.users);
  await createRecord({ ctx: systemCtx(B), input: { entity: "clients", data: { name: `${marker} client` } } });
  // B's contact (decision 033): a person at B's client, with a job title and a phone, and a lead linked to it
  const bContact = await createRecord({
    ctx: systemCtx(B),
    input: {
      entity: "clients",
      data: {
        kind: "contact",
        name: `${marker} contact`,
        job_title: `${marker} job`,
        phone: "+33 6 12 34 56 78",
        organization_id: refsB.clients,
      },
    },
  });
  await createRecord({
    ctx: systemCtx(B),
    input: {
      entity: "leads",
      data: { title: `${marker} lead`, client_id: refsB.clients, contact_id: bContact.id },
    },
  });
  const view = await call("POST", "/api/app/views", {
    token: bUser.token,
    body: { screen: "clients", name: `${marker} view`, query: "q=x" },
  });
  bViewId = ((await view.json()) as { id: string }).id;
  // B's person has a second factor under way: no route of A's people may read or change it
  expect((await call("POST", "/api/app/account/mfa/totp", { token: bUser.token })).status).toBe(201);
  bTokenId = (await makeAccessToken(bUser, { name: `${marker} token`, tenants: [B] })).id;
  bConsent = await pendingConsent((input, init) =>
    (exports as unknown as { default: Fetcher }).default.fetch(
      new Request(input, { ...init, redirect: "manual" }),
    ),
  );
  bSessionId = sessionIdOf(bUser.token);
  // B's admin signs in with Google too (user_identities, decision 025)
  await env.DB.prepare(
    "INSERT INTO user_identities (provider, subject, user_id, email, created_at, last_used_at) VALUES ('google', ?, ?, ?, '2026-01-01', '2026-01-01')",
  )
    .bind(`${marker}-google-subject`, bUser.id, bUser.email)
    .run();
  await createTenant({
    ctx: { db: env.DB, now: () => new Date() },
    input: { name: `${marker} agency`, subdomain: unique("ag-"), kind: "agency" },
  });
  const intake = await submitIntake({
    ctx: { db: env.DB, now: () => new Date() },
    input: {
      locale: "fr",
      idempotency_key: unique("matrix-intake-key-"),
      name: `${marker} person`,
      email: `${unique("m")}@example.test`,
      organisation: `${marker} org`,
      project_type: "website",
      goals: `${marker} goals for the project`,
      budget: "5k_15k",
      timeline: "flexible",
    },
    ip: "192.0.2.1",
    siteOrigin: "https://fata.plus",
  });
  if (intake.status !== "created") throw new Error("intake not created");
  bLeadId = intake.leadId;
  P = { id: intake.tenantId, subdomain: intake.subdomain };
  // B's portal: an internal and a shared document, a requested file, an approval and a message.
  const bDoc = (await (
    await upload(
      bUser.token,
      B.subdomain,
      { bytes: pdfBytes(marker), name: `${marker}.pdf` },
      { title: `${marker} doc`, visibility: "client" },
    )
  ).json()) as { id: string; latest: { id: string } };
  const bInternal = (await (
    await upload(
      bUser.token,
      B.subdomain,
      { bytes: pdfBytes(`${marker}i`), name: "i.pdf" },
      { title: `${marker} internal` },
    )
  ).json()) as { id: string };
  const bReq = (await (
    await call("POST", "/api/app/portal/requests", {
      token: bUser.token,
      tenant: B.subdomain,
      body: { title: `${marker} req`, due_date: "2020-01-01" },
    })
  ).json()) as { id: string };
  const bApproval = (await (
    await call("POST", "/api/app/portal/approvals", {
      token: bUser.token,
      tenant: B.subdomain,
      body: { document_id: bDoc.id },
    })
  ).json()) as { id: string };
  const bMsg = (await (
    await call("POST", "/api/app/portal/messages", {
      token: bUser.token,
      tenant: B.subdomain,
      body: { body: `${marker} message` },
    })
  ).json()) as { id: string };
  bPortal = {
    doc: bDoc.id,
    version: bDoc.latest.id,
    internal: bInternal.id,
    request: bReq.id,
    approval: bApproval.id,
    message: bMsg.id,
  };
  for (const id of Object.values(bPortal)) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  bNotificationId =
    (
      await env.DB.prepare("SELECT id FROM notifications WHERE tenant_id = ? AND recipient_id = ?")
        .bind(B.id, bLearner.id)
        .first<{ id: string }>()
    )?.id ?? "";
  expect(bNotificationId).toMatch(/^[0-9a-f-]{36}$/);
  await env.DB.batch([
    queueMail(env.DB, {
      tenantId: B.id,
      to: bUser.email,
      subject: `${marker} mail`,
      text: marker,
      kind: "test",
    }),
  ]);
  const mail = await env.DB.prepare("SELECT id FROM email_outbox WHERE about_tenant_id = ?")
    .bind(B.id)
    .first<{ id: string }>();
  bMailId = mail?.id ?? "";

  bInvitationId = (
    await createInvitation({
      ctx: systemCtx(B),
      input: { email: `${unique("binv")}@example.test`, role: "partner" },
    })
  ).id;

  const inv = await createInvoice({ ctx: systemCtx(B), input: invoiceDraft() });
  bInvoice = inv.invoice.id;
  const issued = await issueInvoice({ ctx: systemCtx(B), input: { id: bInvoice, body: { version: 1 } } });
  bInvoiceNumber = issued.invoice.number ?? "";
  await recordPayment({
    ctx: systemCtx(B),
    input: {
      id: bInvoice,
      body: { amount_minor: 10_000, received_on: "2026-01-05", reference: `${marker}-vir` },
    },
  });

  bootB = await seedBootcamp(B, `${marker} course`);
  bEnrolment = await enrolMember(B, bootB.pastCohort, bLearner.email);
  const asB = { token: bLearner.token, tenant: B.subdomain };
  const bootPath = `/api/app/bootcamp/enrolments/${bEnrolment}`;
  for (const lesson of [bootB.lessonNow, bootB.lessonLater])
    await call("POST", `${bootPath}/lessons/${lesson}/complete`, asB);
  const sub = await call("POST", `${bootPath}/assignments/${bootB.assignment}/submission`, {
    ...asB,
    body: { url: `https://figma.com/file/${marker}` },
  });
  bSubmission = ((await sub.json()) as { id: string }).id;
  await startReview({ ctx: systemCtx(B), input: { id: bSubmission } });
  await saveReview({
    ctx: systemCtx(B),
    input: { id: bSubmission, scores: [5, 10], feedback: `${marker} feedback` },
  });
  await releaseReview({ ctx: systemCtx(B), input: { id: bSubmission } });
  const me = await call("GET", "/api/app/bootcamp/me", asB);
  bCertificate =
    ((await me.json()) as { enrolments: Array<{ certificate_id: string | null }> }).enrolments[0]
      ?.certificate_id ?? "";
  if (!bCertificate) throw new Error("B's learner should hold a certificate");
  bQuiz = (
    await createQuiz({
      ctx: systemCtx(B),
      input: {
        module_id: bootB.module,
        title: `${marker} quiz`,
        questions: [{ kind: "short", prompt: `${marker} prompt`, accepted: [`${marker} answer`] }],
      },
    })
  ).id;
  const attempt = await call("POST", `${bootPath}/quizzes/${bQuiz}/attempts`, {
    ...asB,
    body: { answers: [`${marker} answer`] },
  });
  if (attempt.status !== 201) throw new Error(`B's learner should pass B's quiz (${attempt.status})`);
});

let bPortal = { doc: "", version: "", internal: "", request: "", approval: "", message: "" };

type Attack = {
  method: string;
  path: string;
  tenant?: string;
  body?: unknown;
  upload?: Record<string, string>;
  /** The exact answer this attack must get (when every role of A is refused the same way). */
  status?: number;
  /** Sent with a session of its own (the attack ends the attacker's sessions: the next ones need theirs). */
  ownSession?: true;
};

/** A bootcamp attack twice: in B itself (no access there), and from A with B's ids. */
const both = (method: string, path: string, body?: unknown): Attack[] => [
  { method, path, tenant: B.subdomain, ...(body === undefined ? {} : { body }) },
  { method, path, tenant: A.subdomain, ...(body === undefined ? {} : { body }) },
];
const BC = "/api/app/bootcamp";

/** What a user of A tries against B, per route ("METHOD path" as registered). */
const attacks: Record<string, () => Attack[]> = {
  "GET /api/app/crm/access": () => [{ method: "GET", path: "/api/app/crm/access", tenant: B.subdomain }],
  "GET /api/app/crm/dashboard": () => [
    { method: "GET", path: "/api/app/crm/dashboard", tenant: B.subdomain },
  ],
  "GET /api/app/crm/clients": () => [
    { method: "GET", path: `/api/app/crm/clients?tenant=${B.id}&pageSize=100` },
    { method: "GET", path: `/api/app/crm/clients?q=${marker}` },
  ],
  "GET /api/app/crm/leads": () => [
    { method: "GET", path: `/api/app/crm/leads?tenant=${B.id}&pageSize=100` },
    { method: "GET", path: `/api/app/crm/leads?q=${marker}` },
  ],
  "GET /api/app/crm/projects": () => [
    { method: "GET", path: `/api/app/crm/projects?tenant=${B.id}` },
    { method: "GET", path: `/api/app/crm/projects?q=${encodeURIComponent(B.name)}` },
  ],
  "POST /api/app/crm/projects": () => [
    { method: "POST", path: "/api/app/crm/projects", body: { name: "Takeover", subdomain: B.subdomain } },
    { method: "POST", path: "/api/app/crm/projects", body: { name: "Fresh", subdomain: unique("m-") } },
  ],
  "GET /api/app/crm/outbox": () => [
    { method: "GET", path: `/api/app/crm/outbox?q=${marker}` },
    { method: "GET", path: "/api/app/crm/outbox", tenant: B.subdomain },
  ],
  "GET /api/app/crm/outbox/:id": () => [{ method: "GET", path: `/api/app/crm/outbox/${bMailId}` }],
  "GET /api/app/project/overview": () => [
    { method: "GET", path: "/api/app/project/overview", tenant: B.subdomain },
    { method: "GET", path: `/api/app/project/overview?tenant=${B.id}` },
  ],
  "GET /api/app/project/assignees": () => [
    { method: "GET", path: "/api/app/project/assignees", tenant: B.subdomain },
  ],
  "POST /api/app/project/invitations": () => [
    {
      method: "POST",
      path: "/api/app/project/invitations",
      tenant: B.subdomain,
      body: { email: "x@evil.test", role: "admin" },
    },
  ],
  "GET /api/app/portal/home": () => [{ method: "GET", path: "/api/app/portal/home", tenant: B.subdomain }],
  "GET /api/app/portal/activity": () => [
    { method: "GET", path: "/api/app/portal/activity", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/activity?tenant=${B.id}` },
  ],
  "GET /api/app/portal/counters": () => [
    { method: "GET", path: "/api/app/portal/counters", tenant: B.subdomain },
  ],
  "GET /api/app/portal/documents": () => [
    { method: "GET", path: "/api/app/portal/documents", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/documents?tenant=${B.id}&visibility=internal` },
  ],
  "POST /api/app/portal/documents": (): Attack[] => [
    { method: "POST", path: "/api/app/portal/documents", tenant: B.subdomain, upload: { title: "x" } },
    {
      method: "POST",
      path: "/api/app/portal/documents",
      tenant: A.subdomain,
      upload: { document_id: bPortal.doc },
    },
    {
      method: "POST",
      path: "/api/app/portal/documents",
      tenant: A.subdomain,
      upload: { request_id: bPortal.request },
    },
  ],
  "GET /api/app/portal/documents/:id": () => [
    { method: "GET", path: `/api/app/portal/documents/${bPortal.doc}`, tenant: A.subdomain },
    { method: "GET", path: `/api/app/portal/documents/${bPortal.internal}`, tenant: B.subdomain },
  ],
  "PUT /api/app/portal/documents/:id": () => [
    {
      method: "PUT",
      path: `/api/app/portal/documents/${bPortal.internal}`,
      tenant: A.subdomain,
      body: { visibility: "client" },
    },
    {
      method: "PUT",
      path: `/api/app/portal/documents/${bPortal.doc}`,
      tenant: B.subdomain,
      body: { title: "pwned" },
    },
  ],
  "DELETE /api/app/portal/documents/:id": () => [
    { method: "DELETE", path: `/api/app/portal/documents/${bPortal.doc}`, tenant: A.subdomain },
    { method: "DELETE", path: `/api/app/portal/documents/${bPortal.doc}`, tenant: B.subdomain },
  ],
  "POST /api/app/portal/downloads": () => [
    {
      method: "POST",
      path: "/api/app/portal/downloads",
      tenant: A.subdomain,
      body: { version_id: bPortal.version },
    },
    {
      method: "POST",
      path: "/api/app/portal/downloads",
      tenant: B.subdomain,
      body: { version_id: bPortal.version },
    },
  ],
  "GET /api/app/portal/requests": () => [
    { method: "GET", path: "/api/app/portal/requests", tenant: B.subdomain },
  ],
  "POST /api/app/portal/requests": () => [
    { method: "POST", path: "/api/app/portal/requests", tenant: B.subdomain, body: { title: "injected" } },
  ],
  "POST /api/app/portal/requests/remind": () => [
    { method: "POST", path: "/api/app/portal/requests/remind", tenant: B.subdomain },
  ],
  "POST /api/app/portal/requests/:id/review": () => [
    {
      method: "POST",
      path: `/api/app/portal/requests/${bPortal.request}/review`,
      tenant: A.subdomain,
      body: { decision: "accept" },
    },
    {
      method: "POST",
      path: `/api/app/portal/requests/${bPortal.request}/review`,
      tenant: B.subdomain,
      body: { decision: "accept" },
    },
  ],
  "GET /api/app/portal/approvals": () => [
    { method: "GET", path: "/api/app/portal/approvals", tenant: B.subdomain },
  ],
  "POST /api/app/portal/approvals": () => [
    {
      method: "POST",
      path: "/api/app/portal/approvals",
      tenant: A.subdomain,
      body: { document_id: bPortal.doc },
    },
    {
      method: "POST",
      path: "/api/app/portal/approvals",
      tenant: B.subdomain,
      body: { document_id: bPortal.doc },
    },
  ],
  "POST /api/app/portal/approvals/:id/decision": () => [
    {
      method: "POST",
      path: `/api/app/portal/approvals/${bPortal.approval}/decision`,
      tenant: A.subdomain,
      body: { decision: "approve" },
    },
    {
      method: "POST",
      path: `/api/app/portal/approvals/${bPortal.approval}/decision`,
      tenant: B.subdomain,
      body: { decision: "approve" },
    },
  ],
  "GET /api/app/portal/messages": () => [
    { method: "GET", path: "/api/app/portal/messages?after=0", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/messages?tenant=${B.id}` },
  ],
  "POST /api/app/portal/messages": () => [
    { method: "POST", path: "/api/app/portal/messages", tenant: B.subdomain, body: { body: "intrusion" } },
  ],
  "POST /api/app/portal/messages/read": () => [
    { method: "POST", path: "/api/app/portal/messages/read", tenant: B.subdomain, body: { seq: 1 } },
  ],
  "POST /api/app/portal/messages/ticket": () => [
    { method: "POST", path: "/api/app/portal/messages/ticket", tenant: B.subdomain },
  ],
  "GET /api/app/views": () => [{ method: "GET", path: "/api/app/views?screen=clients" }],
  "POST /api/app/views": () => [
    {
      method: "POST",
      path: "/api/app/views",
      body: { screen: "clients", name: "mine", query: `tenant=${B.id}` },
    },
  ],
  "DELETE /api/app/views/:id": () => [{ method: "DELETE", path: `/api/app/views/${bViewId}` }],
  "GET /api/app/tokens": () => [{ method: "GET", path: "/api/app/tokens" }],
  "POST /api/app/tokens": () => [
    {
      method: "POST",
      path: "/api/app/tokens",
      body: { name: "sneaky", expires_in_days: 30, tenants: [B.subdomain] },
    },
    {
      method: "POST",
      path: "/api/app/tokens",
      body: { name: "sneaky", expires_in_days: 30, tenants: [B.id] },
    },
  ],
  "DELETE /api/app/tokens/:id": () => [{ method: "DELETE", path: `/api/app/tokens/${bTokenId}` }],
  // a consent request's handle is the browser's secret; even with it, A's people approve only their projects
  "GET /api/app/oauth/requests/:handle": () => [
    { method: "GET", path: `/api/app/oauth/requests/${bConsent}`, tenant: B.subdomain },
  ],
  "POST /api/app/oauth/requests/:handle/approve": () => [
    {
      method: "POST",
      path: `/api/app/oauth/requests/${bConsent}/approve`,
      body: { tenants: [B.subdomain], scope: "write", expires_in_days: 30 },
    },
    {
      method: "POST",
      path: `/api/app/oauth/requests/${bConsent}/approve`,
      tenant: B.subdomain,
      body: { tenants: [B.id], scope: "read", expires_in_days: 30 },
    },
  ],
  "POST /api/app/oauth/requests/:handle/deny": () => [
    { method: "POST", path: `/api/app/oauth/requests/${"x".repeat(43)}/deny`, tenant: B.subdomain },
  ],
  "GET /api/app/crm/leads/:id/intake": () => [
    { method: "GET", path: `/api/app/crm/leads/${bLeadId}/intake` },
    { method: "GET", path: `/api/app/crm/leads/${bLeadId}/intake`, tenant: P.subdomain },
  ],
  "PUT /api/app/crm/leads/:id/proposal": () => [
    {
      method: "PUT",
      path: `/api/app/crm/leads/${bLeadId}/proposal`,
      body: {
        title: "Hijacked",
        items: [{ phase: "build", deliverable: "x", effort_days: 1, price_cents: 1, source: "goals" }],
        assumptions: [],
        valid_until: "2099-01-01",
        version: 1,
      },
    },
  ],
  "POST /api/app/crm/leads/:id/proposal/send": () => [
    { method: "POST", path: `/api/app/crm/leads/${bLeadId}/proposal/send`, body: { version: 1 } },
  ],
  "POST /api/app/crm/leads/:id/decision": () => [
    { method: "POST", path: `/api/app/crm/leads/${bLeadId}/decision`, body: { decision: "reject" } },
    { method: "POST", path: `/api/app/crm/leads/${bLeadId}/decision`, body: { decision: "accept" } },
  ],
  "GET /api/app/portal/proposal": () => [
    { method: "GET", path: "/api/app/portal/proposal", tenant: P.subdomain },
    { method: "GET", path: `/api/app/portal/proposal?tenant=${P.id}` },
  ],
  "POST /api/app/portal/proposal/respond": () => [
    {
      method: "POST",
      path: "/api/app/portal/proposal/respond",
      tenant: P.subdomain,
      body: { decision: "accept", version: 1 },
    },
  ],
  // money (src/routes/money.ts): B's invoice from A, and B named as the tenant; the agency's view is staff-only
  "GET /api/app/portal/invoices": () => [
    { method: "GET", path: "/api/app/portal/invoices", tenant: B.subdomain },
    { method: "GET", path: `/api/app/portal/invoices?tenant=${B.id}` },
  ],
  "POST /api/app/portal/invoices": () => [
    { method: "POST", path: "/api/app/portal/invoices", tenant: B.subdomain, body: invoiceDraft() },
    {
      method: "POST",
      path: "/api/app/portal/invoices",
      tenant: A.subdomain,
      body: invoiceDraft({ project_id: refsB.projects }),
    },
  ],
  "GET /api/app/portal/invoices/:id": () => both("GET", `/api/app/portal/invoices/${bInvoice}`),
  "GET /api/app/portal/invoices/:id/pdf": () => both("GET", `/api/app/portal/invoices/${bInvoice}/pdf`),
  "PUT /api/app/portal/invoices/:id": () =>
    both("PUT", `/api/app/portal/invoices/${bInvoice}`, { ...invoiceDraft(), version: 2 }),
  "DELETE /api/app/portal/invoices/:id": () =>
    both("DELETE", `/api/app/portal/invoices/${bInvoice}`, { version: 2 }),
  "POST /api/app/portal/invoices/:id/issue": () =>
    both("POST", `/api/app/portal/invoices/${bInvoice}/issue`, { version: 2 }),
  "POST /api/app/portal/invoices/:id/cancel": () =>
    both("POST", `/api/app/portal/invoices/${bInvoice}/cancel`, { version: 2, reason: "pwned" }),
  "POST /api/app/portal/invoices/:id/payments": () =>
    both("POST", `/api/app/portal/invoices/${bInvoice}/payments`, {
      amount_minor: 1,
      received_on: "2026-01-01",
    }),
  "POST /api/app/portal/invoices/:id/checkout": () =>
    both("POST", `/api/app/portal/invoices/${bInvoice}/checkout`),
  "GET /api/app/portal/proposal/acceptance": () => [
    { method: "GET", path: "/api/app/portal/proposal/acceptance", tenant: P.subdomain },
    { method: "GET", path: `/api/app/portal/proposal/acceptance?tenant=${P.id}` },
  ],
  "GET /api/app/portal/proposal/acceptance.pdf": () => [
    { method: "GET", path: "/api/app/portal/proposal/acceptance.pdf", tenant: P.subdomain },
  ],
  "GET /api/app/crm/invoices": () => [
    { method: "GET", path: `/api/app/crm/invoices?tenant=${B.id}`, status: 403 },
    { method: "GET", path: "/api/app/crm/invoices", tenant: B.subdomain, status: 403 },
  ],
  "GET /api/app/crm/invoices.csv": () => [{ method: "GET", path: "/api/app/crm/invoices.csv", status: 403 }],
  "GET /api/app/crm/billing": () => [{ method: "GET", path: "/api/app/crm/billing", status: 403 }],
  "PUT /api/app/crm/billing": () => [
    {
      method: "PUT",
      path: "/api/app/crm/billing",
      body: { legal_name: "pwned", country: "MG", default_vat_bp: 0, default_due_days: 0 },
      status: 403,
    },
  ],
  "GET /api/app/bootcamp/overview": () => both("GET", `${BC}/overview`),
  "GET /api/app/bootcamp/stats": () => both("GET", `${BC}/stats`),
  "POST /api/app/bootcamp/courses": () =>
    both("POST", `${BC}/courses`, { slug: unique("m-"), title: "Takeover", status: "published" }),
  "GET /api/app/bootcamp/courses/:id": () => both("GET", `${BC}/courses/${bootB.course}`),
  "PATCH /api/app/bootcamp/courses/:id": () =>
    both("PATCH", `${BC}/courses/${bootB.course}`, { title: "pwned", status: "draft" }),
  "POST /api/app/bootcamp/modules": () =>
    both("POST", `${BC}/modules`, { course_id: bootB.course, title: "pwned" }),
  "POST /api/app/bootcamp/lessons": () =>
    both("POST", `${BC}/lessons`, { module_id: bootB.module, title: "pwned" }),
  "PATCH /api/app/bootcamp/lessons/:id": () =>
    both("PATCH", `${BC}/lessons/${bootB.lessonNow}`, { body_md: "pwned" }),
  "POST /api/app/bootcamp/assignments": () =>
    both("POST", `${BC}/assignments`, {
      course_id: bootB.course,
      title: "pwned",
      rubric: [{ criterion: "x", points: 1 }],
    }),
  "POST /api/app/bootcamp/cohorts": () =>
    both("POST", `${BC}/cohorts`, { course_id: bootB.course, name: "pwned", start_date: "2030-01-01" }),
  "GET /api/app/bootcamp/cohorts/:id": () => both("GET", `${BC}/cohorts/${bootB.pastCohort}`),
  "POST /api/app/bootcamp/cohorts/:id/instructors": () =>
    both("POST", `${BC}/cohorts/${bootB.pastCohort}/instructors`, { email: bUser.email }),
  "POST /api/app/bootcamp/enrolments": () =>
    both("POST", `${BC}/enrolments`, { cohort_id: bootB.upcoming, email: "x@evil.test", name: "X" }),
  "POST /api/app/bootcamp/enrolments/:id/invite": () => both("POST", `${BC}/enrolments/${bEnrolment}/invite`),
  "POST /api/app/bootcamp/enrolments/:id/withdraw": () =>
    both("POST", `${BC}/enrolments/${bEnrolment}/withdraw`),
  "GET /api/app/bootcamp/me": () => both("GET", `${BC}/me`),
  "GET /api/app/bootcamp/enrolments/:id/course": () => both("GET", `${BC}/enrolments/${bEnrolment}/course`),
  "GET /api/app/bootcamp/enrolments/:id/lessons/:lessonId": () =>
    both("GET", `${BC}/enrolments/${bEnrolment}/lessons/${bootB.lessonNow}`),
  "POST /api/app/bootcamp/enrolments/:id/lessons/:lessonId/complete": () =>
    both("POST", `${BC}/enrolments/${bEnrolment}/lessons/${bootB.lessonNow}/complete`),
  "POST /api/app/bootcamp/enrolments/:id/assignments/:assignmentId/submission": () =>
    both("POST", `${BC}/enrolments/${bEnrolment}/assignments/${bootB.assignment}/submission`, {
      url: "https://evil.test/x",
    }),
  "POST /api/app/bootcamp/quizzes": () =>
    both("POST", `${BC}/quizzes`, {
      module_id: bootB.module,
      title: "pwned",
      questions: [{ kind: "short", prompt: "x", accepted: ["x"] }],
    }),
  "PATCH /api/app/bootcamp/quizzes/:id": () => both("PATCH", `${BC}/quizzes/${bQuiz}`, { title: "pwned" }),
  "GET /api/app/bootcamp/enrolments/:id/quizzes/:quizId": () =>
    both("GET", `${BC}/enrolments/${bEnrolment}/quizzes/${bQuiz}`),
  "POST /api/app/bootcamp/enrolments/:id/quizzes/:quizId/attempts": () =>
    both("POST", `${BC}/enrolments/${bEnrolment}/quizzes/${bQuiz}/attempts`, { answers: ["x"] }),
  "PATCH /api/app/bootcamp/modules/:id": () =>
    both("PATCH", `${BC}/modules/${bootB.module}`, { title: "pwned" }),
  "PATCH /api/app/bootcamp/assignments/:id": () =>
    both("PATCH", `${BC}/assignments/${bootB.assignment}`, { title: "pwned" }),
  "PATCH /api/app/bootcamp/cohorts/:id": () =>
    both("PATCH", `${BC}/cohorts/${bootB.pastCohort}`, { name: "pwned", seats: 1 }),
  "POST /api/app/bootcamp/content/reorder": () =>
    both("POST", `${BC}/content/reorder`, {
      kind: "lessons",
      parent_id: bootB.module,
      ids: [bootB.lessonLater, bootB.lessonNow],
    }),
  "POST /api/app/bootcamp/content/delete": () => [
    ...both("POST", `${BC}/content/delete`, { kind: "assignments", id: bootB.assignment, confirm: true }),
    ...both("POST", `${BC}/content/delete`, { kind: "modules", id: bootB.module, confirm: true }),
  ],
  "POST /api/app/bootcamp/certificates/:id/revoke": () =>
    both("POST", `${BC}/certificates/${bCertificate}/revoke`, { reason: "pwned by A" }),
  "GET /api/app/bootcamp/submissions/:id/file": () => both("GET", `${BC}/submissions/${bSubmission}/file`),
  "GET /api/app/bootcamp/certificates/:id": () => both("GET", `${BC}/certificates/${bCertificate}`),
  "GET /api/app/bootcamp/reviews": () => both("GET", `${BC}/reviews?state=released`),
  "GET /api/app/bootcamp/reviews/:id": () => both("GET", `${BC}/reviews/${bSubmission}`),
  "POST /api/app/bootcamp/reviews/:id/start": () => both("POST", `${BC}/reviews/${bSubmission}/start`),
  "POST /api/app/bootcamp/reviews/:id/scores": () =>
    both("POST", `${BC}/reviews/${bSubmission}/scores`, { scores: [0, 0], feedback: "pwned" }),
  "POST /api/app/bootcamp/reviews/:id/release": () => both("POST", `${BC}/reviews/${bSubmission}/release`),
  "POST /api/app/bootcamp/reviews/:id/reopen": () => both("POST", `${BC}/reviews/${bSubmission}/reopen`),
  "POST /api/app/auth/handoff": () => [
    { method: "POST", path: "/api/app/auth/handoff", body: { tenant: B.subdomain } },
  ],
  // the second factor (src/routes/mfa.ts): the caller's own, never B's person's (bUser has one pending)
  "GET /api/app/account/mfa": () => [
    { method: "GET", path: "/api/app/account/mfa", tenant: B.subdomain },
    { method: "GET", path: `/api/app/account/mfa?user_id=${bUser.id}` },
  ],
  "POST /api/app/account/mfa/totp": () => [
    { method: "POST", path: "/api/app/account/mfa/totp", tenant: B.subdomain, body: { user_id: bUser.id } },
  ],
  "POST /api/app/account/mfa/totp/confirm": () => [
    {
      method: "POST",
      path: "/api/app/account/mfa/totp/confirm",
      body: { code: "123456", user_id: bUser.id },
    },
    { method: "POST", path: "/api/app/account/mfa/totp/confirm", body: { code: "123456" } },
  ],
  "POST /api/app/account/mfa/recovery-codes": () => [
    { method: "POST", path: "/api/app/account/mfa/recovery-codes", body: { code: "123456" } },
  ],
  "POST /api/app/account/mfa/disable": () => [
    {
      method: "POST",
      path: "/api/app/account/mfa/disable",
      body: { password: "Matrix-password-1", code: "123456", user_id: bUser.id },
    },
    { method: "POST", path: "/api/app/account/mfa/disable", body: { password: "x", code: "123456" } },
  ],
  // agency admins only: every role of A is refused (members of a tenant are not agency admins)
  "GET /api/app/admin/mfa-policy": () => [{ method: "GET", path: "/api/app/admin/mfa-policy", status: 403 }],
  "PUT /api/app/admin/mfa-policy": () => [
    {
      method: "PUT",
      path: "/api/app/admin/mfa-policy",
      body: { staff_required_after: "2020-01-01" },
      status: 403,
    },
  ],
  // the platform's usage (decision 029): agency admins only, whatever tenant is named
  "GET /api/app/crm/usage": () => [
    { method: "GET", path: "/api/app/crm/usage", status: 403 },
    { method: "GET", path: "/api/app/crm/usage?days=30", tenant: B.subdomain, status: 403 },
  ],
  "GET /api/app/system/health": () => [
    { method: "GET", path: "/api/app/system/health", status: 403 },
    { method: "GET", path: "/api/health?deep=1", tenant: B.subdomain, status: 403 },
  ],
  "GET /api/app/crm/jobs": () => [
    { method: "GET", path: "/api/app/crm/jobs?job=backup", status: 403 },
    { method: "GET", path: "/api/app/crm/jobs", tenant: B.subdomain, status: 403 },
  ],
  "GET /api/app/crm/usage.csv": () => [
    { method: "GET", path: "/api/app/crm/usage.csv", status: 403 },
    { method: "GET", path: `/api/app/crm/usage.csv?tenant=${B.id}`, status: 403 },
  ],
  "GET /api/app/account/sessions": () => [
    { method: "GET", path: "/api/app/account/sessions" },
    { method: "GET", path: "/api/app/account/sessions", tenant: B.subdomain },
  ],
  "POST /api/app/account/sessions/end": () => [
    { method: "POST", path: "/api/app/account/sessions/end", body: { id: bSessionId } },
    { method: "POST", path: "/api/app/account/sessions/end", tenant: B.subdomain, body: { id: bSessionId } },
  ],
  "POST /api/app/account/sessions/end-all": () => [
    { method: "POST", path: "/api/app/account/sessions/end-all", tenant: B.subdomain, ownSession: true },
  ],
  // One's own password only: naming B, or B's person, changes nothing of theirs.
  "POST /api/app/account/password": () => [
    ...both("POST", "/api/app/account/password", {
      current_password: "not-the-password",
      new_password: "Tortue-Mangue-Baobab-88",
    }),
    ...both("POST", "/api/app/account/password", {
      current_password: "not-the-password",
      new_password: "Tortue-Mangue-Baobab-88",
      user_id: bUser.id,
      email: bUser.email,
    }),
  ],
  // the caller's own provider links (src/routes/sso-account.ts): no tenant, no id from the request
  "GET /api/app/account/sso": () => [{ method: "GET", path: "/api/app/account/sso", tenant: B.subdomain }],
  "POST /api/app/agency/sso-policy": () => [
    {
      method: "POST",
      path: "/api/app/agency/sso-policy",
      tenant: B.subdomain,
      body: { staffSsoRequired: true },
    },
  ],
  "POST /api/app/account/sso/unlink": () => [
    {
      method: "POST",
      path: "/api/app/account/sso/unlink",
      tenant: B.subdomain,
      body: { provider: "google" },
    },
  ],
  // timelines (decision 030): B's client and lead named in B (no access), and B's ids asked of A and of P
  "GET /api/app/project/timeline/:subject/:id": () => [
    { method: "GET", path: `/api/app/project/timeline/clients/${refsB.clients}`, tenant: B.subdomain },
    { method: "GET", path: `/api/app/project/timeline/leads/${refsB.leads}`, tenant: B.subdomain },
    { method: "GET", path: `/api/app/project/timeline/clients/${refsB.clients}`, tenant: A.subdomain },
    { method: "GET", path: `/api/app/project/timeline/leads/${refsB.leads}`, tenant: A.subdomain },
    { method: "GET", path: `/api/app/project/timeline/leads/${bLeadId}`, tenant: A.subdomain },
    { method: "GET", path: `/api/app/project/timeline/leads/${bLeadId}`, tenant: P.subdomain },
  ],
  // time zones (decision 030): the caller's own account and the agency's setting; no tenant, no id from the request
  "GET /api/app/account/time-zone": () => [
    { method: "GET", path: "/api/app/account/time-zone", tenant: B.subdomain },
  ],
  "PUT /api/app/account/time-zone": () => [
    ...both("PUT", "/api/app/account/time-zone", { timeZone: "Europe/Paris", user_id: bUser.id }),
  ],
  "PUT /api/app/agency/time-zone": () => [
    { method: "PUT", path: "/api/app/agency/time-zone", tenant: B.subdomain, body: { timeZone: "UTC" } },
  ],
  // Team management (decision 026): B's members and invitations, named in B (no access) and from A (B's ids).
  "PUT /api/app/project/members/:userId": () => [
    {
      method: "PUT",
      path: `/api/app/project/members/${bLearner.id}`,
      tenant: B.subdomain,
      body: { role: "admin" },
    },
    {
      method: "PUT",
      path: `/api/app/project/members/${bLearner.id}`,
      tenant: A.subdomain,
      body: { role: "admin" },
    },
    {
      method: "PUT",
      path: `/api/app/project/members/${bUser.id}`,
      tenant: B.subdomain,
      body: { role: "client" },
    },
  ],
  "DELETE /api/app/project/members/:userId": () => [
    { method: "DELETE", path: `/api/app/project/members/${bLearner.id}`, tenant: B.subdomain },
    { method: "DELETE", path: `/api/app/project/members/${bLearner.id}`, tenant: A.subdomain },
  ],
  "POST /api/app/project/invitations/:id/resend": () => [
    { method: "POST", path: `/api/app/project/invitations/${bInvitationId}/resend`, tenant: B.subdomain },
    { method: "POST", path: `/api/app/project/invitations/${bInvitationId}/resend`, tenant: A.subdomain },
  ],
  "DELETE /api/app/project/invitations/:id": () => [
    { method: "DELETE", path: `/api/app/project/invitations/${bInvitationId}`, tenant: B.subdomain },
    { method: "DELETE", path: `/api/app/project/invitations/${bInvitationId}`, tenant: A.subdomain },
  ],
  // Notifications (decision 027): one's own only, in B (no access) or across one's projects, with B's ids.
  "GET /api/app/notifications": () => [
    { method: "GET", path: "/api/app/notifications", tenant: B.subdomain },
    { method: "GET", path: `/api/app/notifications?tenant=${B.id}` },
    { method: "GET", path: "/api/app/notifications?surface=crm&limit=50" },
  ],
  "GET /api/app/notifications/count": () => [
    { method: "GET", path: "/api/app/notifications/count", tenant: B.subdomain },
    { method: "GET", path: "/api/app/notifications/count" },
  ],
  "POST /api/app/notifications/read": () => [
    { method: "POST", path: "/api/app/notifications/read", body: { ids: [bNotificationId] } },
    {
      method: "POST",
      path: "/api/app/notifications/read",
      tenant: B.subdomain,
      body: { ids: [bNotificationId] },
    },
  ],
  "POST /api/app/notifications/read-all": () => [
    { method: "POST", path: "/api/app/notifications/read-all", tenant: B.subdomain },
    { method: "POST", path: "/api/app/notifications/read-all" },
  ],
  "GET /api/app/account/notifications": () => [
    { method: "GET", path: `/api/app/account/notifications?user_id=${bUser.id}`, tenant: B.subdomain },
  ],
  "PUT /api/app/account/notifications": () => [
    {
      method: "PUT",
      path: "/api/app/account/notifications",
      tenant: B.subdomain,
      body: { preferences: [{ kind: "message", channel: "off" }], user_id: bLearner.id },
    },
  ],
  "GET /api/app/agency/notifications": () => [
    { method: "GET", path: "/api/app/agency/notifications", status: 403, ownSession: true },
  ],
  "PUT /api/app/agency/notifications": () => [
    {
      method: "PUT",
      path: "/api/app/agency/notifications",
      body: { digest_minutes: 5 },
      status: 403,
      ownSession: true,
    },
  ],
  "POST /api/app/agency/notifications/run": () => [
    { method: "POST", path: "/api/app/agency/notifications/run", status: 403, ownSession: true },
  ],
  "GET /api/app/agency/users": () => [
    { method: "GET", path: `/api/app/agency/users?q=${encodeURIComponent(bUser.email)}` },
    { method: "GET", path: "/api/app/agency/users", tenant: B.subdomain },
  ],
  "PUT /api/app/agency/users/:id/status": () => [
    { method: "PUT", path: `/api/app/agency/users/${bUser.id}/status`, body: { status: "disabled" } },
    {
      method: "PUT",
      path: `/api/app/agency/users/${bLearner.id}/status`,
      tenant: B.subdomain,
      body: { status: "disabled" },
    },
  ],
};

/** Everything of B that must never reach a user of A. */
const secretsOfB = () => [
  marker,
  B.name,
  ...Object.values(refsB),
  bViewId,
  bTokenId,
  bSessionId,
  bMailId,
  bUser.email,
  bLeadId,
  P.id,
  ...Object.values(bootB),
  bLearner.email,
  bEnrolment,
  bSubmission,
  bCertificate,
  ...Object.values(bPortal),
  bInvitationId,
  bNotificationId,
  bInvoice,
  bInvoiceNumber,
];

async function bState(): Promise<string> {
  const view = await env.DB.prepare("SELECT id FROM saved_views WHERE id = ?").bind(bViewId).first();
  const token = await env.DB.prepare("SELECT revoked_at FROM access_tokens WHERE id = ?")
    .bind(bTokenId)
    .first();
  const lead = await env.DB.prepare(
    "SELECT l.stage, i.decided_at, t.status, t.stage AS tstage FROM leads l JOIN intakes i ON i.lead_id = l.id JOIN tenants t ON t.id = i.project_tenant_id WHERE l.id = ?",
  )
    .bind(bLeadId)
    .first();
  const sessions = await env.DB.prepare(
    "SELECT id, revoked_at FROM sessions WHERE user_id IN (?, ?) ORDER BY id",
  )
    .bind(bUser.id, bLearner.id)
    .all();
  const files = (await env.BUCKET.list({ prefix: `tenants/${B.id}/` })).objects.map((o) => [o.key, o.etag]);
  const ssoLinks = await env.DB.prepare("SELECT provider, subject FROM user_identities WHERE user_id = ?")
    .bind(bUser.id)
    .all();
  const mfa = await env.DB.prepare(
    "SELECT t.secret_enc, t.status, t.last_step, p.mfa_staff_required_after FROM user_totp t LEFT JOIN auth_policy p ON p.id = 1 WHERE t.user_id = ?",
  )
    .bind(bUser.id)
    .first();
  // B's people's accounts (deactivation is agency-wide) and B's pending invitation (its token, its expiry).
  const people = await env.DB.prepare("SELECT id, status FROM users WHERE id IN (?, ?) ORDER BY id")
    .bind(bUser.id, bLearner.id)
    .all();
  const invitation = await env.DB.prepare("SELECT token_hash, expires_at FROM invitations WHERE id = ?")
    .bind(bInvitationId)
    .first();
  // no assistant may be connected to B by anyone of A
  const assistants = await env.DB.prepare(
    "SELECT count(*) AS n FROM access_tokens WHERE kind = 'assistant' AND (all_tenants = 1 OR tenant_ids LIKE ?)",
  )
    .bind(`%${B.id}%`)
    .first();
  // B's people's notification choices, and the agency's digest interval (agency admins only)
  const choices = await env.DB.prepare(
    "SELECT user_id, kind, channel FROM notification_preferences WHERE user_id IN (?, ?) ORDER BY user_id, kind",
  )
    .bind(bUser.id, bLearner.id)
    .all();
  const digest = await env.DB.prepare("SELECT digest_minutes FROM agency_settings WHERE id = 1").first();
  const billing = await env.DB.prepare("SELECT * FROM agency_billing").all();
  return JSON.stringify([
    await snapshotTenant(B.id),
    await snapshotTenant(P.id),
    view,
    token,
    lead,
    files,
    mfa,
    sessions.results,
    ssoLinks.results,
    people.results,
    invitation,
    assistants,
    choices.results,
    digest,
    billing.results,
  ]);
}

describe("every /api/app route is in the matrix", () => {
  it("covers the registered routes and the sign-in hand-off", () => {
    const app: AppServer = new Hono();
    registerAppRoutes(app);
    const registered = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
    // registered with the auth routes (src/routes/auth.ts)
    for (const route of [
      "POST /api/app/auth/handoff",
      "GET /api/app/account/sessions",
      "POST /api/app/account/sessions/end",
      "POST /api/app/account/sessions/end-all",
    ])
      registered.add(route);
    registered.add("POST /api/app/account/password"); // with the password routes (src/routes/passwords.ts)
    expect([...registered].sort()).toEqual(Object.keys(attacks).sort());
  });
});

describe.each(["client", "partner", "project_manager", "admin"] as const)("a %s of A, aimed at B", (role) => {
  it.each(Object.keys(attacks))("%s reveals and changes nothing of B", async (route) => {
    const before = await bState();
    for (const attack of attacks[route]?.() ?? []) {
      const res = attack.upload
        ? await upload(
            users[role].token,
            attack.tenant ?? A.subdomain,
            { bytes: pdfBytes(), name: "x.pdf" },
            attack.upload,
          )
        : await call(attack.method, attack.path, {
            token: attack.ownSession ? await loginToken(users[role].email) : users[role].token,
            ...(attack.tenant ? { tenant: attack.tenant } : {}),
            ...(attack.body !== undefined ? { body: attack.body } : {}),
          });
      expect(res.status, `${attack.method} ${attack.path}`).toBeLessThan(500);
      if (attack.status !== undefined)
        expect(res.status, `${attack.method} ${attack.path}`).toBe(attack.status);
      const text = await res.text();
      for (const secret of secretsOfB())
        expect(text, `${attack.method} ${attack.path}`).not.toContain(secret);
    }
    expect(await bState()).toBe(before);
  });
});
