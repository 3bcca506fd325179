/**
 * Security review (issue 14), finding 3: the public intake is anonymous, so the address it names is only a claim.
 * A stranger who types the address of someone with a pending invitation must not end up with that person as a
 * client of the stranger's project once they accept their real invitation, in either order. The stranger's
 * project can still be joined, but only through its own invitation link, which went to the mailbox.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../testing/scenario.ts";
import { db, given } from "../../testing/workerd.ts";
import { submitIntake } from "../intake/index.ts";
import { acceptInvitation, createInvitation } from "./index.ts";

const setup = () =>
  given({
    tenants: ["agency", "p"],
    agency: ["agency"],
    users: { admin: { agency: "admin" } },
  });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});
const sys = () => ({ db: db(), now: () => new Date() });
let ipN = 0;

const strangerIntake = async (email: string) => {
  const out = await submitIntake({
    ctx: sys(),
    input: {
      locale: "fr",
      idempotency_key: unique("stranger-intake-0000-"),
      name: "Not the owner",
      email,
      organisation: unique("Stranger Co "),
      project_type: "website",
      goals: "Un projet écrit par quelqu'un d'autre que le titulaire de l'adresse.",
      budget: "5k_15k",
      timeline: "flexible",
    },
    ip: `203.0.113.${++ipN}`,
    siteOrigin: "https://fata.plus",
  });
  if (out.status !== "created") throw new Error(out.status);
  return out.tenantId;
};

const tenantsOf = async (email: string) =>
  (
    await db()
      .prepare(
        "SELECT m.tenant_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? ORDER BY 1",
      )
      .bind(email)
      .all<{ tenant_id: string }>()
  ).results.map((r) => r.tenant_id);

const intakeToken = async (email: string) => {
  const mail = await db()
    .prepare("SELECT text_body FROM email_outbox WHERE to_address = ? AND kind = 'intake.invitation'")
    .bind(email)
    .first<{ text_body: string }>();
  return decodeURIComponent(/invitation\?token=([^\s]+)/.exec(mail?.text_body ?? "")?.[1] ?? "");
};

describe("a stranger's intake naming someone invited elsewhere", () => {
  for (const order of ["invitation first", "intake first"] as const) {
    it(`(${order}) leaves them a client of their real project only`, async () => {
      const email = `${unique("owner")}@invited.test`;
      const invite = () =>
        createInvitation({ ctx: s.ctx("p", s.users.admin), input: { email, role: "client" } });
      let inv: Awaited<ReturnType<typeof invite>>;
      let stranger: string;
      if (order === "invitation first") {
        inv = await invite();
        stranger = await strangerIntake(email);
      } else {
        stranger = await strangerIntake(email);
        inv = await invite();
      }
      await acceptInvitation({ ctx: sys(), input: { token: inv.token, password: "Owner-password-2026!" } });
      expect(await tenantsOf(email)).toEqual([s.tenants.p.id]);
      expect(await tenantsOf(email)).not.toContain(stranger);

      // the stranger's project is joined only through its own link (to the mailbox), from the owner's session
      const token = await intakeToken(email);
      expect(token.length).toBeGreaterThan(10);
      const owner = await db()
        .prepare("SELECT id FROM users WHERE email = ?")
        .bind(email)
        .first<{ id: number }>();
      await acceptInvitation({ ctx: sys(), input: { token }, actingUserId: owner?.id ?? null });
      expect((await tenantsOf(email)).sort()).toEqual([s.tenants.p.id, stranger].sort());
    });
  }
});
