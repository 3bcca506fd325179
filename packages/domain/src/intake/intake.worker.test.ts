import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../testing/scenario.ts";
import { auditFails, auditRows, countRows, db, given, refused } from "../../testing/workerd.ts";
import type { Ctx, TenantRef } from "../kernel/context.ts";
import {
  decideLead,
  getIntakeLead,
  getPortalProposal,
  INTAKE_THROTTLE,
  type IntakeInput,
  respondToProposal,
  sendProposal,
  submitIntake,
  updateProposal,
} from "./index.ts";

const SITE = "https://fata.plus";
const setup = () =>
  given({
    tenants: ["agency", "other"],
    agency: ["agency"],
    names: { agency: "Fataplus" },
    users: {
      staff: { agency: "staff" },
      admin: { agency: "admin" },
      client: { in: { other: "client" } },
      otherPm: { in: { other: "project_manager" } },
    },
  });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});
const sys = () => ({ db: db(), now: () => new Date() });
let ipN = 0;
const nextIp = () => `192.0.2.${++ipN}`;
const form = (over: Partial<IntakeInput> = {}): IntakeInput => ({
  locale: "fr",
  idempotency_key: unique("intake-key-0000-"),
  name: "Rova Rakoto",
  email: `${unique("rova")}@client.test`,
  organisation: unique("Maison Rova "),
  project_type: "website",
  goals: "Un site vitrine bilingue pour notre atelier de vannerie.",
  budget: "5k_15k",
  timeline: "flexible",
  ...over,
});

type Created = { leadId: string; tenantId: string; subdomain: string };
async function intake(over: Partial<IntakeInput> = {}): Promise<Created & { email: string }> {
  const input = form(over);
  const out = await submitIntake({ ctx: sys(), input, ip: nextIp(), siteOrigin: SITE });
  if (out.status !== "created") throw new Error(`expected a created intake, got ${out.status}`);
  return { ...out, email: input.email };
}

/** The invited client of an intake's tenant, as the portal's verbs see them. */
async function clientOf(created: Created & { email: string }): Promise<Ctx> {
  const u = await db()
    .prepare("SELECT id FROM users WHERE email = ?")
    .bind(created.email)
    .first<{ id: number }>();
  const t = await db()
    .prepare("SELECT id, name, subdomain, kind FROM tenants WHERE id = ?")
    .bind(created.tenantId)
    .first<TenantRef>();
  if (!u || !t) throw new Error("intake rows missing");
  return {
    db: db(),
    tenant: t,
    role: "client",
    actor: { type: "user", userId: u.id, email: created.email, agencyRole: "member" },
    now: () => new Date(),
  };
}

/** Accepting is a simple e-signature (decision 028): the typed name and the terms ticked. */
const signed = { signer_name: "Hery Rakoto", terms: true } as const;

