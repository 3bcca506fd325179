/**
 * Requested files, approvals and the live message thread, against the real worker, D1, R2 and the PortalHub
 * Durable Object (real WebSockets through /ws/messages).
 */
import { env } from "cloudflare:workers";
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, makeUser, scenario, type TestUser } from "../../test/factories.ts";
import { openSocket, pdfBytes, upload } from "../../test/portal-factories.ts";
import { parseConfig } from "../config.ts";
import { remindAllProjects } from "../jobs/reminders.ts";

let A: TenantRef;
let B: TenantRef;
let pmA: TestUser;
let clientA: TestUser;
let client2A: TestUser;
let clientB: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Collab A", B: "Collab B" },
    users: {
      pmA: { in: { A: "project_manager" } },
      clientA: { in: { A: "client" } },
      client2A: { in: { A: "client" } },
      clientB: { in: { B: "client" } },
    },
  });
  ({ A, B } = s.tenants);
  ({ pmA, clientA, client2A, clientB } = s.users);
});

type Req = {
  id: string;
  status: string;
  overdue: boolean;
  document_id: string | null;
  review_comment: string | null;
};
const api = (user: TestUser, tenant: TenantRef, method: string, path: string, body?: unknown) =>
  call(method, `/api/app/portal${path}`, {
    token: user.token,
    tenant: tenant.subdomain,
    ...(body === undefined ? {} : { body }),
  });

describe("requested files", () => {
  it("the PM asks, the client uploads against it, the PM asks for changes then accepts", async () => {
    const created = await api(pmA, A, "POST", "/requests", {
      title: "Logo vectoriel",
      description: "SVG ou PDF",
      due_date: "2030-01-31",
    });
    expect(created.status).toBe(201);
    const req = await json<Req>(created);
    expect(req).toMatchObject({ status: "open", overdue: false });
    expect((await api(clientA, A, "POST", "/requests", { title: "x" })).status).toBe(403);

    const up = await upload(
      clientA.token,
      A.subdomain,
      { bytes: pdfBytes("logo"), name: "logo.pdf" },
      { request_id: req.id },
    );
    expect(up.status).toBe(201);
    const doc = await json<{ id: string; visibility: string }>(up);
    expect(doc.visibility).toBe("client");
    const listed = await json<{ rows: Req[] }>(await api(pmA, A, "GET", "/requests"));
    expect(listed.rows.find((r) => r.id === req.id)).toMatchObject({
      status: "submitted",
      document_id: doc.id,
    });

    expect((await api(pmA, A, "POST", `/requests/${req.id}/review`, { decision: "changes" })).status).toBe(
      400,
    );
    expect((await api(clientA, A, "POST", `/requests/${req.id}/review`, { decision: "accept" })).status).toBe(
      403,
    );
    const changes = await api(pmA, A, "POST", `/requests/${req.id}/review`, {
      decision: "changes",
      comment: "Plus grand",
    });
    expect(await json<Req>(changes)).toMatchObject({
      status: "changes_requested",
      review_comment: "Plus grand",
    });
    // a second upload is a new version of the same document
    const again = await upload(
      clientA.token,
      A.subdomain,
      { bytes: pdfBytes("logo2"), name: "logo.pdf" },
      { request_id: req.id },
    );
    expect(await json<{ id: string; current_version: number }>(again)).toMatchObject({
      id: doc.id,
      current_version: 2,
    });
    const accepted = await api(pmA, A, "POST", `/requests/${req.id}/review`, { decision: "accept" });
    expect(await json<Req>(accepted)).toMatchObject({ status: "accepted" });
    const late = await upload(
      clientA.token,
      A.subdomain,
      { bytes: pdfBytes("late"), name: "l.pdf" },
      { request_id: req.id },
    );
    expect(late.status).toBe(409);
  });

  it("overdue items stand out first, and reminders are sent once a day", async () => {
    const overdue = await json<Req>(
      await api(pmA, A, "POST", "/requests", { title: "Textes", due_date: "2020-05-01" }),
    );
    const list = await json<{ rows: Req[] }>(await api(clientA, A, "GET", "/requests"));
    expect(list.rows[0]).toMatchObject({ id: overdue.id, overdue: true });
    const first = await json<{ reminded: number; emails: number }>(
      await api(pmA, A, "POST", "/requests/remind"),
    );
    expect(first.reminded).toBe(1);
    expect(first.emails).toBe(2); // two clients in A
    const { results: mails } = await env.DB.prepare(
      "SELECT to_address, kind, subject, text_body FROM email_outbox WHERE about_tenant_id = ? ORDER BY to_address",
    )
      .bind(A.id)
      .all<{ to_address: string; kind: string; subject: string; text_body: string }>();
    expect(mails.map((m) => m.to_address).sort()).toEqual([clientA.email, client2A.email].sort());
    expect(mails[0]?.kind).toBe("file_request.reminder");
    expect(mails[0]?.text_body).toContain("Textes");
    expect(mails[0]?.text_body).toContain(`${A.subdomain}.`);
    const second = await json<{ reminded: number }>(await api(pmA, A, "POST", "/requests/remind"));
    expect(second.reminded).toBe(0);
    expect((await api(clientA, A, "POST", "/requests/remind")).status).toBe(403);
  });

  it("the hourly cron reminds every project of its overdue items, once a day", async () => {
    const late = await json<Req>(
      await api(pmA, A, "POST", "/requests", { title: "Photos HD", due_date: "2021-01-01" }),
    );
    const before =
      (
        await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE about_tenant_id = ?")
          .bind(A.id)
          .first<{ n: number }>()
      )?.n ?? 0;
    expect(await remindAllProjects(env, parseConfig(env), new Date("2026-11-23T10:30:00Z"))).toBe(0); // not the hourly slot
    const onTheHour = new Date();
    onTheHour.setUTCMinutes(1);
    expect(await remindAllProjects(env, parseConfig(env), onTheHour)).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare("SELECT reminded_at FROM file_requests WHERE tenant_id = ? AND id = ?")
      .bind(A.id, late.id)
      .first<{ reminded_at: string | null }>();
    expect(row?.reminded_at).toBe(onTheHour.toISOString());
    const after =
      (
        await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE about_tenant_id = ?")
          .bind(A.id)
          .first<{ n: number }>()
      )?.n ?? 0;
    expect(after - before).toBe(2); // both clients of A
    await remindAllProjects(env, parseConfig(env), onTheHour);
    const again =
      (
        await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE about_tenant_id = ?")
          .bind(A.id)
          .first<{ n: number }>()
      )?.n ?? 0;
    expect(again).toBe(after);
  });

  it("refuses bad input with a readable 400", async () => {
    for (const body of [
      {},
      { title: "" },
      { title: "x", due_date: "31/01/2030" },
      { title: "x", tenant_id: B.id },
    ]) {
      const res = await api(pmA, A, "POST", "/requests", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(pmA, A, "POST", "/requests/not-a-uuid/review", { decision: "accept" })).status).toBe(
      400,
    );
  });
});

