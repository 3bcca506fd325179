/**
 * The email outbox on a real local D1 (decision 012): mail is queued in the same batch as the change that
 * causes it, delivered after the commit by the configured mailer (here: the offline outbox, and an in-process
 * mailer that fails on purpose to exercise retries; the HTTP provider adapter is tested against a fake server
 * in packages/domain/src/mail/http-mailer.test.ts), and only the agency's admins read it.
 */
import { env } from "cloudflare:workers";
import {
  createInvitation,
  deliverPending,
  MAX_ATTEMPTS,
  MailDeliveryError,
  type Mailer,
  outboxOnlyMailer,
  queueMail,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, makeTenant, scenario, systemCtx, type TestUser, unique } from "../../test/factories.ts";

const db = () => env.DB;

async function rowsTo(address: string) {
  const { results } = await db()
    .prepare(
      "SELECT id, status, attempts, provider, last_error, text_body, kind FROM email_outbox WHERE to_address = ?",
    )
    .bind(address)
    .all<{
      id: string;
      status: string;
      attempts: number;
      provider: string | null;
      last_error: string | null;
      text_body: string;
      kind: string;
    }>();
  return results;
}

const queue = (to: string, kind = "test.mail") =>
  queueMail(db(), { tenantId: null, to, subject: "Sujet", text: "Corps", kind });

/** Delivers until the given address has no queued row (other suites may have queued mail too). */
async function deliverAll(mailer: Mailer) {
  for (let i = 0; i < 20; i++) {
    const r = await deliverPending({ db: db(), mailer, limit: 100 });
    if (r.sent + r.stored + r.retried + r.failed === 0) return;
  }
}

describe("queueing", () => {
  it("a queued mail is part of its batch: a failing batch leaves no mail behind", async () => {
    const to = `${unique("atomic")}@example.test`;
    await expect(
      db().batch([queue(to), db().prepare("INSERT INTO no_such_table VALUES (1)")]),
    ).rejects.toThrow();
    expect(await rowsTo(to)).toEqual([]);
    await db().batch([queue(to)]);
    expect(await rowsTo(to)).toEqual([expect.objectContaining({ status: "queued", attempts: 0 })]);
  });

  it("an invitation is emailed with its link when the route creates it", async () => {
    const s = await scenario({
      tenants: ["t"],
      names: { t: "Mail Co" },
      users: { admin: { agency: "admin" } },
    });
    const tenant = s.tenants.t;
    const admin = s.users.admin;
    const to = `${unique("invitee")}@example.test`;
    const res = await call("POST", "/api/app/project/invitations", {
      token: admin.token,
      tenant: tenant.subdomain,
      body: { email: to, role: "client" },
    });
    expect(res.status).toBe(201);
    const { acceptPath } = await json<{ acceptPath: string }>(res);
    const [row] = await rowsTo(to);
    expect(row?.kind).toBe("invitation");
    expect(row?.text_body).toContain(`http://localhost:4321${acceptPath}`);
    expect(row?.text_body).toContain("Mail Co");
  });

  it("an invitation that fails to save queues no mail", async () => {
    const tenant = await makeTenant("Mail Fail");
    const to = `${unique("nope")}@example.test`;
    // A malformed invitation is refused before the batch: nothing is written, nothing is queued.
    await expect(
      createInvitation({
        ctx: systemCtx(tenant),
        input: { email: to, role: "owner" as "admin" },
        mail: { siteUrl: "https://fata.plus" },
      }),
    ).rejects.toThrow(/Invalid invitation/);
    expect(await rowsTo(to)).toEqual([]);
  });
});