describe("submitIntake", () => {
  it("provisions the project tenant, its project, draft proposal, invited client and mail, and the agency's lead", async () => {
    const c = await intake();
    expect(c.subdomain).toMatch(/^maison-rova-/);
    const t = await db()
      .prepare("SELECT kind, status, stage FROM tenants WHERE id = ?")
      .bind(c.tenantId)
      .first();
    expect(t).toEqual({ kind: "project", status: "active", stage: "intake" });
    expect(await countRows("projects", c.tenantId)).toBe(1);
    expect(
      await db().prepare("SELECT status FROM proposals WHERE tenant_id = ?").bind(c.tenantId).first(),
    ).toEqual({
      status: "draft",
    });
    const lead = await db()
      .prepare("SELECT tenant_id, stage, source FROM leads WHERE id = ?")
      .bind(c.leadId)
      .first();
    expect(lead).toEqual({ tenant_id: s.tenants.agency.id, stage: "new", source: "intake" });
    const user = await db()
      .prepare("SELECT status, strategy_value FROM users WHERE email = ?")
      .bind(c.email)
      .first();
    expect(user).toEqual({ status: "invited", strategy_value: null });
    const { results: roles } = await db()
      .prepare(
        "SELECT m.role, u.role AS agency FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ?",
      )
      .bind(c.tenantId)
      .all();
    expect(roles).toEqual(
      expect.arrayContaining([
        { role: "client", agency: "member" },
        { role: "project_manager", agency: "staff" },
      ]),
    );
    const mail = await db()
      .prepare("SELECT kind, text_body FROM email_outbox WHERE to_address = ?")
      .bind(c.email)
      .first<{ kind: string; text_body: string }>();
    expect(mail?.kind).toBe("intake.invitation");
    expect(mail?.text_body).toContain(`https://${c.subdomain}.fata.plus/invitation?token=`);
    expect((await auditRows(c.tenantId)).map((a) => a.action)).toEqual([
      "tenant.create",
      "invitation.create",
    ]);
    expect((await auditRows(s.tenants.agency.id, { entityId: c.leadId })).map((a) => a.action)).toEqual([
      "lead.create",
    ]);
  });

  it("links the lead and the project to a client and its contact, phone and job title kept, in both tenants", async () => {
    const c = await intake({ phone: "034 12 345 67", role: "Directrice artistique" });
    const lead = await db()
      .prepare(
        `SELECT o.tenant_id AS org_tenant, o.kind AS org_kind, k.kind, k.name, k.email, k.phone, k.job_title,
           k.organization_id = o.id AS same_org FROM leads l JOIN clients o ON o.tenant_id = l.tenant_id AND o.id = l.client_id
         JOIN clients k ON k.tenant_id = l.tenant_id AND k.id = l.contact_id WHERE l.id = ?`,
      )
      .bind(c.leadId)
      .first();
    expect(lead).toEqual({
      org_tenant: s.tenants.agency.id,
      org_kind: "organization",
      kind: "contact",
      name: "Rova Rakoto",
      email: c.email,
      phone: "+261 34 12 345 67",
      job_title: "Directrice artistique",
      same_org: 1,
    });
    const project = await db()
      .prepare(
        `SELECT k.kind, k.job_title, k.organization_id = p.client_id AS same_org FROM projects p
         JOIN clients k ON k.tenant_id = p.tenant_id AND k.id = p.contact_id WHERE p.tenant_id = ?`,
      )
      .bind(c.tenantId)
      .first();
    expect(project).toEqual({ kind: "contact", job_title: "Directrice artistique", same_org: 1 });
    const orgId = await db()
      .prepare("SELECT client_id FROM leads WHERE id = ?")
      .bind(c.leadId)
      .first<string>("client_id");
    const audits = await auditRows(s.tenants.agency.id, { entityId: orgId ?? "none" });
    expect(audits.map((a) => a.action)).toEqual(["clients.create"]);
  });

  it("answers a repeat with what it created, and refuses the same key with other answers (CONFLICT)", async () => {
    const input = form();
    const first = await submitIntake({ ctx: sys(), input, ip: nextIp(), siteOrigin: SITE });
    const again = await submitIntake({ ctx: sys(), input, ip: nextIp(), siteOrigin: SITE });
    expect(again).toMatchObject({
      status: "replayed",
      leadId: first.status === "created" ? first.leadId : "",
    });
    await refused(
      submitIntake({
        ctx: sys(),
        input: { ...input, goals: "Quelque chose de tout à fait différent." },
        ip: nextIp(),
        siteOrigin: SITE,
      }),
      "CONFLICT",
    );
  });

  it("ignores the honeypot, refuses bad answers (VALIDATION) and floods from one network (RATE_LIMITED)", async () => {
    const before = await countRows("intakes", s.tenants.agency.id);
    expect(
      await submitIntake({ ctx: sys(), input: form({ website: "spam" }), ip: nextIp(), siteOrigin: SITE }),
    ).toEqual({
      status: "ignored",
    });
    await refused(
      submitIntake({ ctx: sys(), input: form({ goals: "court" }), ip: nextIp(), siteOrigin: SITE }),
      "VALIDATION",
    );
    await refused(
      submitIntake({ ctx: sys(), input: { ...form(), budget: "a lot" }, ip: nextIp(), siteOrigin: SITE }),
      "VALIDATION",
    );
    expect(await countRows("intakes", s.tenants.agency.id)).toBe(before);
    const ip = "2001:db8:1d:5::1";
    for (let i = 0; i < INTAKE_THROTTLE.perIp; i++)
      await submitIntake({ ctx: sys(), input: form(), ip, siteOrigin: SITE });
    await refused(
      submitIntake({ ctx: sys(), input: form(), ip: "2001:db8:1d:5::2", siteOrigin: SITE }),
      "RATE_LIMITED",
    );
  });

  it("writes nothing at all when one of its audit rows fails", async () => {
    const input = form();
    const undo = await auditFails({ tenantId: s.tenants.agency.id, action: "lead.create" });
    await expect(submitIntake({ ctx: sys(), input, ip: nextIp(), siteOrigin: SITE })).rejects.toThrow(
      /audit row refused/,
    );
    await undo();
    expect(await db().prepare("SELECT 1 FROM users WHERE email = ?").bind(input.email).first()).toBeNull();
    expect(
      await db().prepare("SELECT 1 FROM tenants WHERE name = ?").bind(input.organisation).first(),
    ).toBeNull();
    expect(
      await db().prepare("SELECT 1 FROM email_outbox WHERE to_address = ?").bind(input.email).first(),
    ).toBeNull();
  });
});