describe("approvals", () => {
  it("keeps the exact version approved when a new version arrives", async () => {
    const internal = await json<{ id: string }>(
      await upload(pmA.token, A.subdomain, { bytes: pdfBytes("int"), name: "i.pdf" }),
    );
    expect((await api(pmA, A, "POST", "/approvals", { document_id: internal.id })).status).toBe(409);

    const doc = await json<{ id: string; latest: { id: string; sha256: string } }>(
      await upload(
        pmA.token,
        A.subdomain,
        { bytes: pdfBytes("maquette v1"), name: "m.pdf" },
        { visibility: "client", title: "Maquette" },
      ),
    );
    const asked = await api(pmA, A, "POST", "/approvals", { document_id: doc.id });
    expect(asked.status).toBe(201);
    const approval = await json<{ id: string; status: string; sha256: string; version: number }>(asked);
    expect(approval).toMatchObject({ status: "pending", sha256: doc.latest.sha256, version: 1 });
    expect(
      (await api(pmA, A, "POST", `/approvals/${approval.id}/decision`, { decision: "approve" })).status,
    ).toBe(403);
    expect(
      (await api(clientA, A, "POST", `/approvals/${approval.id}/decision`, { decision: "changes" })).status,
    ).toBe(400);
    const decided = await api(clientA, A, "POST", `/approvals/${approval.id}/decision`, {
      decision: "approve",
      comment: "Parfait",
    });
    expect(decided.status).toBe(200);
    expect(await json(decided)).toMatchObject({ status: "approved", comment: "Parfait", version: 1 });
    expect(
      (
        await api(client2A, A, "POST", `/approvals/${approval.id}/decision`, {
          decision: "changes",
          comment: "no",
        })
      ).status,
    ).toBe(409);

    await upload(
      pmA.token,
      A.subdomain,
      { bytes: pdfBytes("maquette v2"), name: "m.pdf" },
      { document_id: doc.id },
    );
    const after = await json<{
      rows: Array<{ id: string; sha256: string; version: number; status: string }>;
    }>(await api(clientA, A, "GET", "/approvals"));
    expect(after.rows.find((r) => r.id === approval.id)).toMatchObject({
      sha256: doc.latest.sha256,
      version: 1,
      status: "approved",
    });
  });
});

