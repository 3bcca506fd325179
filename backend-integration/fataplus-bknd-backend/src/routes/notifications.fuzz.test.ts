/**
 * Notifications never cross tenants (decision 027), fuzzed: fast-check (fixed seed) plays random sequences of
 * events in two projects — messages by any role, requested files, uploads against them, tasks handed to anyone
 * (people of the other project included) — then checks every notification row, every reader's list and every
 * e-mail the pass queues: each reaches only people of its own project, never its actor, never another
 * project's content (every person's name and every text carries its project's marker), and the agency-only
 * kinds never reach a client or a partner.
 */
import { env } from "cloudflare:workers";
import {
  type Ctx,
  createFileRequest,
  createRecord,
  listNotifications,
  postMessage,
  sendNotificationEmails,
  type TenantRef,
  type TenantRole,
  tenantRoles,
  uploadDocument,
} from "@fataplus/domain";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { scenario, type TestUser } from "../../test/factories.ts";
import { pdfBytes } from "../../test/portal-factories.ts";

type Side = "A" | "B";
const markers: Record<Side, string> = {
  A: `mkA${crypto.randomUUID().slice(0, 8)}`,
  B: `mkB${crypto.randomUUID().slice(0, 8)}`,
};
const tenants = {} as Record<Side, TenantRef>;
const people = {} as Record<Side, Record<TenantRole, TestUser>>;
const projects = {} as Record<Side, string>;
const requests: Record<Side, string[]> = { A: [], B: [] };

const ctxOf = (side: Side, role: TenantRole): Ctx => ({
  db: env.DB,
  tenant: tenants[side],
  role,
  actor: {
    type: "user",
    userId: people[side][role].id,
    email: people[side][role].email,
    agencyRole: "member",
  },
  now: () => new Date(),
});

beforeAll(async () => {
  const users = {} as Record<string, { in: Partial<Record<Side, TenantRole>>; name: string }>;
  for (const side of ["A", "B"] as const)
    for (const role of tenantRoles)
      users[`${side}_${role}`] = { in: { [side]: role }, name: `${markers[side]} ${role}` };
  const s = await scenario(
    { tenants: ["A", "B"], names: { A: markers.A, B: markers.B }, seed: true, users },
    { login: false },
  );
  for (const side of ["A", "B"] as const) {
    tenants[side] = s.tenants[side];
    projects[side] = s.refs[side].projects;
    people[side] = Object.fromEntries(tenantRoles.map((r) => [r, s.users[`${side}_${r}`]])) as Record<
      TenantRole,
      TestUser
    >;
  }
});

type Event =
  | { type: "message"; side: Side; role: TenantRole }
  | { type: "request"; side: Side; role: "project_manager" | "admin" }
  | { type: "upload"; side: Side }
  | { type: "task"; side: Side; assignee: { side: Side; role: TenantRole } };

const side = fc.constantFrom<Side>("A", "B");
const role = fc.constantFrom<TenantRole>(...tenantRoles);
const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ type: fc.constant("message" as const), side, role }),
  fc.record({
    type: fc.constant("request" as const),
    side,
    role: fc.constantFrom("project_manager" as const, "admin" as const),
  }),
  fc.record({ type: fc.constant("upload" as const), side }),
  fc.record({ type: fc.constant("task" as const), side, assignee: fc.record({ side, role }) }),
);

async function play(e: Event): Promise<void> {
  const m = markers[e.side];
  if (e.type === "message")
    await postMessage({ ctx: ctxOf(e.side, e.role), input: { body: `${m} says hello` } });
  if (e.type === "request") {
    const r = await createFileRequest({ ctx: ctxOf(e.side, e.role), input: { title: `${m} file` } });
    requests[e.side].push(r.id);
  }
  if (e.type === "upload") {
    const id = requests[e.side].pop();
    if (!id) return;
    await uploadDocument({
      ctx: ctxOf(e.side, "client"),
      bucket: env.BUCKET,
      input: { request_id: id, file_name: `${m}.pdf`, bytes: pdfBytes(m) },
      maxBytes: 1_000_000,
    });
  }
  if (e.type === "task") {
    const assignee = people[e.assignee.side][e.assignee.role].id;
    // an assignee of the other project is refused by the write path: that refusal is part of the game
    await createRecord({
      ctx: ctxOf(e.side, "project_manager"),
      input: {
        entity: "tasks",
        data: { title: `${m} task`, project_id: projects[e.side], assignee_id: assignee },
      },
    }).catch((err: unknown) => {
      if (e.assignee.side === e.side) throw err;
    });
  }
}