describe("the lead in the CRM", () => {
  it("shows agency staff the lead, its answers, analysis, tenant, project manager and proposal", async () => {
    const c = await intake();
    const lead = await getIntakeLead({ ctx: s.crm(s.users.staff), input: { id: c.leadId } });
    expect(lead.lead.id).toBe(c.leadId);
    expect(lead.tenant).toMatchObject({ id: c.tenantId, subdomain: c.subdomain, stage: "intake" });
    expect(lead.intake.analyser).toBe("builtin");
    expect(lead.projectManager?.email).toEqual(expect.stringContaining("@example.test"));
    expect(lead.proposal?.status).toBe("draft");
    expect(lead.invitation).toMatchObject({ accepted: false });
  });

  it("is FORBIDDEN to clients, and NOT_FOUND to a manager of another tenant", async () => {
    const c = await intake();
    await refused(getIntakeLead({ ctx: s.crm(s.users.client), input: { id: c.leadId } }), "FORBIDDEN");
    await refused(getIntakeLead({ ctx: s.crm(s.users.otherPm), input: { id: c.leadId } }), "NOT_FOUND");
    await refused(
      updateProposal({ ctx: s.crm(s.users.otherPm), input: { id: c.leadId, body: {} } }),
      "NOT_FOUND",
    );
    await refused(
      decideLead({ ctx: s.crm(s.users.otherPm), input: { id: c.leadId, body: { decision: "accept" } } }),
      "NOT_FOUND",
    );
  });
});