describe("delivery", () => {
  it("the offline outbox marks rows stored: nothing is sent anywhere", async () => {
    const to = `${unique("stored")}@example.test`;
    await db().batch([queue(to)]);
    await deliverAll(outboxOnlyMailer);
    expect(await rowsTo(to)).toEqual([
      expect.objectContaining({ status: "stored", provider: "outbox", attempts: 1 }),
    ]);
  });

  it("a retryable failure is retried up to the limit, then marked failed with the reason", async () => {
    const to = `${unique("flaky")}@example.test`;
    await db().batch([queue(to)]);
    let calls = 0;
    const flaky: Mailer = {
      name: "flaky",
      keepsInOutbox: false,
      send: async (m) => {
        if (m.to === to) {
          calls++;
          throw new MailDeliveryError("provider answered 503: busy", true);
        }
        return { providerMessageId: "ok" };
      },
    };
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await deliverPending({ db: db(), mailer: flaky, limit: 100 });
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(await rowsTo(to)).toEqual([
      expect.objectContaining({
        status: "failed",
        attempts: MAX_ATTEMPTS,
        last_error: "provider answered 503: busy",
      }),
    ]);
  });

  it("a refused message is not retried; a sent one records the provider's id", async () => {
    const bad = `${unique("refused")}@example.test`;
    const good = `${unique("good")}@example.test`;
    await db().batch([queue(bad), queue(good)]);
    const picky: Mailer = {
      name: "picky",
      keepsInOutbox: false,
      send: async (m) => {
        if (m.to === bad) throw new MailDeliveryError("provider answered 422: invalid to", false);
        return { providerMessageId: `id-${m.id}` };
      },
    };
    await deliverAll(picky);
    expect(await rowsTo(bad)).toEqual([expect.objectContaining({ status: "failed", attempts: 1 })]);
    const [sent] = await rowsTo(good);
    expect(sent?.status).toBe("sent");
    const stored = await db()
      .prepare("SELECT provider_message_id, sent_at FROM email_outbox WHERE id = ?")
      .bind(sent?.id)
      .first<{ provider_message_id: string; sent_at: string }>();
    expect(stored?.provider_message_id).toBe(`id-${sent?.id}`);
    expect(stored?.sent_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("two runners at once never send the same row twice", async () => {
    const to = `${unique("once")}@example.test`;
    await db().batch([queue(to), queue(to), queue(to)]);
    const sends: string[] = [];
    const counting: Mailer = {
      name: "counting",
      keepsInOutbox: false,
      send: async (m) => {
        if (m.to === to) sends.push(m.id);
        return { providerMessageId: null };
      },
    };
    await Promise.all([
      deliverPending({ db: db(), mailer: counting, limit: 100 }),
      deliverPending({ db: db(), mailer: counting, limit: 100 }),
    ]);
    expect(sends).toHaveLength(3);
    expect(new Set(sends).size).toBe(3);
  });
});

describe("reading the outbox", () => {
  let admin: TestUser;
  let staff: TestUser;
  let pm: TestUser;
  const to = `${unique("reader")}@example.test`;

  beforeAll(async () => {
    const s = await scenario({
      tenants: ["outbox"],
      names: { outbox: "Outbox Co" },
      roles: ["project_manager"],
      users: { admin: { agency: "admin" }, staff: { agency: "staff" } },
    });
    ({ admin, staff } = s.users);
    pm = s.members.outbox.project_manager;
    await db().batch([queue(to, "reader.one"), queue(to, "reader.two")]);
  });

  it("agency admins list it, newest first, filtered and paginated", async () => {
    const res = await call("GET", `/api/app/crm/outbox?q=${encodeURIComponent(to)}&pageSize=1`, {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    const page = await json<{ items: Array<{ id: string; to: string }>; total: number; pages: number }>(res);
    expect(page.total).toBe(2);
    expect(page.pages).toBe(2);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.to).toBe(to);
    const one = await call("GET", `/api/app/crm/outbox/${page.items[0]?.id}`, { token: admin.token });
    expect(one.status).toBe(200);
    expect((await json<{ text: string }>(one)).text).toBe("Corps");
  });

  it("staff, project managers and strangers are refused; bad queries get a readable 400", async () => {
    for (const who of [staff, pm]) {
      const res = await call("GET", "/api/app/crm/outbox", { token: who.token });
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain(to);
    }
    expect((await call("GET", "/api/app/crm/outbox")).status).toBe(401);
    const bad = await call("GET", "/api/app/crm/outbox?status=lost&page=-1", { token: admin.token });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/status/);
    const missing = await call("GET", "/api/app/crm/outbox/nope", { token: admin.token });
    expect(missing.status).toBe(404);
  });
});