const AGENCY_KINDS = new Set([
  "request_uploaded",
  "approval_decided",
  "proposal_answered",
  "invitation_accepted",
]);

async function checkRows(): Promise<void> {
  const { results } = await env.DB.prepare(
    `SELECT n.tenant_id, n.kind, n.title, n.excerpt, n.actor_name, n.recipient_id, u.name AS recipient_name, m.role
     FROM notifications n JOIN users u ON u.id = n.recipient_id
     LEFT JOIN memberships m ON m.tenant_id = n.tenant_id AND m.user_id = n.recipient_id
     WHERE n.tenant_id IN (?, ?)`,
  )
    .bind(tenants.A.id, tenants.B.id)
    .all<{
      tenant_id: string;
      kind: string;
      title: string;
      excerpt: string | null;
      actor_name: string | null;
      recipient_id: number;
      recipient_name: string;
      role: TenantRole | null;
    }>();
  for (const n of results) {
    const own: Side = n.tenant_id === tenants.A.id ? "A" : "B";
    const other = markers[own === "A" ? "B" : "A"];
    expect(n.role, "a recipient is a member of the notification's project").not.toBeNull();
    expect(`${n.title} ${n.excerpt ?? ""} ${n.actor_name ?? ""} ${n.recipient_name}`).not.toContain(other);
    expect(n.actor_name, "nobody is told of their own action").not.toBe(n.recipient_name);
    if (AGENCY_KINDS.has(n.kind)) expect(["project_manager", "admin"]).toContain(n.role);
  }
}

async function checkReaders(): Promise<void> {
  for (const s of ["A", "B"] as const)
    for (const r of tenantRoles) {
      const p = people[s][r];
      const other = markers[s === "A" ? "B" : "A"];
      for (const tenant of [tenants[s], tenants[s === "A" ? "B" : "A"], null]) {
        const ctx = { db: env.DB, identity: p.identity, tenant, now: () => new Date() };
        const page = await listNotifications({ ctx, input: { limit: 50 } });
        expect(JSON.stringify(page)).not.toContain(other);
      }
    }
}

async function checkMail(): Promise<void> {
  await sendNotificationEmails({
    db: env.DB,
    now: new Date(Date.now() + 3 * 24 * 3600_000),
    siteUrl: "http://localhost:4321",
    secret: (env as unknown as { FILES_SIGNING_SECRET: string }).FILES_SIGNING_SECRET,
  });
  for (const s of ["A", "B"] as const) {
    const other = markers[s === "A" ? "B" : "A"];
    const addresses = tenantRoles.map((r) => people[s][r].email);
    const { results } = await env.DB.prepare(
      `SELECT subject, text_body FROM email_outbox WHERE to_address IN (${addresses.map(() => "?").join(", ")})`,
    )
      .bind(...addresses)
      .all<{ subject: string; text_body: string }>();
    for (const mail of results) expect(`${mail.subject} ${mail.text_body}`).not.toContain(other);
  }
}

describe("notifications never cross projects (fuzzed)", () => {
  it("random events in two projects: rows, lists and e-mails stay in their own project", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (events) => {
        for (const e of events) await play(e);
        await checkRows();
      }),
      { seed: 20261204, numRuns: 12 },
    );
    await checkReaders();
    await checkMail();
    const count = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE tenant_id IN (?, ?)")
      .bind(tenants.A.id, tenants.B.id)
      .first<{ n: number }>();
    expect(count?.n).toBeGreaterThan(10);
  }, 120_000);
});
