import { beforeAll, describe, expect, it } from "vitest";
import { auditFails, auditRows, countRows, given, refused } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { getPortalCounters, listMessages, markMessagesRead, postMessage } from "./index.ts";

const setup = () => given({ tenants: ["a", "b"], roles: ["client", "project_manager", "admin"] });
let s: Awaited<ReturnType<typeof setup>>;
let pm: Ctx;
let client: Ctx;
let clientB: Ctx;
beforeAll(async () => {
  s = await setup();
  pm = s.ctx("a", s.members.a.project_manager);
  client = s.ctx("a", s.members.a.client);
  clientB = s.ctx("b", s.members.b.client);
});

describe("postMessage", () => {
  it("numbers messages per tenant, names the author's side, counts and audits each", async () => {
    const m1 = await postMessage({ ctx: client, input: { body: "  Bonjour ! " } });
    const m2 = await postMessage({ ctx: pm, input: { body: "Bonjour, bien reçu" } });
    const b1 = await postMessage({ ctx: clientB, input: { body: "Autre projet" } });
    expect(m1).toMatchObject({
      seq: 1,
      body: "Bonjour !",
      author_side: "client",
      author_id: s.members.a.client.id,
    });
    expect(m2).toMatchObject({
      seq: 2,
      author_side: "agency",
      author_name: s.members.a.project_manager.email,
    });
    expect(b1.seq).toBe(1);
    expect((await getPortalCounters({ ctx: pm })).messages).toBe(2);
    expect((await auditRows(s.tenants.a.id, { action: "message.post" })).map((a) => a.entity_id)).toEqual([
      m1.id,
      m2.id,
    ]);
  });

  it("is open to every role of the tenant, refuses a read-only token (FORBIDDEN) and bad bodies (VALIDATION)", async () => {
    for (const role of ["client", "project_manager", "admin"] as const)
      await postMessage({ ctx: s.ctx("a", s.members.a[role]), input: { body: `from ${role}` } });
    const token: Ctx = {
      ...pm,
      actor: {
        type: "token",
        tokenId: crypto.randomUUID(),
        userId: s.members.a.project_manager.id,
        agencyRole: "member",
        write: false,
      },
    };
    await refused(postMessage({ ctx: token, input: { body: "agent" } }), "FORBIDDEN");
    await refused(postMessage({ ctx: pm, input: { body: "   " } }), "VALIDATION");
    await refused(postMessage({ ctx: pm, input: { body: "x".repeat(5001) } }), "VALIDATION");
    await refused(postMessage({ ctx: pm, input: { body: "x", seq: 1 } }), "VALIDATION");
  });

  it("writes no message and counts nothing when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], roles: ["client"] });
    const undo = await auditFails({ tenantId: t.tenants.x.id });
    await expect(
      postMessage({ ctx: t.ctx("x", t.members.x.client), input: { body: "lost" } }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await countRows("messages", t.tenants.x.id)).toBe(0);
    expect(await countRows("tenant_counters", t.tenants.x.id)).toBe(0);
  });
});

describe("listMessages / markMessagesRead", () => {
  it("pages by seq, counts what others wrote since one's marker, and moves the marker forward only", async () => {
    const t = await given({ tenants: ["x"], roles: ["client", "project_manager"] });
    const c = t.ctx("x", t.members.x.client);
    const p = t.ctx("x", t.members.x.project_manager);
    for (let i = 1; i <= 5; i++) await postMessage({ ctx: i % 2 ? p : c, input: { body: `m${i}` } });
    const all = await listMessages({ ctx: c });
    expect(all.rows.map((m) => m.body)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    // the client wrote m2 and m4 (their marker is at 4): m5 by the agency is unread
    expect(all).toMatchObject({ last_seq: 5, read_seq: 4, unread: 1 });
    expect((await listMessages({ ctx: c, input: { after: 3 } })).rows.map((m) => m.seq)).toEqual([4, 5]);
    expect((await listMessages({ ctx: c, input: { before: 4, limit: 2 } })).rows.map((m) => m.seq)).toEqual([
      2, 3,
    ]);
    expect(await markMessagesRead({ ctx: c, input: { seq: 99 } })).toEqual({
      read_seq: 5,
      unread: 0,
      last_seq: 5,
    });
    expect(await markMessagesRead({ ctx: c, input: { seq: 1 } })).toEqual({
      read_seq: 5,
      unread: 0,
      last_seq: 5,
    });
    await refused(listMessages({ ctx: c, input: { after: 1, before: 3 } }), "VALIDATION");
    await refused(markMessagesRead({ ctx: c, input: { seq: -1 } }), "VALIDATION");
  });

  it("never shows another tenant's messages", async () => {
    const seen = await listMessages({ ctx: clientB, input: { after: 0 } });
    expect(seen.rows.every((m) => m.body !== "Bonjour !")).toBe(true);
    expect(seen.rows.map((m) => m.body)).toEqual(["Autre projet"]);
  });

  it("gives the system no read marker (FORBIDDEN)", async () => {
    await refused(markMessagesRead({ ctx: s.system("a"), input: { seq: 1 } }), "FORBIDDEN");
  });
});
