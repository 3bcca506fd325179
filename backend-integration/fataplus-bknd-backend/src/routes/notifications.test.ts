/**
 * Notifications end to end on the worker (decision 027): who hears an event (role and membership, never the
 * actor, never another tenant), the reading routes, "opened the thread" = no e-mail, the digest collapsing a
 * project's events into one outbox e-mail, preferences, and the signed unsubscribe link.
 */
import { env } from "cloudflare:workers";
import { notifyTasksDue, sendNotificationEmails, tenantRoles } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, scenario, type TestUser } from "../../test/factories.ts";
import { pdfBytes, upload } from "../../test/portal-factories.ts";

const db = () => env.DB;
type Item = { id: string; kind: string; text: string; href: string; tenant: { subdomain: string } };
type Page = { items: Item[]; next: string | null; unread: number };

let A: { id: string; subdomain: string; name: string };
let B: { id: string; subdomain: string; name: string };
const m = {} as Record<(typeof tenantRoles)[number], TestUser>;
let pmB: TestUser;
let outsider: TestUser;
let agencyAdmin: TestUser;
let projectA = "";

const list = async (who: TestUser, tenant?: string, q = "") =>
  json<Page>(
    await call("GET", `/api/app/notifications${q}`, { token: who.token, ...(tenant ? { tenant } : {}) }),
  );
const post = (who: TestUser, body: string, tenant = A.subdomain) =>
  call("POST", "/api/app/portal/messages", { token: who.token, tenant, body: { body } });

async function outboxTo(address: string) {
  const { results } = await db()
    .prepare("SELECT kind, subject, text_body FROM email_outbox WHERE to_address = ? ORDER BY rowid")
    .bind(address)
    .all<{ kind: string; subject: string; text_body: string }>();
  return results;
}

const run = (now: Date) =>
  sendNotificationEmails({
    db: db(),
    now,
    siteUrl: "http://localhost:4321",
    secret: (env as unknown as { FILES_SIGNING_SECRET: string }).FILES_SIGNING_SECRET,
  });

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B", "W"],
    names: { A: "Notif A", B: "Notif B", W: "Notif agency" },
    agency: ["W"], // the agency's workspace: where the agency's settings are audited
    roles: tenantRoles,
    seed: ["A"],
    users: { pmB: { in: { B: "project_manager" } }, outsider: {}, agencyAdmin: { agency: "admin" } },
  });
  ({ A, B } = s.tenants);
  Object.assign(m, s.members.A);
  ({ pmB, outsider, agencyAdmin } = s.users);
  projectA = s.refs.A.projects;
});

describe("who hears an event", () => {
  it("a client's message reaches the project's other members, not its author nor another project", async () => {
    const marker = `hello-${crypto.randomUUID()}`;
    expect((await post(m.client, marker)).status).toBe(201);
    for (const role of ["partner", "project_manager", "admin"] as const) {
      const page = await list(m[role], A.subdomain);
      expect(
        page.items.some((i) => i.kind === "message"),
        role,
      ).toBe(true);
      expect(page.unread).toBeGreaterThan(0);
      expect(page.items[0]?.href).toBe("/#messages");
    }
    expect((await list(m.client, A.subdomain)).items).toEqual([]);
    expect(JSON.stringify(await list(pmB))).not.toContain(marker);
    expect(JSON.stringify(await list(pmB))).not.toContain(A.name);
    // the CRM's view (no tenant named): the same rows, linking into the CRM
    const crm = await list(m.project_manager);
    expect(crm.items[0]?.href).toBe(`/crm/projects/${A.subdomain}/portal#messages`);
  });

  it("a task handed to someone outside the project is refused and tells nobody; to a member, tells them", async () => {
    const make = (assignee: number) =>
      call("POST", "/api/data/tasks", {
        token: m.project_manager.token,
        tenant: A.subdomain,
        body: { project_id: projectA, title: `T ${assignee}`, assignee_id: assignee },
      });
    // the write path refuses an assignee outside the project (422), and then nobody is told
    expect((await make(outsider.id)).status).toBe(422);
    expect((await list(outsider)).items).toEqual([]);
    expect((await make(m.partner.id)).status).toBeLessThan(300);
    const page = await list(m.partner, A.subdomain);
    expect(page.items.find((i) => i.kind === "task_assigned")?.text).toContain(`T ${m.partner.id}`);
  });
});

