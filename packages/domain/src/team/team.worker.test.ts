import { beforeAll, describe, expect, it } from "vitest";
import { auditRows, db, given, refused } from "../../testing/workerd.ts";
import { loadIdentity } from "../auth/identity.ts";
import { openSession } from "../auth/sessions.ts";
import { acceptInvitation, createInvitation } from "../invitations/index.ts";
import type { Ctx } from "../kernel/context.ts";
import { tenantRoles } from "../kernel/roles.ts";
import { authenticateToken, createToken } from "../tokens/index.ts";
import {
  changeMemberRole,
  LAST_ADMIN,
  LAST_AGENCY_ADMIN,
  listUsers,
  removeMember,
  resendInvitation,
  revokeInvitation,
  setUserStatus,
} from "./index.ts";

const setup = () =>
  given({
    tenants: ["a", "b"],
    roles: tenantRoles,
    users: {
      staff: { agency: "staff" },
      staffAdmin: { agency: "staff", in: { a: "admin" } },
      agencyAdmin: { agency: "admin", name: "Aina Admin" },
      otherAdmin: { agency: "admin" },
      c1: { in: { a: "client", b: "client" } },
      c2: { in: { a: "client" } },
      p1: { in: { a: "partner" } },
      soleAdmin: { in: { b: "admin" } },
    },
  });
let s: Awaited<ReturnType<typeof setup>>;
let c1Token = "";
beforeAll(async () => {
  s = await setup();
  c1Token = (
    await createToken({
      ctx: s.crm(s.users.c1),
      input: { name: "agent", expires_in_days: 30, tenants: "all" },
    })
  ).token;
});

const roleIn = async (tenantId: string, userId: number) =>
  (
    await db()
      .prepare("SELECT role FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(tenantId, userId)
      .first<{ role: string }>()
  )?.role ?? null;
const newEmail = () => `${crypto.randomUUID().slice(0, 8)}@team.test`;
const sys = () => ({ db: db(), now: () => new Date() });
const tokenWorks = (token: string) =>
  authenticateToken({ db: db(), now: () => new Date(), token }).then(
    () => true,
    () => false,
  );

describe("migration 0018: the rebuilt memberships and invitations", () => {
  it("take the partner role, refuse an unknown one, and keep their foreign keys and indexes", async () => {
    for (const table of ["memberships", "invitations"]) {
      const fks = (
        await db().prepare(`PRAGMA foreign_key_list(${table})`).all<{
          table: string;
          on_delete: string;
        }>()
      ).results.map((f) => `${f.table}:${f.on_delete}`);
      expect(fks.sort()).toEqual(
        table === "memberships"
          ? ["tenants:CASCADE", "users:CASCADE"]
          : ["tenants:CASCADE", "users:SET NULL"],
      );
    }
    const indexes = (
      await db()
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('memberships', 'invitations') AND sql IS NOT NULL ORDER BY name",
        )
        .all<{ name: string }>()
    ).results.map((r) => r.name);
    expect(indexes).toEqual([
      "idx_invitations_tenant_id_created_at",
      "idx_memberships_user_id_tenant_id",
      "idx_unique_invitations_token_hash",
      "idx_unique_memberships_tenant_id_user_id",
    ]);
    expect(await roleIn(s.tenants.a.id, s.users.p1.id)).toBe("partner");
    await expect(
      db()
        .prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, 'owner')")
        .bind(s.tenants.b.id, s.users.staff.id)
        .run(),
    ).rejects.toThrow(/CHECK/);
    // Deleting a tenant still cascades to its memberships (the rebuilt table's foreign key).
    const t = await given({ tenants: ["x"], roles: ["partner"] });
    await db().prepare("DELETE FROM tenants WHERE id = ?").bind(t.tenants.x.id).run();
    expect(await roleIn(t.tenants.x.id, t.members.x.partner.id)).toBeNull();
  });
});

