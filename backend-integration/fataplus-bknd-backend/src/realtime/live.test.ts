/**
 * The portal's live channel as the domain rules it (packages/domain/src/portal/live.ts), with real D1: who may
 * open a view, what a ticket lets in, and who still hears. The HTTP and WebSocket round trips are in
 * src/routes/portal-collab.test.ts.
 */
import { env } from "cloudflare:workers";
import {
  admitLiveConnection,
  type Ctx,
  DomainError,
  issueLiveTicket,
  mayListen,
  signToken,
  type TenantRef,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTenant, makeUser, type TestUser } from "../../test/factories.ts";

const SECRET = "live-test-secret-0123456789abcdef0123";
let A: TenantRef;
let B: TenantRef;
let member: TestUser;

const userCtx = (tenant: TenantRef, user: TestUser, now = new Date()): Ctx => ({
  db: env.DB,
  tenant,
  role: "client",
  actor: { type: "user", userId: user.id, email: user.email, agencyRole: "member" },
  now: () => now,
});
const ticketOf = (url: string) => decodeURIComponent(url.replace("/ws/messages?ticket=", ""));
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e.code;
};

beforeAll(async () => {
  A = await makeTenant("Live A");
  B = await makeTenant("Live B");
  member = await makeUser({
    memberships: [
      [A, "client"],
      [B, "client"],
    ],
    login: false,
  });
});

describe("live tickets", () => {
  it("are for people only, last 60 seconds and name their tenant", async () => {
    const now = new Date("2026-11-23T10:00:00.000Z");
    const ticket = await issueLiveTicket({ ctx: userCtx(A, member, now), secret: SECRET });
    expect(ticket.url).toMatch(/^\/ws\/messages\?ticket=ws\./);
    expect(ticket.expires_at).toBe("2026-11-23T10:01:00.000Z");
    const token: Ctx = {
      ...userCtx(A, member),
      actor: { type: "token", tokenId: "t", userId: member.id, agencyRole: "member", write: true },
    };
    expect(await refusal(issueLiveTicket({ ctx: token, secret: SECRET }))).toBe("FORBIDDEN");
    const system: Ctx = { ...userCtx(A, member), actor: { type: "system", reason: "test" } };
    expect(await refusal(issueLiveTicket({ ctx: system, secret: SECRET }))).toBe("FORBIDDEN");
  });
});

describe("admitting a live connection", () => {
  it("lets the ticket's user in, in the ticket's tenant only", async () => {
    const { url } = await issueLiveTicket({ ctx: userCtx(A, member), secret: SECRET });
    const ticket = ticketOf(url);
    const admit = (tenantRef: string | null, opts: { secret?: string; now?: Date } = {}) =>
      admitLiveConnection({
        db: env.DB,
        secret: opts.secret ?? SECRET,
        ticket,
        tenantRef,
        now: opts.now ?? new Date(),
      });
    expect(await admit(A.subdomain)).toEqual({ tenantId: A.id, userId: member.id });
    expect(await admit(A.id)).toEqual({ tenantId: A.id, userId: member.id });
    // The user is a member of B too: a ticket of A still does not open B.
    expect(await refusal(admit(B.subdomain))).toBe("FORBIDDEN");
    expect(await refusal(admit(null))).toBe("TENANT_REQUIRED");
    expect(await refusal(admit(A.subdomain, { secret: `${SECRET}x` }))).toBe("FORBIDDEN");
    expect(await refusal(admit(A.subdomain, { now: new Date(Date.now() + 61_000) }))).toBe("FORBIDDEN");
  });

  it("refuses a ticket whose user has lost access since, and a download link used as a ticket", async () => {
    const leaving = await makeUser({ memberships: [[A, "client"]], login: false });
    const { url } = await issueLiveTicket({ ctx: userCtx(A, leaving), secret: SECRET });
    await env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(A.id, leaving.id)
      .run();
    const now = new Date();
    expect(
      await refusal(
        admitLiveConnection({
          db: env.DB,
          secret: SECRET,
          ticket: ticketOf(url),
          tenantRef: A.subdomain,
          now,
        }),
      ),
    ).toBe("FORBIDDEN");
    const link = await signToken(SECRET, {
      kind: "dl",
      tenantId: A.id,
      versionId: "v",
      exp: Math.floor(now.getTime() / 1000) + 60,
    });
    expect(
      await refusal(
        admitLiveConnection({ db: env.DB, secret: SECRET, ticket: link, tenantRef: A.subdomain, now }),
      ),
    ).toBe("FORBIDDEN");
  });
});

describe("who still hears", () => {
  it("members of the tenant, re-read from D1 at every delivery", async () => {
    const listener = await makeUser({ memberships: [[A, "client"]], login: false });
    expect(await mayListen({ db: env.DB, userId: listener.id, tenantId: A.id })).toBe(true);
    expect(await mayListen({ db: env.DB, userId: listener.id, tenantId: B.id })).toBe(false);
    expect(await mayListen({ db: env.DB, userId: 0, tenantId: A.id })).toBe(false);
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(listener.id).run();
    expect(await mayListen({ db: env.DB, userId: listener.id, tenantId: A.id })).toBe(false);
  });
});