describe("more events", () => {
  it("an approval decided tells the agency side (not the partner), with the client's comment", async () => {
    const doc = await json<{ id: string }>(
      await upload(
        m.project_manager.token,
        A.subdomain,
        { bytes: pdfBytes("maquette"), name: "maquette.pdf" },
        { title: "Maquette v1", visibility: "client" },
      ),
    );
    const asked = await json<{ id: string }>(
      await call("POST", "/api/app/portal/approvals", {
        token: m.project_manager.token,
        tenant: A.subdomain,
        body: { document_id: doc.id },
      }),
    );
    expect((await list(m.client, A.subdomain)).items.some((i) => i.kind === "approval_requested")).toBe(true);
    const decided = await call("POST", `/api/app/portal/approvals/${asked.id}/decision`, {
      token: m.client.token,
      tenant: A.subdomain,
      body: { decision: "changes", comment: "Plus de vert" },
    });
    expect(decided.status).toBe(200);
    const pmItems = (await list(m.project_manager, A.subdomain)).items;
    const item = pmItems.find((i) => i.kind === "approval_decided");
    expect(item?.text).toMatch(/demande des changements sur « Maquette v1 »/);
    expect(item?.href).toBe(`/#approval-${asked.id}`);
    expect((await list(m.partner, A.subdomain)).items.some((i) => i.kind === "approval_decided")).toBe(false);
  });

  it("a task due tomorrow tells its assignee once, however often the cron runs", async () => {
    const now = new Date("2031-03-10T06:00:00Z");
    const tomorrow = "2031-03-11"; // in Antananarivo (UTC+3) too
    const res = await call("POST", "/api/data/tasks", {
      token: m.project_manager.token,
      tenant: A.subdomain,
      body: {
        project_id: projectA,
        title: "Livrer la maquette",
        assignee_id: m.admin.id,
        due_date: tomorrow,
      },
    });
    expect(res.status).toBeLessThan(300);
    await notifyTasksDue({ db: db(), now });
    await notifyTasksDue({ db: db(), now });
    const due = (await list(m.admin, A.subdomain, "?limit=50")).items.filter((i) => i.kind === "task_due");
    expect(due).toHaveLength(1);
    expect(due[0]?.text).toMatch(/à rendre demain/);
  });

  it("a client gets a requested file at once by e-mail (their role's default), in their language", async () => {
    const before = (await outboxTo(m.client.email)).length;
    await call("POST", "/api/app/portal/requests", {
      token: m.project_manager.token,
      tenant: A.subdomain,
      body: { title: "Logo vectoriel" },
    });
    await run(new Date());
    const mails = (await outboxTo(m.client.email)).slice(before);
    const mail = mails.find((x) => x.kind === "notification.request_created");
    expect(mail?.text_body).toContain("Logo vectoriel");
    expect(mail?.text_body).toContain(`http://${A.subdomain}.localhost:4321/#request-`);
  });
});

describe("reading", () => {
  it("pages with a cursor, counts unread, marks some and all read; others' ids change nothing", async () => {
    for (let i = 0; i < 3; i++) await post(m.client, `page ${i}`);
    const first = await list(m.admin, A.subdomain, "?limit=2");
    expect(first.items).toHaveLength(2);
    expect(first.next).toBeTruthy();
    const second = await list(
      m.admin,
      A.subdomain,
      `?limit=2&before=${encodeURIComponent(first.next ?? "")}`,
    );
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]?.id);
    const theirs = first.items[0]?.id ?? "";
    const other = await call("POST", "/api/app/notifications/read", {
      token: pmB.token,
      body: { ids: [theirs] },
    });
    expect(other.status).toBe(200);
    expect((await list(m.admin, A.subdomain)).items.find((i) => i.id === theirs)).toBeDefined();
    const before = (
      await json<{ unread: number }>(
        await call("GET", "/api/app/notifications/count", { token: m.admin.token }),
      )
    ).unread;
    await call("POST", "/api/app/notifications/read", { token: m.admin.token, body: { ids: [theirs] } });
    const after = await json<{ unread: number }>(
      await call("GET", "/api/app/notifications/count", { token: m.admin.token }),
    );
    expect(after.unread).toBe(before - 1);
    const all = await json<{ unread: number }>(
      await call("POST", "/api/app/notifications/read-all", { token: m.admin.token }),
    );
    expect(all.unread).toBe(0);
    const bad = await call("GET", "/api/app/notifications?before=nope", { token: m.admin.token });
    expect(bad.status).toBe(400);
    expect((await call("GET", "/api/app/notifications")).status).toBe(401);
  });
});