describe("changeMemberRole", () => {
  it("lets a project admin change any role, with its audit row", async () => {
    const ctx = s.ctx("a", s.users.staffAdmin);
    const out = await changeMemberRole({ ctx, input: { user_id: s.users.c2.id, role: "partner" } });
    expect(out).toEqual({ user_id: s.users.c2.id, role: "partner", changed: true });
    expect(await roleIn(s.tenants.a.id, s.users.c2.id)).toBe("partner");
    const audit = await auditRows(s.tenants.a.id, { action: "membership.role_change" });
    expect(audit.at(-1)).toMatchObject({
      actor_id: String(s.users.staffAdmin.id),
      entity_id: String(s.users.c2.id),
    });
    expect(JSON.parse(audit.at(-1)?.data ?? "{}")).toMatchObject({ from: "client", to: "partner" });
    await changeMemberRole({ ctx, input: { user_id: s.users.c2.id, role: "client" } });
  });

  it("lets a project manager (agency staff) move people between client and partner only", async () => {
    const ctx = s.ctx("a", s.users.staff);
    expect(ctx.role).toBe("project_manager");
    await changeMemberRole({ ctx, input: { user_id: s.users.c2.id, role: "partner" } });
    await changeMemberRole({ ctx, input: { user_id: s.users.c2.id, role: "client" } });
    await refused(
      changeMemberRole({ ctx, input: { user_id: s.users.c2.id, role: "project_manager" } }),
      "FORBIDDEN",
    );
    await refused(
      changeMemberRole({ ctx, input: { user_id: s.members.a.admin.id, role: "client" } }),
      "FORBIDDEN",
    );
    await refused(
      changeMemberRole({ ctx, input: { user_id: s.members.a.project_manager.id, role: "client" } }),
      "FORBIDDEN",
    );
    expect(await roleIn(s.tenants.a.id, s.users.c2.id)).toBe("client");
    expect(await roleIn(s.tenants.a.id, s.members.a.admin.id)).toBe("admin");
  });

  it("is FORBIDDEN to clients and partners, and to oneself", async () => {
    for (const who of [s.members.a.client, s.users.p1])
      await refused(
        changeMemberRole({ ctx: s.ctx("a", who), input: { user_id: s.users.c2.id, role: "partner" } }),
        "FORBIDDEN",
      );
    await refused(
      changeMemberRole({
        ctx: s.ctx("a", s.users.staffAdmin),
        input: { user_id: s.users.staffAdmin.id, role: "client" },
      }),
      "FORBIDDEN",
    );
  });

  it("answers NOT_FOUND for someone who is not a member of this tenant (another tenant's member included)", async () => {
    const ctx = s.ctx("a", s.users.agencyAdmin);
    await refused(
      changeMemberRole({ ctx, input: { user_id: s.users.soleAdmin.id, role: "client" } }),
      "NOT_FOUND",
    );
    await refused(changeMemberRole({ ctx, input: { user_id: 99_999_999, role: "client" } }), "NOT_FOUND");
    expect(await roleIn(s.tenants.b.id, s.users.soleAdmin.id)).toBe("admin");
    await refused(changeMemberRole({ ctx, input: { user_id: s.users.c2.id, role: "owner" } }), "VALIDATION");
    await refused(changeMemberRole({ ctx, input: { user_id: "x", role: "client" } }), "VALIDATION");
  });

  it("keeps a project's last active admin: demoting them is a CONFLICT; with a second admin it works", async () => {
    const c = await given({
      tenants: ["c"],
      users: { sole: { in: { c: "admin" } }, cl: { in: { c: "client" } } },
    });
    const ctx: Ctx = { ...s.ctx("a", s.users.agencyAdmin), tenant: c.tenants.c };
    const { sole, cl } = c.users;
    const e = await refused(
      changeMemberRole({ ctx, input: { user_id: sole.id, role: "client" } }),
      "CONFLICT",
    );
    expect(e.details?.[0]?.message).toBe(LAST_ADMIN);
    await refused(removeMember({ ctx, input: { user_id: sole.id } }), "CONFLICT");
    expect(await roleIn(c.tenants.c.id, sole.id)).toBe("admin");
    expect(await auditRows(c.tenants.c.id)).toEqual([expect.objectContaining({ action: "tenant.create" })]);
    // A second admin, and the first may go down; then the second is the last one.
    await changeMemberRole({ ctx, input: { user_id: cl.id, role: "admin" } });
    await changeMemberRole({ ctx, input: { user_id: sole.id, role: "project_manager" } });
    await refused(changeMemberRole({ ctx, input: { user_id: cl.id, role: "partner" } }), "CONFLICT");
    // A deactivated admin doesn't count as one who can manage the project.
    await changeMemberRole({ ctx, input: { user_id: sole.id, role: "admin" } });
    await db().prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(sole.id).run();
    await refused(removeMember({ ctx, input: { user_id: cl.id } }), "CONFLICT");
    expect(await roleIn(c.tenants.c.id, cl.id)).toBe("admin");
  });
});

