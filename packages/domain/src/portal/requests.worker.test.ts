import { beforeAll, describe, expect, it } from "vitest";
import { pdfBytes } from "../../testing/files.ts";
import { auditFails, auditRows, bucket, countRows, db, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { queueMail } from "../mail/index.ts";
import {
  createFileRequest,
  getFileRequest,
  listFileRequests,
  type QueueMail,
  remindOverdueRequests,
  reviewFileRequest,
  uploadDocument,
} from "./index.ts";

const setup = () => given({ tenants: ["a", "b"], roles: ["client", "project_manager", "admin"] });
let s: Awaited<ReturnType<typeof setup>>;
let pm: Ctx;
let client: Ctx;
let pmB: Ctx;
beforeAll(async () => {
  s = await setup();
  pm = s.ctx("a", s.members.a.project_manager);
  client = s.ctx("a", s.members.a.client);
  pmB = s.ctx("b", s.members.b.project_manager);
});

const submit = (ctx: Ctx, requestId: string) =>
  uploadDocument({
    ctx,
    bucket: bucket(),
    input: { file_name: "logo.pdf", bytes: pdfBytes(crypto.randomUUID()), request_id: requestId },
    maxBytes: 1e6,
  });
const queue: QueueMail = (d, m) => queueMail(d, m, new Date());

describe("createFileRequest", () => {
  it("opens a request with its audit row, for project managers and admins", async () => {
    for (const role of ["project_manager", "admin"] as const) {
      const r = await createFileRequest({
        ctx: s.ctx("a", s.members.a[role]),
        input: { title: " Logo vectoriel ", description: "SVG ou PDF", due_date: "2031-01-10" },
      });
      expect(r).toMatchObject({
        title: "Logo vectoriel",
        status: "open",
        due_date: "2031-01-10",
        overdue: false,
      });
      expect(await auditRows(s.tenants.a.id, { entityId: r.id })).toEqual([
        expect.objectContaining({ action: "request.create", actor_id: String(s.members.a[role].id) }),
      ]);
    }
  });

  it("is FORBIDDEN to clients and refuses bad input (VALIDATION)", async () => {
    await refused(createFileRequest({ ctx: client, input: { title: "Mine" } }), "FORBIDDEN");
    await refused(createFileRequest({ ctx: pm, input: { title: "" } }), "VALIDATION");
    await refused(
      createFileRequest({ ctx: pm, input: { title: "x", due_date: "10/01/2031" } }),
      "VALIDATION",
    );
    await refused(createFileRequest({ ctx: pm, input: { title: "x", status: "accepted" } }), "VALIDATION");
  });

  it("writes no request when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["project_manager"] });
    const undo = await auditFails({ tenantId: t.tenants.x.id });
    await expect(
      createFileRequest({ ctx: t.ctx("x", t.members.x.project_manager), input: { title: "x" } }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await countRows("file_requests", t.tenants.x.id)).toBe(0);
  });
});

describe("listFileRequests / getFileRequest", () => {
  it("shows every role of the tenant its requests, overdue ones first; another tenant's id is NOT_FOUND", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const later = await createFileRequest({ ctx: agency, input: { title: "later", due_date: "2099-01-01" } });
    const late = await createFileRequest({ ctx: agency, input: { title: "late", due_date: "2020-01-01" } });
    for (const ctx of [agency, t.ctx("x", t.members.x.client)]) {
      const { rows } = await listFileRequests({ ctx });
      expect(rows.map((r) => [r.title, r.overdue])).toEqual([
        ["late", true],
        ["later", false],
      ]);
    }
    await refused(getFileRequest({ ctx: pmB, id: late.id }), "NOT_FOUND");
    expect((await listFileRequests({ ctx: pmB })).rows.map((r) => r.id)).not.toContain(later.id);
  });
});