describe("e-mail", () => {
  it("a project's events become one digest; who opened the thread gets none; unsubscribe stops it", async () => {
    // everything pending so far is flushed first (the pass is global)
    await run(new Date(Date.now() + 48 * 3600_000));
    await call("POST", "/api/app/notifications/read-all", { token: m.partner.token });
    const t0 = new Date();
    await post(m.client, "first of the burst");
    await post(m.client, "second of the burst");
    // the partner opens the thread: reading it is seeing its notifications
    const thread = await json<{ last_seq: number }>(
      await call("GET", "/api/app/portal/messages", { token: m.partner.token, tenant: A.subdomain }),
    );
    await call("POST", "/api/app/portal/messages/read", {
      token: m.partner.token,
      tenant: A.subdomain,
      body: { seq: thread.last_seq },
    });
    // not yet: the digest waits for its interval
    const earlier = (await outboxTo(m.project_manager.email)).length;
    const partnerEarlier = (await outboxTo(m.partner.email)).length;
    await run(new Date(t0.getTime() + 60_000));
    expect(await outboxTo(m.project_manager.email)).toHaveLength(earlier);
    await run(new Date(t0.getTime() + 16 * 60_000));
    const mails = (await outboxTo(m.project_manager.email)).slice(earlier);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.kind).toBe("notification.digest");
    expect(mails[0]?.text_body).toContain("first of the burst");
    expect(mails[0]?.text_body).toContain("second of the burst");
    expect(mails[0]?.text_body).toMatch(/UTC\+3/); // the agency's zone (Antananarivo) by default
    expect(mails[0]?.text_body).not.toContain(B.name);
    expect(await outboxTo(m.partner.email)).toHaveLength(partnerEarlier);

    const link = /notifications\/desabonnement\?token=([^\s]+)/.exec(mails[0]?.text_body ?? "");
    const token = decodeURIComponent(link?.[1] ?? "");
    const seen = await call("GET", `/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(seen.status).toBe(200);
    const done = await call("POST", "/api/notifications/unsubscribe", { body: { token } });
    expect(await json(done)).toEqual({ kind: "message", channel: "app" });
    const prefs = await json<{ preferences: Array<{ kind: string; channel: string }> }>(
      await call("GET", "/api/app/account/notifications", { token: m.project_manager.token }),
    );
    expect(prefs.preferences.find((p) => p.kind === "message")?.channel).toBe("app");
    await post(m.client, "after unsubscribing");
    await run(new Date(Date.now() + 60 * 60_000));
    expect(await outboxTo(m.project_manager.email)).toHaveLength(earlier + 1);
    // a forged or altered token changes nothing
    const forged = await call("POST", "/api/notifications/unsubscribe", { body: { token: `${token}x` } });
    expect(forged.status).toBe(403);
  });

  it("preferences: a bad channel is a readable 400; a kind turned off is not even written", async () => {
    const bad = await call("PUT", "/api/app/account/notifications", {
      token: m.admin.token,
      body: { preferences: [{ kind: "message", channel: "pigeon" }] },
    });
    expect(bad.status).toBe(400);
    const ok = await call("PUT", "/api/app/account/notifications", {
      token: m.admin.token,
      body: { preferences: [{ kind: "message", channel: "off" }] },
    });
    expect(ok.status).toBe(200);
    await call("POST", "/api/app/notifications/read-all", { token: m.admin.token });
    await post(m.client, "nobody tells the admin");
    expect((await list(m.admin, A.subdomain)).unread).toBe(0);
  });

  it("the agency's digest interval is for agency admins; others are refused", async () => {
    const res = await call("PUT", "/api/app/agency/notifications", {
      token: m.admin.token,
      body: { digest_minutes: 30 },
    });
    expect(res.status).toBe(403); // a project's admin member is not an agency admin
    const bad = await call("POST", "/api/app/agency/notifications/run", { token: m.project_manager.token });
    expect(bad.status).toBe(403);
    // an agency admin changes it (audited), within 5 to 1440 minutes
    const set = (digest_minutes: unknown) =>
      call("PUT", "/api/app/agency/notifications", { token: agencyAdmin.token, body: { digest_minutes } });
    expect((await set(4)).status).toBe(400);
    expect(await json(await set(30))).toEqual({ digest_minutes: 30 });
    const read = await call("GET", "/api/app/agency/notifications", { token: agencyAdmin.token });
    expect(await json(read)).toEqual({ digest_minutes: 30 });
    const audit = await db()
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'agency.notifications' AND actor_id = ?")
      .bind(String(agencyAdmin.id))
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
    await set(15);
  });
});