describe("removeMember", () => {
  it("removes a member with its audit row; their account stays", async () => {
    const extra = await given({ tenants: ["t"], roles: ["client", "partner"] });
    const pm = s.users.staff;
    const ctx: Ctx = { ...s.ctx("a", pm), tenant: extra.tenants.t };
    await removeMember({ ctx, input: { user_id: extra.members.t.partner.id } });
    expect(await roleIn(extra.tenants.t.id, extra.members.t.partner.id)).toBeNull();
    expect(await loadIdentity({ db: db(), userId: extra.members.t.partner.id })).not.toBeNull();
    const audit = await auditRows(extra.tenants.t.id, { action: "membership.remove" });
    expect(audit).toEqual([
      expect.objectContaining({ actor_id: String(pm.id), entity_id: String(extra.members.t.partner.id) }),
    ]);
    await refused(removeMember({ ctx, input: { user_id: extra.members.t.partner.id } }), "NOT_FOUND");
  });

  it("refuses what is beyond the caller's reach (FORBIDDEN)", async () => {
    await refused(
      removeMember({ ctx: s.ctx("a", s.users.staff), input: { user_id: s.members.a.project_manager.id } }),
      "FORBIDDEN",
    );
    await refused(
      removeMember({ ctx: s.ctx("a", s.users.p1), input: { user_id: s.users.c2.id } }),
      "FORBIDDEN",
    );
    expect(await roleIn(s.tenants.a.id, s.members.a.project_manager.id)).toBe("project_manager");
  });
});