describe("messages", () => {
  type Msg = { id: string; seq: number; body: string; author_side: string };
  type Page = { rows: Msg[]; unread: number; last_seq: number; read_seq: number };

  it("numbers messages, counts unread per person and catches up after a seq", async () => {
    const m1 = await json<Msg>(await api(clientA, A, "POST", "/messages", { body: "Bonjour !" }));
    const m2 = await json<Msg>(await api(pmA, A, "POST", "/messages", { body: "Bonjour, bienvenue." }));
    expect(m2.seq).toBe(m1.seq + 1);
    expect(m1.author_side).toBe("client");
    expect(m2.author_side).toBe("agency");
    const forClient = await json<Page>(await api(clientA, A, "GET", "/messages"));
    expect(forClient.unread).toBe(1);
    // posting reads the thread up to your own message
    expect((await json<Page>(await api(pmA, A, "GET", "/messages"))).unread).toBe(0);
    await api(clientA, A, "POST", "/messages", { body: "Merci" });
    expect((await json<Page>(await api(pmA, A, "GET", "/messages"))).unread).toBe(1);
    const read = await json<Page>(await api(clientA, A, "POST", "/messages/read", { seq: 10_000 }));
    expect(read).toMatchObject({ unread: 0, read_seq: m2.seq + 1 });
    // ?tenant= (how the CRM names the project) is not a filter
    const after = await json<Page>(
      await api(client2A, A, "GET", `/messages?after=${m1.seq}&tenant=${A.subdomain}`),
    );
    expect(after.rows.map((m) => m.seq)).toEqual([m2.seq, m2.seq + 1]);
    // scrolling back: the messages before a seq, oldest first
    const before = await json<Page>(await api(pmA, A, "GET", `/messages?before=${m2.seq + 1}&limit=1`));
    expect(before.rows.map((m) => m.seq)).toEqual([m2.seq]);
    expect((await api(pmA, A, "GET", "/messages?before=2&after=1")).status).toBe(400);
  });

  it("refuses empty, oversized and unknown fields; B's members can't read or post in A", async () => {
    for (const body of [{ body: "" }, { body: "x".repeat(5001) }, { body: "x", seq: 1 }, {}]) {
      expect((await api(clientA, A, "POST", "/messages", body)).status).toBe(400);
    }
    expect((await api(clientB, A, "GET", "/messages")).status).toBe(403);
    expect((await api(clientB, A, "POST", "/messages", { body: "intrus" })).status).toBe(403);
  });

  it("delivers a new message live to every open socket of the tenant, and to no other tenant", async () => {
    const ticket = async (user: TestUser, tenant: TenantRef) =>
      (await json<{ url: string }>(await api(user, tenant, "POST", "/messages/ticket"))).url;
    const pmSocket = await openSocket(await ticket(pmA, A), A.subdomain);
    const clientSocket = await openSocket(await ticket(clientA, A), A.id);
    const bSocket = await openSocket(await ticket(clientB, B), B.subdomain);
    for (const s of [pmSocket, clientSocket, bSocket]) {
      expect(s.status).toBe(101);
      expect(await s.next()).toEqual({ type: "hello" });
    }
    const sent = await json<Msg>(await api(clientA, A, "POST", "/messages", { body: "En direct" }));
    for (const s of [pmSocket, clientSocket])
      expect(await s.next()).toMatchObject({ type: "message", message: { id: sent.id, body: "En direct" } });
    const bMsg = await json<Msg>(await api(clientB, B, "POST", "/messages", { body: "chez B" }));
    expect(await bSocket.next()).toMatchObject({ message: { id: bMsg.id } });
    // A's sockets heard nothing of B: the next thing they hear is A's next message.
    const next = await json<Msg>(await api(pmA, A, "POST", "/messages", { body: "suite" }));
    expect(await pmSocket.next()).toMatchObject({ message: { id: next.id } });
    for (const s of [pmSocket, clientSocket, bSocket]) s.ws?.close(1000, "done");
  });

  it("refuses an upgrade without a valid ticket, with a tampered or expired one, or in another tenant", async () => {
    const url = (await json<{ url: string }>(await api(clientA, A, "POST", "/messages/ticket"))).url;
    expect((await openSocket(url, B.subdomain)).status).toBe(403); // A's ticket on B's host
    expect(
      (
        await openSocket(
          // not the last character: in base64url its low bits are padding, so flipping A/B there can leave
          // the signature's bytes unchanged (the test then failed now and then)
          url.replace(/.(..)$/, (_, rest: string) => `${url.at(-3) === "A" ? "B" : "A"}${rest}`),
          A.subdomain,
        )
      ).status,
    ).toBe(403);
    expect((await openSocket("/ws/messages", A.subdomain)).status).toBe(403);
    expect((await openSocket("/ws/other?x=1", A.subdomain)).status).toBe(404);
    expect((await api(clientB, A, "POST", "/messages/ticket")).status).toBe(403);
    expect((await call("GET", url, { tenant: A.subdomain })).status).toBe(400); // not an upgrade
    // a member removed after the ticket was issued is refused at the upgrade
    const leaving = await makeUser({ memberships: [[A, "client"]] });
    const leavingUrl = (await json<{ url: string }>(await api(leaving, A, "POST", "/messages/ticket"))).url;
    await env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(A.id, leaving.id)
      .run();
    expect((await openSocket(leavingUrl, A.subdomain)).status).toBe(403);
  });

  it("closes an open socket of a member removed meanwhile, at the next message, without delivering it", async () => {
    // its own thread: the counters test below counts A's messages
    const s = await scenario({
      tenants: ["C"],
      names: { C: "Collab C" },
      roles: ["client", "project_manager"],
    });
    const C = s.tenants.C;
    const { project_manager: pmC, client: leaving } = s.members.C;
    const url = (await json<{ url: string }>(await api(leaving, C, "POST", "/messages/ticket"))).url;
    const socket = await openSocket(url, C.subdomain);
    expect(await socket.next()).toEqual({ type: "hello" });
    const closed = new Promise<number>((resolve) =>
      socket.ws?.addEventListener("close", (e) => resolve((e as CloseEvent).code)),
    );
    const stay = await openSocket(
      (await json<{ url: string }>(await api(pmC, C, "POST", "/messages/ticket"))).url,
      C.subdomain,
    );
    expect(await stay.next()).toEqual({ type: "hello" });
    await env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(C.id, leaving.id)
      .run();
    const sent = await json<Msg>(await api(pmC, C, "POST", "/messages", { body: "après le départ" }));
    expect(await stay.next()).toMatchObject({ message: { id: sent.id } });
    expect(await closed).toBe(4403);
    expect(socket.events).toEqual([]);
    stay.ws?.close(1000, "done");
  });
});

describe("activity and counters", () => {
  it("shows clients recent portal activity without internal documents", async () => {
    await upload(
      pmA.token,
      A.subdomain,
      { bytes: pdfBytes("secret"), name: "s.pdf" },
      { title: "Secret interne" },
    );
    const forClient = await (await api(clientA, A, "GET", "/activity")).text();
    expect(forClient).not.toContain("Secret interne");
    expect(forClient).toContain("Maquette");
    const forPm = await (await api(pmA, A, "GET", "/activity")).text();
    expect(forPm).toContain("Secret interne");
  });

  it("counts messages and active users", async () => {
    const c = await json<{ messages: number; active_users_30d: number }>(
      await api(pmA, A, "GET", "/counters"),
    );
    expect(c.messages).toBe(5);
    expect(c.active_users_30d).toBe(3);
  });
});
