import { beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../../testing/scenario.ts";
import { auditFails, auditRows, countRows, db, given, refused } from "../../testing/workerd.ts";
import { resolveAccess } from "../auth/identity.ts";
import { login } from "../auth/login.ts";
import type { Ctx } from "../kernel/context.ts";
import { acceptInvitation, createInvitation } from "./index.ts";

const setup = () =>
  given({
    tenants: ["a", "b"],
    roles: ["client", "project_manager", "admin"],
    users: {
      staff: { agency: "staff" },
      staffAdmin: { agency: "staff", in: { a: "admin" } },
      agencyAdmin: { agency: "admin" },
    },
  });
let s: Awaited<ReturnType<typeof setup>>;
let staffAdmin: Ctx;
beforeAll(async () => {
  s = await setup();
  staffAdmin = s.ctx("a", s.users.staffAdmin);
});
const sys = () => ({ db: db(), now: () => new Date() });
const newEmail = () => `${crypto.randomUUID().slice(0, 8)}@invited.test`;
const NEW_PASSWORD = "a-long-enough-password";

describe("createInvitation", () => {
  it("stores the invitation hashed with its audit row, and queues the email when asked", async () => {
    const email = newEmail();
    const inv = await createInvitation({
      ctx: staffAdmin,
      input: { email: ` ${email.toUpperCase()} `, role: "client" },
      mail: { siteUrl: "https://fata.plus" },
    });
    expect(inv.token.length).toBeGreaterThanOrEqual(40);
    const row = await db()
      .prepare("SELECT tenant_id, email, role, token_hash, invited_by FROM invitations WHERE id = ?")
      .bind(inv.id)
      .first<{ token_hash: string }>();
    expect(row).toMatchObject({
      tenant_id: s.tenants.a.id,
      email,
      role: "client",
      invited_by: s.users.staffAdmin.id,
    });
    expect(row?.token_hash).not.toContain(inv.token);
    expect(await auditRows(s.tenants.a.id, { entityId: inv.id })).toEqual([
      expect.objectContaining({ action: "invitation.create", actor_id: String(s.users.staffAdmin.id) }),
    ]);
    const mail = await db()
      .prepare("SELECT kind, text_body FROM email_outbox WHERE to_address = ?")
      .bind(email)
      .first<{ kind: string; text_body: string }>();
    expect(mail?.kind).toBe("invitation");
    expect(mail?.text_body).toContain(`https://fata.plus/invitation?token=${encodeURIComponent(inv.token)}`);
  });

  it("is for the agency's people: FORBIDDEN to clients, partners and members who manage the tenant without being the agency's", async () => {
    for (const who of [s.members.a.client, s.members.a.project_manager, s.members.a.admin])
      await refused(
        createInvitation({ ctx: s.ctx("a", who), input: { email: newEmail(), role: "client" } }),
        "FORBIDDEN",
      );
  });

  it("lets agency staff invite clients and partners, but not managers or admins (decision 026)", async () => {
    const staff = s.ctx("a", s.users.staff);
    for (const role of ["client", "partner"])
      await createInvitation({ ctx: staff, input: { email: newEmail(), role } });
    for (const role of ["project_manager", "admin"])
      await refused(createInvitation({ ctx: staff, input: { email: newEmail(), role } }), "FORBIDDEN");
    await createInvitation({ ctx: staffAdmin, input: { email: newEmail(), role: "project_manager" } });
    await createInvitation({
      ctx: s.ctx("a", s.users.agencyAdmin),
      input: { email: newEmail(), role: "admin" },
    });
    expect(await countRows("invitations", s.tenants.b.id)).toBe(0);
  });

  it("refuses a bad email or role (VALIDATION)", async () => {
    const ctx = s.ctx("a", s.users.agencyAdmin);
    await refused(createInvitation({ ctx, input: { email: "not-an-email", role: "client" } }), "VALIDATION");
    await refused(createInvitation({ ctx, input: { email: newEmail(), role: "owner" } }), "VALIDATION");
  });

  it("writes no invitation nor email when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], users: { boss: { agency: "admin" } } });
    const email = newEmail();
    const undo = await auditFails({ tenantId: t.tenants.x.id });
    await expect(
      createInvitation({
        ctx: t.ctx("x", t.users.boss),
        input: { email, role: "client" },
        mail: { siteUrl: "https://x" },
      }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await countRows("invitations", t.tenants.x.id)).toBe(0);
    expect(
      await db().prepare("SELECT 1 FROM email_outbox WHERE to_address = ?").bind(email).first(),
    ).toBeNull();
  });
});

describe("acceptInvitation", () => {
  const invite = async (
    email: string,
    role: "client" | "project_manager" = "client",
    tenant: "a" | "b" = "a",
  ) => createInvitation({ ctx: s.ctx(tenant, s.users.agencyAdmin), input: { email, role } });

  it("creates the account and its membership once; the person then signs in and reaches only that tenant", async () => {
    const email = newEmail();
    const inv = await invite(email, "project_manager");
    expect(
      await acceptInvitation({
        ctx: sys(),
        input: { token: inv.token, password: NEW_PASSWORD, name: "Aina" },
      }),
    ).toEqual({
      tenantId: s.tenants.a.id,
      email,
    });
    const me = await login({ ctx: sys(), input: { email, password: NEW_PASSWORD }, ip: "203.0.113.40" });
    expect(me).toMatchObject({ email, name: "Aina", role: "member" });
    expect((await resolveAccess({ db: db(), userId: me.id, tenantRef: s.tenants.a.subdomain }))?.role).toBe(
      "project_manager",
    );
    expect(
      (await resolveAccess({ db: db(), userId: me.id, tenantRef: s.tenants.b.subdomain }))?.role,
    ).toBeNull();
    expect((await auditRows(s.tenants.a.id, { entityId: inv.id })).map((a) => a.action)).toEqual([
      "invitation.create",
      "invitation.accept",
    ]);
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: inv.token, password: NEW_PASSWORD } }),
      "NOT_FOUND",
    );
  });

  it("adds an existing account only through its own session (CONFLICT otherwise)", async () => {
    const inv = await invite(s.members.b.client.email, "client", "a");
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: inv.token, password: NEW_PASSWORD } }),
      "CONFLICT",
    );
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: inv.token }, actingUserId: s.members.a.client.id }),
      "CONFLICT",
    );
    await acceptInvitation({ ctx: sys(), input: { token: inv.token }, actingUserId: s.members.b.client.id });
    const access = await resolveAccess({
      db: db(),
      userId: s.members.b.client.id,
      tenantRef: s.tenants.a.id,
    });
    expect(access?.role).toBe("client");
  });

  it("refuses unknown and expired tokens (NOT_FOUND), a new account without password and a short one (VALIDATION)", async () => {
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: "x".repeat(43), password: NEW_PASSWORD } }),
      "NOT_FOUND",
    );
    const inv = await invite(newEmail());
    await refused(acceptInvitation({ ctx: sys(), input: { token: inv.token } }), "VALIDATION");
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: inv.token, password: "short" } }),
      "VALIDATION",
    );
    const later = { db: db(), now: () => new Date(Date.now() + 8 * 86_400_000) };
    await refused(
      acceptInvitation({ ctx: later, input: { token: inv.token, password: NEW_PASSWORD } }),
      "NOT_FOUND",
    );
  });

  it("creates no account and gives the invitation back when its audit row fails", async () => {
    const t = await given({ tenants: ["x"], users: { boss: { agency: "admin" } } });
    const email = newEmail();
    const inv = await createInvitation({ ctx: t.ctx("x", t.users.boss), input: { email, role: "client" } });
    const undo = await auditFails({ tenantId: t.tenants.x.id, action: "invitation.accept" });
    await expect(
      acceptInvitation({ ctx: sys(), input: { token: inv.token, password: NEW_PASSWORD } }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await db().prepare("SELECT 1 FROM users WHERE email = ?").bind(email).first()).toBeNull();
    expect(await countRows("memberships", t.tenants.x.id)).toBe(0);
    // the invitation still works
    await acceptInvitation({ ctx: sys(), input: { token: inv.token, password: PASSWORD } });
    expect(await countRows("memberships", t.tenants.x.id)).toBe(1);
  });
});