describe("resendInvitation and revokeInvitation", () => {
  it("re-sending gives a new token (the old one stops working), a new expiry and a new mail", async () => {
    const ctx = s.ctx("a", s.users.staff);
    const email = newEmail();
    const first = await createInvitation({ ctx, input: { email, role: "partner" } });
    // An expired invitation can be re-sent: that is what re-sending is for.
    await db()
      .prepare("UPDATE invitations SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
      .bind(first.id)
      .run();
    const again = await resendInvitation({
      ctx,
      input: { id: first.id },
      mail: { siteUrl: "https://fata.plus" },
    });
    expect(again.token).not.toBe(first.token);
    expect(new Date(again.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: first.token, password: "a-long-enough-password" } }),
      "NOT_FOUND",
    );
    const mails = await db()
      .prepare("SELECT text_body FROM email_outbox WHERE to_address = ? AND kind = 'invitation'")
      .bind(email)
      .all<{ text_body: string }>();
    expect(mails.results).toHaveLength(1);
    expect(mails.results[0]?.text_body).toContain(encodeURIComponent(again.token));
    expect(await auditRows(s.tenants.a.id, { entityId: first.id })).toEqual([
      expect.objectContaining({ action: "invitation.create" }),
      expect.objectContaining({ action: "invitation.resend", actor_id: String(s.users.staff.id) }),
    ]);
    const accepted = await acceptInvitation({
      ctx: sys(),
      input: { token: again.token, password: "a-long-enough-password" },
    });
    expect(accepted.tenantId).toBe(s.tenants.a.id);
    // Accepted: history, neither re-sent nor revoked.
    await refused(resendInvitation({ ctx, input: { id: first.id } }), "NOT_FOUND");
    await refused(revokeInvitation({ ctx, input: { id: first.id } }), "NOT_FOUND");
  });

  it("revoking deletes the pending invitation: its link stops working, the audit row keeps who and what", async () => {
    const ctx = s.ctx("a", s.users.staffAdmin);
    const email = newEmail();
    const inv = await createInvitation({ ctx, input: { email, role: "client" } });
    await revokeInvitation({ ctx, input: { id: inv.id } });
    await refused(
      acceptInvitation({ ctx: sys(), input: { token: inv.token, password: "a-long-enough-password" } }),
      "NOT_FOUND",
    );
    const audit = await auditRows(s.tenants.a.id, { entityId: inv.id });
    expect(audit.map((a) => a.action)).toEqual(["invitation.create", "invitation.revoke"]);
    expect(JSON.parse(audit[1]?.data ?? "{}")).toEqual({ email, role: "client" });
    await refused(revokeInvitation({ ctx, input: { id: inv.id } }), "NOT_FOUND");
  });

  it("an invitation can't change the role of a member the caller doesn't manage", async () => {
    const staff = s.ctx("a", s.users.staff);
    await refused(
      createInvitation({ ctx: staff, input: { email: s.members.a.admin.email, role: "partner" } }),
      "FORBIDDEN",
    );
    await createInvitation({ ctx: staff, input: { email: s.users.c2.email, role: "partner" } });
  });

  it("stays within the tenant and the caller's roles", async () => {
    const admin = s.ctx("a", s.users.staffAdmin);
    const inv = await createInvitation({ ctx: admin, input: { email: newEmail(), role: "project_manager" } });
    const staff = s.ctx("a", s.users.staff);
    await refused(revokeInvitation({ ctx: staff, input: { id: inv.id } }), "FORBIDDEN");
    await refused(resendInvitation({ ctx: staff, input: { id: inv.id } }), "FORBIDDEN");
    await refused(
      revokeInvitation({ ctx: s.ctx("b", s.users.agencyAdmin), input: { id: inv.id } }),
      "NOT_FOUND",
    );
    await refused(
      resendInvitation({ ctx: s.ctx("b", s.users.agencyAdmin), input: { id: inv.id } }),
      "NOT_FOUND",
    );
    for (const who of [s.members.a.client, s.users.p1])
      await refused(revokeInvitation({ ctx: s.ctx("a", who), input: { id: inv.id } }), "FORBIDDEN");
    // A manager who is not the agency's is handed no token: no re-send for them (revoking is fine).
    await refused(
      resendInvitation({ ctx: s.ctx("a", s.members.a.admin), input: { id: inv.id } }),
      "FORBIDDEN",
    );
    await refused(revokeInvitation({ ctx: admin, input: { id: "not-a-uuid" } }), "VALIDATION");
    await revokeInvitation({ ctx: s.ctx("a", s.members.a.admin), input: { id: inv.id } });
  });
});