describe("reviewFileRequest", () => {
  it("accepts a submitted file, or sends it back with a comment; each with its audit row", async () => {
    const r = await createFileRequest({ ctx: pm, input: { title: "Photos" } });
    await submit(client, r.id);
    const back = await reviewFileRequest({
      ctx: pm,
      input: { id: r.id, review: { decision: "changes", comment: "Plus grand" } },
    });
    expect(back).toMatchObject({ status: "changes_requested", review_comment: "Plus grand" });
    await submit(client, r.id);
    const ok = await reviewFileRequest({ ctx: pm, input: { id: r.id, review: { decision: "accept" } } });
    expect(ok.status).toBe("accepted");
    expect((await auditRows(s.tenants.a.id, { entityId: r.id })).map((a) => a.action)).toEqual([
      "request.create",
      "request.submit",
      "request.changes",
      "request.submit",
      "request.accept",
    ]);
    await refused(submit(client, r.id), "CONFLICT");
  });

  it("refuses clients (FORBIDDEN), an open request (CONFLICT), changes without a comment (VALIDATION), another tenant (NOT_FOUND)", async () => {
    const r = await createFileRequest({ ctx: pm, input: { title: "Texte" } });
    await refused(
      reviewFileRequest({ ctx: pm, input: { id: r.id, review: { decision: "accept" } } }),
      "CONFLICT",
    );
    await submit(client, r.id);
    await refused(
      reviewFileRequest({ ctx: client, input: { id: r.id, review: { decision: "accept" } } }),
      "FORBIDDEN",
    );
    await refused(
      reviewFileRequest({ ctx: pm, input: { id: r.id, review: { decision: "changes" } } }),
      "VALIDATION",
    );
    await refused(
      reviewFileRequest({ ctx: pm, input: { id: r.id, review: { decision: "maybe" } } }),
      "VALIDATION",
    );
    await refused(
      reviewFileRequest({ ctx: pmB, input: { id: r.id, review: { decision: "accept" } } }),
      "NOT_FOUND",
    );
    expect((await getFileRequest({ ctx: pm, id: r.id })).status).toBe("submitted");
  });

  it("changes nothing when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const agency = t.ctx("x", t.members.x.project_manager);
    const r = await createFileRequest({ ctx: agency, input: { title: "x" } });
    await submit(t.ctx("x", t.members.x.client), r.id);
    const undo = await auditFails({ tenantId: t.tenants.x.id, action: "request.accept" });
    await expect(
      reviewFileRequest({ ctx: agency, input: { id: r.id, review: { decision: "accept" } } }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect((await getFileRequest({ ctx: agency, id: r.id })).status).toBe("submitted");
  });
});

describe("remindOverdueRequests", () => {
  it("mails each client of the tenant once a day about overdue items, in their language", async () => {
    const t = await given({
      tenants: ["x"],
      roles: ["client", "project_manager"],
      users: { en: { in: { x: "client" }, locale: "en" } },
    });
    const agency = t.ctx("x", t.members.x.project_manager);
    await createFileRequest({ ctx: agency, input: { title: "Kbis", due_date: "2020-01-01" } });
    await createFileRequest({ ctx: agency, input: { title: "Pas encore", due_date: "2099-01-01" } });
    const first = await remindOverdueRequests({
      ctx: agency,
      queueMail: queue,
      portalUrl: "https://x.fata.plus",
    });
    expect(first).toEqual({ reminded: 1, emails: 2 });
    const { results } = await db()
      .prepare(
        "SELECT to_address, subject, text_body FROM email_outbox WHERE about_tenant_id = ? ORDER BY to_address",
      )
      .bind(t.tenants.x.id)
      .all<{ to_address: string; subject: string; text_body: string }>();
    const to = Object.fromEntries(results.map((r) => [r.to_address, r]));
    expect(to[t.members.x.client.email]?.text_body).toContain("Kbis (attendu le 2020-01-01)");
    expect(to[t.users.en.email]?.text_body).toContain("Kbis (due 2020-01-01)");
    expect(results.map((r) => r.to_address)).not.toContain(t.members.x.project_manager.email);
    expect(await remindOverdueRequests({ ctx: agency, queueMail: queue, portalUrl: "https://x" })).toEqual({
      reminded: 0,
      emails: 0,
    });
    expect((await auditRows(t.tenants.x.id, { action: "request.remind" })).length).toBe(1);
  });

  it("is FORBIDDEN to clients and touches no other tenant", async () => {
    await refused(
      remindOverdueRequests({ ctx: client, queueMail: queue, portalUrl: "https://a" }),
      "FORBIDDEN",
    );
    await createFileRequest({ ctx: pm, input: { title: "A late", due_date: "2020-01-01" } });
    expect(await remindOverdueRequests({ ctx: pmB, queueMail: queue, portalUrl: "https://b" })).toEqual({
      reminded: 0,
      emails: 0,
    });
  });
});
