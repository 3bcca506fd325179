import { describe, expect, it } from "vitest";
import { db, given, refused } from "../../testing/workerd.ts";
import { createHandoff, redeemHandoff } from "./handoff.ts";
import { loadIdentity, resolveAccess } from "./identity.ts";
import {
  endOtherSession,
  endSession,
  listSessions,
  openSession,
  SESSION_LIFETIME_DAYS,
  type SessionOwnerCtx,
} from "./sessions.ts";

const DAY = 86_400_000;
const people = () =>
  given({ tenants: ["x"], users: { u: { in: { x: "client" } }, other: { in: { x: "client" } } } });
const open = (userId: number, now = new Date(), extra: { mfa?: boolean } = {}) =>
  openSession({
    db: db(),
    userId,
    method: "password",
    device: { host: "x", userAgent: `Firefox ${"z".repeat(400)}`, ip: "198.51.100.7" },
    now,
    ...extra,
  });
const load = (userId: number, id: string) =>
  resolveAccess({ db: db(), userId, tenantRef: null, session: { id } });

describe("sessions", () => {
  it("a session works until it is ended, and ending one leaves the others open", async () => {
    const t = await people();
    const [a, b] = [await open(t.users.u.id), await open(t.users.u.id)];
    expect(await load(t.users.u.id, a.id)).not.toBeNull();
    expect(
      await endSession({
        db: db(),
        userId: t.users.u.id,
        sessionId: a.id,
        now: new Date(),
        reason: "signed_out",
      }),
    ).toBe(true);
    expect(await load(t.users.u.id, a.id)).toBeNull();
    expect(await load(t.users.u.id, b.id)).not.toBeNull();
    // ending it again changes nothing
    expect(
      await endSession({
        db: db(),
        userId: t.users.u.id,
        sessionId: a.id,
        now: new Date(),
        reason: "signed_out",
      }),
    ).toBe(false);
  });

  it("a session id names its own user only: another user's id is no session, and can't be ended by them", async () => {
    const t = await people();
    const theirs = await open(t.users.other.id);
    expect(await loadIdentity({ db: db(), userId: t.users.u.id, session: { id: theirs.id } })).toBeNull();
    expect(
      await endSession({
        db: db(),
        userId: t.users.u.id,
        sessionId: theirs.id,
        now: new Date(),
        reason: "ended",
      }),
    ).toBe(false);
    expect(await load(t.users.other.id, theirs.id)).not.toBeNull();
  });

  it(`ends by itself ${SESSION_LIFETIME_DAYS} days after the sign-in, and is forgotten 30 days after it ended`, async () => {
    const t = await people();
    const old = await open(t.users.u.id, new Date(Date.now() - (SESSION_LIFETIME_DAYS * DAY + 1000)));
    expect(old.expiresAt < new Date().toISOString()).toBe(true);
    expect(await load(t.users.u.id, old.id)).toBeNull();
    const older = await open(t.users.u.id, new Date(Date.now() - (2 * SESSION_LIFETIME_DAYS + 1) * DAY));
    const rows = () =>
      db()
        .prepare("SELECT id FROM sessions WHERE user_id = ?")
        .bind(t.users.u.id)
        .all<{ id: string }>()
        .then((r) => r.results.map((x) => x.id));
    expect(await rows()).toContain(older.id);
    await open(t.users.u.id); // the next sign-in tidies up
    expect(await rows()).not.toContain(older.id);
    expect(await rows()).toContain(old.id);
  });

  it("lists the owner's open sessions, this one first then newest first, device fields cut to size", async () => {
    const t = await people();
    const first = await open(t.users.u.id, new Date(Date.now() - 3000));
    const second = await open(t.users.u.id, new Date(Date.now() - 2000), { mfa: true });
    const third = await open(t.users.u.id, new Date(Date.now() - 1000));
    const ended = await open(t.users.u.id);
    await endSession({
      db: db(),
      userId: t.users.u.id,
      sessionId: ended.id,
      now: new Date(),
      reason: "ended",
    });
    await open(t.users.other.id);
    const ctx: SessionOwnerCtx = {
      db: db(),
      identity: { id: t.users.u.id, email: t.users.u.email, name: null, role: "member", locale: "fr" },
      sessionId: first.id,
      now: () => new Date(),
    };
    const { sessions } = await listSessions({ ctx });
    expect(sessions.map((x) => [x.id, x.current, x.mfa])).toEqual([
      [first.id, true, false],
      [third.id, false, false],
      [second.id, false, true],
    ]);
    expect(sessions[1]?.userAgent).toHaveLength(256);
    expect(sessions[1]).toMatchObject({ host: "x", ip: "198.51.100.7", method: "password" });

    // ending another session: this one can't be ended that way, an unknown or foreign one is a 404
    await refused(endOtherSession({ ctx, input: { id: first.id } }), "UNPROCESSABLE");
    await refused(endOtherSession({ ctx, input: { id: "n".repeat(24) } }), "NOT_FOUND");
    await refused(endOtherSession({ ctx, input: { id: 12 } }), "VALIDATION");
    expect(await endOtherSession({ ctx, input: { id: second.id } })).toEqual({ ok: true });
    expect(await load(t.users.u.id, second.id)).toBeNull();
    expect(await load(t.users.u.id, first.id)).not.toBeNull();
  });

  it("a hand-off carries over whether the session it came from had a second factor", async () => {
    const t = await people();
    const ctx = { db: db(), now: () => new Date() };
    for (const mfa of [true, false]) {
      const { code } = await createHandoff({
        ctx,
        input: { userId: t.users.u.id, tenant: t.tenants.x.subdomain, mfa },
      });
      expect(await redeemHandoff({ ctx, input: { code, tenant: t.tenants.x.subdomain } })).toMatchObject({
        id: t.users.u.id,
        mfa,
      });
    }
  });

  it("the session's second-factor flag travels with the access the gate resolves", async () => {
    const t = await people();
    const s = await open(t.users.u.id, new Date(), { mfa: true });
    expect(await load(t.users.u.id, s.id)).toMatchObject({ session: { id: s.id, mfa: true } });
  });
});