describe("setUserStatus", () => {
  it("deactivating ends every session and token at once; history stays attributed; reactivating brings neither back", async () => {
    const ctx = s.crm(s.users.agencyAdmin);
    const { id: sessionId } = await openSession({
      db: db(),
      userId: s.users.c1.id,
      method: "password",
      now: new Date(),
    });
    const session = { id: sessionId };
    expect(await loadIdentity({ db: db(), userId: s.users.c1.id, session })).not.toBeNull();
    const token = c1Token;
    expect(await tokenWorks(token)).toBe(true);
    await setUserStatus({ ctx, input: { user_id: s.users.c1.id, status: "disabled" } });
    expect(await loadIdentity({ db: db(), userId: s.users.c1.id })).toBeNull();
    expect(await tokenWorks(token)).toBe(false);
    const revoked = await db()
      .prepare("SELECT count(*) AS n FROM access_tokens WHERE user_id = ? AND revoked_at IS NULL")
      .bind(s.users.c1.id)
      .first<{ n: number }>();
    expect(revoked?.n).toBe(0);
    // One audit row in each of their tenants (a and b), by the admin; their memberships stay.
    for (const t of [s.tenants.a, s.tenants.b]) {
      const rows = await auditRows(t.id, { action: "user.deactivate" });
      expect(rows).toEqual([
        expect.objectContaining({
          actor_id: String(s.users.agencyAdmin.id),
          entity_id: String(s.users.c1.id),
        }),
      ]);
    }
    expect(await roleIn(s.tenants.a.id, s.users.c1.id)).toBe("client");
    const listed = await listUsers({ ctx, input: { status: "disabled" } });
    expect(listed.rows.map((r) => r.email)).toContain(s.users.c1.email);

    await setUserStatus({ ctx, input: { user_id: s.users.c1.id, status: "active" } });
    expect(await loadIdentity({ db: db(), userId: s.users.c1.id })).not.toBeNull();
    expect(await loadIdentity({ db: db(), userId: s.users.c1.id, session })).toBeNull();
    expect(await tokenWorks(token)).toBe(false);
    expect(await auditRows(s.tenants.a.id, { action: "user.reactivate" })).toHaveLength(1);
  });

  it("is for agency admins only, never on oneself, and not on an unclaimed account", async () => {
    for (const who of [s.users.staff, s.members.a.admin, s.users.staffAdmin])
      await refused(
        setUserStatus({ ctx: s.crm(who), input: { user_id: s.users.c2.id, status: "disabled" } }),
        "FORBIDDEN",
      );
    await refused(listUsers({ ctx: s.crm(s.users.staff), input: {} }), "FORBIDDEN");
    const ctx = s.crm(s.users.agencyAdmin);
    await refused(
      setUserStatus({ ctx, input: { user_id: s.users.agencyAdmin.id, status: "disabled" } }),
      "FORBIDDEN",
    );
    await refused(setUserStatus({ ctx, input: { user_id: 99_999_999, status: "disabled" } }), "NOT_FOUND");
    await refused(setUserStatus({ ctx, input: { user_id: s.users.c2.id, status: "invited" } }), "VALIDATION");
    const unclaimed = await given({ tenants: ["u"], users: { ghost: { status: "invited" } } });
    await refused(
      setUserStatus({ ctx, input: { user_id: unclaimed.users.ghost.id, status: "disabled" } }),
      "CONFLICT",
    );
    expect(await loadIdentity({ db: db(), userId: s.users.c2.id })).not.toBeNull();
  });

  it("keeps the last active agency admin: two admins deactivating each other at once, one of them stays", async () => {
    const x = s.users.agencyAdmin;
    const y = s.users.otherAdmin;
    await db()
      .prepare("UPDATE users SET status = 'disabled' WHERE role = 'admin' AND id NOT IN (?, ?)")
      .bind(x.id, y.id)
      .run();
    const results = await Promise.allSettled([
      setUserStatus({ ctx: s.crm(x), input: { user_id: y.id, status: "disabled" } }),
      setUserStatus({ ctx: s.crm(y), input: { user_id: x.id, status: "disabled" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected");
    expect(
      rejected && "reason" in rejected
        ? (rejected.reason as { details?: Array<{ message: string }> }).details?.[0]?.message
        : null,
    ).toBe(LAST_AGENCY_ADMIN);
    const active = await db()
      .prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND status = 'active'")
      .first<{ n: number }>();
    expect(active?.n).toBe(1);
  });
});