describe("the proposal, from draft to the client's answer", () => {
  it("is edited (versioned), sent, and accepted by the client: project active, tenant live, lead won", async () => {
    const c = await intake();
    const staff = s.crm(s.users.staff);
    const draft = (await getIntakeLead({ ctx: staff, input: { id: c.leadId } })).proposal;
    if (!draft) throw new Error("no proposal");
    const client = await clientOf(c);
    await refused(getPortalProposal({ ctx: client }), "NOT_FOUND"); // a draft is the agency's
    const body = {
      version: draft.version,
      title: "Site vitrine",
      summary: null,
      items: draft.items,
      assumptions: [],
      valid_until: "2099-01-01",
    };
    const edited = await updateProposal({ ctx: staff, input: { id: c.leadId, body } });
    expect(edited).toMatchObject({ title: "Site vitrine", version: draft.version + 1, status: "draft" });
    await refused(updateProposal({ ctx: staff, input: { id: c.leadId, body } }), "CONFLICT"); // stale version
    await refused(
      updateProposal({ ctx: staff, input: { id: c.leadId, body: { ...body, items: [] } } }),
      "VALIDATION",
    );
    await refused(
      sendProposal({
        ctx: staff,
        input: { id: c.leadId, body: { version: draft.version } },
        siteOrigin: SITE,
      }),
      "CONFLICT",
    );
    const sent = await sendProposal({
      ctx: staff,
      input: { id: c.leadId, body: { version: draft.version + 1 } },
      siteOrigin: SITE,
    });
    expect(sent?.status).toBe("sent");
    expect((await db().prepare("SELECT stage FROM leads WHERE id = ?").bind(c.leadId).first())?.stage).toBe(
      "proposal",
    );
    expect((await auditRows(c.tenantId)).map((a) => a.action)).toEqual(
      expect.arrayContaining(["proposal.update", "proposal.send"]),
    );
    await refused(
      updateProposal({ ctx: staff, input: { id: c.leadId, body: { ...body, version: draft.version + 1 } } }),
      "CONFLICT",
    );

    const seen = await getPortalProposal({ ctx: client });
    expect(seen.proposal.status).toBe("sent");
    const pmCtx: Ctx = { ...client, role: "project_manager" };
    await refused(
      respondToProposal({ ctx: pmCtx, input: { decision: "accept", version: seen.proposal.version } }),
      "FORBIDDEN",
    );
    await refused(
      respondToProposal({ ctx: client, input: { decision: "changes", version: seen.proposal.version } }),
      "VALIDATION",
    );
    await refused(
      respondToProposal({ ctx: client, input: { decision: "accept", version: 99, ...signed } }),
      "CONFLICT",
    );
    const accepted = await respondToProposal({
      ctx: client,
      input: { decision: "accept", version: seen.proposal.version, ...signed },
    });
    expect(accepted.proposal.status).toBe("accepted");
    expect(
      await db().prepare("SELECT status FROM projects WHERE tenant_id = ?").bind(c.tenantId).first(),
    ).toEqual({ status: "active" });
    expect(await db().prepare("SELECT stage FROM tenants WHERE id = ?").bind(c.tenantId).first()).toEqual({
      stage: "live",
    });
    expect(await db().prepare("SELECT stage FROM leads WHERE id = ?").bind(c.leadId).first()).toEqual({
      stage: "won",
    });
    await refused(
      respondToProposal({
        ctx: client,
        input: { decision: "accept", version: seen.proposal.version, ...signed },
      }),
      "CONFLICT",
    );
    await refused(
      decideLead({ ctx: staff, input: { id: c.leadId, body: { decision: "reject" } } }),
      "CONFLICT",
    );
  });

  it("sends nothing (no mail, still a draft) when the send's audit row fails", async () => {
    const c = await intake();
    const staff = s.crm(s.users.staff);
    const draft = (await getIntakeLead({ ctx: staff, input: { id: c.leadId } })).proposal;
    const undo = await auditFails({ tenantId: c.tenantId, action: "proposal.send" });
    await expect(
      sendProposal({
        ctx: staff,
        input: { id: c.leadId, body: { version: draft?.version ?? 1 } },
        siteOrigin: SITE,
      }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect((await getIntakeLead({ ctx: staff, input: { id: c.leadId } })).proposal?.status).toBe("draft");
    expect(
      await db()
        .prepare("SELECT 1 FROM email_outbox WHERE to_address = ? AND kind = 'proposal.sent'")
        .bind(c.email)
        .first(),
    ).toBeNull();
  });
});

describe("decideLead", () => {
  it("rejects a lead once: lost, its tenant archived and its invitations expired", async () => {
    const c = await intake();
    const admin = s.crm(s.users.admin);
    const out = await decideLead({ ctx: admin, input: { id: c.leadId, body: { decision: "reject" } } });
    expect(out.lead.stage).toBe("lost");
    expect(out.tenant.status).toBe("archived");
    expect(out.invitation?.accepted).toBe(false);
    const inv = await db()
      .prepare("SELECT expires_at FROM invitations WHERE tenant_id = ?")
      .bind(c.tenantId)
      .first<{ expires_at: string }>();
    expect(new Date(inv?.expires_at ?? "").getTime()).toBeLessThanOrEqual(Date.now());
    await refused(
      decideLead({ ctx: admin, input: { id: c.leadId, body: { decision: "accept" } } }),
      "CONFLICT",
    );
    await refused(
      decideLead({ ctx: admin, input: { id: c.leadId, body: { decision: "maybe" } } }),
      "VALIDATION",
    );
  });

  it("decides nothing when its audit row fails", async () => {
    const c = await intake();
    const undo = await auditFails({ tenantId: s.tenants.agency.id, action: "lead.accept" });
    await expect(
      decideLead({ ctx: s.crm(s.users.staff), input: { id: c.leadId, body: { decision: "accept" } } }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    const lead = await getIntakeLead({ ctx: s.crm(s.users.staff), input: { id: c.leadId } });
    expect(lead.intake.decided_at).toBeNull();
    expect(lead.lead.stage).toBe("new");
    expect(lead.tenant.stage).toBe("intake");
  });
});
