/**
 * The intake chain on the real worker and a real local D1: the public form → provisioning in one batch (and
 * nothing at all when any statement of it fails) → staff read the lead with its analysis, edit and send the
 * proposal → the client claims the invitation and accepts; idempotency, honeypot, rate limit, caps, the AI
 * fallback recorded on the lead, accepting and rejecting the lead.
 */
import {
  type AiBinding,
  createTenant,
  submitIntake,
  type TenantRef,
  workersAiAnalyser,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  json,
  loginToken,
  makeUser,
  scenario,
  type TestUser,
  unique,
} from "../../test/factories.ts";
import { makeAccessToken, mcpClient } from "../../test/mcp-factories.ts";

let agency: TenantRef;
let staff1: TestUser;
let staff2: TestUser;
let admin: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["agency"],
    agency: ["agency"],
    names: { agency: "Fataplus Agency" },
    users: { staff1: { agency: "staff" }, staff2: { agency: "staff" }, admin: { agency: "admin" } },
  });
  agency = s.tenants.agency;
  ({ staff1, staff2, admin } = s.users);
});

let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

export const frenchIntake = (over: Record<string, unknown> = {}) => ({
  locale: "fr",
  idempotency_key: unique("idem-key-0000000"),
  name: "Hery Rakoto",
  email: `${unique("hery")}@example.test`,
  phone: "+261 34 00 000 00",
  organisation: `Coopérative Vanille ${unique("")}`,
  role: "Directeur",
  project_type: "agritech_platform",
  goals:
    "Suivre la collecte de vanille auprès de 300 producteurs. Payer les producteurs par mobile money. Réduire les pertes.",
  features:
    "Application hors ligne pour les collecteurs\nPaiement MVola\nTableau de bord des volumes\nCarte des parcelles",
  assets: "Logo et charte graphique",
  links: "https://vanille.example.mg",
  budget: "15k_40k",
  timeline: "3_6_months",
  ...over,
});

const post = (body: unknown, ip = freshIp()) =>
  call("POST", "/api/intake", { body, headers: { "cf-connecting-ip": ip } });

const count = async (sql: string, ...binds: unknown[]) =>
  (
    await db()
      .prepare(`SELECT count(*) AS n FROM (${sql})`)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? -1;

async function intakeRow(subdomain: string) {
  return db()
    .prepare(
      `SELECT i.*, t.id AS tid, t.stage, t.status FROM intakes i JOIN tenants t ON t.id = i.project_tenant_id
       WHERE t.subdomain = ?`,
    )
    .bind(subdomain)
    .first<Record<string, string | number | null>>();
}

async function outboxFor(to: string) {
  const { results } = await db()
    .prepare("SELECT * FROM email_outbox WHERE to_address = ? ORDER BY created_at")
    .bind(to)
    .all<Record<string, string>>();
  return results;
}

const tokenFromMail = (text: string) => {
  const m = /invitation\?token=([A-Za-z0-9_%-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no invitation link in: ${text}`);
  return decodeURIComponent(m[1]);
};

describe("POST /api/intake provisions everything in one step", () => {
  it("creates the lead, the tenant in intake, phases, draft proposal, PM, client membership and invitation", async () => {
    const body = frenchIntake({ organisation: `Société Événements & Fils ${unique("")}` });
    const res = await post(body);
    expect(res.status).toBe(201);
    const out = await json<{ ok: boolean; subdomain: string; replayed: boolean }>(res);
    expect(out.replayed).toBe(false);
    expect(out.subdomain).toMatch(/^societe-evenements-et-fils-[a-z0-9]+$/);

    const row = await intakeRow(out.subdomain);
    expect(row).toMatchObject({
      stage: "intake",
      status: "active",
      tenant_id: agency.id,
      analyser: "builtin",
    });
    expect(row?.tid).toMatch(/^FP-\d{4}-[A-HJ-NP-Z2-9]{9}$/);
    const tid = String(row?.tid);
    const lead = await db()
      .prepare("SELECT * FROM leads WHERE tenant_id = ? AND id = ?")
      .bind(agency.id, row?.lead_id)
      .first<Record<string, unknown>>();
    expect(lead).toMatchObject({
      stage: "new",
      source: "intake",
      email: body.email,
      contact_name: body.name,
    });

    const analysis = JSON.parse(String(row?.analysis));
    expect(await count("SELECT 1 FROM project_phases WHERE tenant_id = ?", tid)).toBe(analysis.phases.length);
    const proposal = await db()
      .prepare("SELECT * FROM proposals WHERE tenant_id = ?")
      .bind(tid)
      .first<{ status: string; items: string; total_cents: number }>();
    const items = JSON.parse(String(proposal?.items)) as Array<{ price_cents: number; source: string }>;
    expect(proposal?.status).toBe("draft");
    expect(proposal?.total_cents).toBe(items.reduce((s, i) => s + i.price_cents, 0));
    expect(items.every((i) => typeof i.source === "string")).toBe(true);

    const user = await db()
      .prepare("SELECT id, status, strategy_value FROM users WHERE email = ?")
      .bind(body.email)
      .first<{ id: number; status: string; strategy_value: string | null }>();
    expect(user).toMatchObject({ status: "invited", strategy_value: null });
    expect(
      await count(
        "SELECT 1 FROM memberships WHERE tenant_id = ? AND user_id = ? AND role = 'client'",
        tid,
        user?.id,
      ),
    ).toBe(1);
    expect(
      await count("SELECT 1 FROM memberships WHERE tenant_id = ? AND role = 'project_manager'", tid),
    ).toBe(1);
    expect(await count("SELECT 1 FROM invitations WHERE tenant_id = ? AND accepted_at IS NULL", tid)).toBe(1);
    const mails = await outboxFor(body.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.kind).toBe("intake.invitation");
    expect(mails[0]?.text_body).toContain(`${out.subdomain}.`);
    expect(mails[0]?.text_body).toContain("choisir votre mot de passe");
  });

  it("assigns project managers round-robin among staff", async () => {
    const pms: number[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await json<{ subdomain: string }>(await post(frenchIntake()));
      pms.push(Number((await intakeRow(out.subdomain))?.pm_user_id));
    }
    const staff = new Set([staff1.id, staff2.id]);
    expect(pms.every((p) => staff.has(p))).toBe(true);
    expect(pms[0]).not.toBe(pms[1]);
    expect(pms[2]).toBe(pms[0]);
    expect(pms[3]).toBe(pms[1]);
  });

  it("the same idempotency key creates nothing twice; other answers under it are refused", async () => {
    const body = frenchIntake();
    const first = await json<{ subdomain: string }>(await post(body));
    const before = await count("SELECT 1 FROM tenants");
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ replayed: true, subdomain: first.subdomain });
    expect(await count("SELECT 1 FROM tenants")).toBe(before);
    expect(await outboxFor(body.email)).toHaveLength(1);
    const changed = await post({ ...body, goals: "Something else entirely, please." });
    expect(changed.status).toBe(409);
    expect(await count("SELECT 1 FROM tenants")).toBe(before);
  });

  it("a filled honeypot is answered like a success and creates nothing", async () => {
    const before = await count("SELECT 1 FROM tenants");
    const body = frenchIntake({ website: "http://spam.example" });
    const res = await post(body);
    expect(res.status).toBe(202);
    expect(await count("SELECT 1 FROM tenants")).toBe(before);
    expect(await count("SELECT 1 FROM users WHERE email = ?", body.email)).toBe(0);
  });

  it("bad input: clear 400s with the field named, 413 for a huge body, nothing created", async () => {
    const before = await count("SELECT 1 FROM tenants");
    const missing = await post({ locale: "fr", idempotency_key: unique("k-0000000000000000") });
    expect(missing.status).toBe(400);
    const paths = (await json<{ error: { details: Array<{ path: string }> } }>(missing)).error.details.map(
      (d) => d.path,
    );
    expect(paths).toEqual(expect.arrayContaining(["name", "email", "organisation", "project_type", "goals"]));
    const long = await post(frenchIntake({ goals: "x".repeat(2001) }));
    expect(long.status).toBe(400);
    expect(await json(long)).toMatchObject({ error: { details: [{ path: "goals" }] } });
    expect((await post(frenchIntake({ links: "javascript:alert(1)" }))).status).toBe(400);
    expect((await post(frenchIntake({ extra: "field" }))).status).toBe(400);
    expect((await post(frenchIntake({ idempotency_key: "short" }))).status).toBe(400);
    const huge = await call("POST", "/api/intake", {
      rawBody: JSON.stringify(frenchIntake({ features: "y".repeat(40_000) })),
      headers: { "content-type": "application/json", "cf-connecting-ip": freshIp() },
    });
    expect(huge.status).toBe(413);
    const notJson = await call("POST", "/api/intake", {
      rawBody: "{nope",
      headers: { "content-type": "application/json", "cf-connecting-ip": freshIp() },
    });
    expect(notJson.status).toBe(400);
    expect(await count("SELECT 1 FROM tenants")).toBe(before);
  });

  it("rate-limits per client address", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < 5; i++) expect((await post(frenchIntake(), ip)).status).toBe(201);
    const limited = await post(frenchIntake(), ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // a replay of an accepted form is not a new submission; another address is not limited
    expect((await post(frenchIntake(), "198.51.100.78")).status).toBe(201);
  });
});

describe("atomicity", () => {
  it("a failure in the middle of the batch leaves nothing half-made", async () => {
    const body = frenchIntake();
    const tables = [
      "tenants",
      "leads",
      "intakes",
      "projects",
      "proposals",
      "invitations",
      "email_outbox",
      "users",
    ];
    const before = await Promise.all(tables.map((t) => count(`SELECT 1 FROM ${t}`)));
    let injectedAt = -1;
    await expect(
      submitIntake({
        ctx: { db: db(), now: () => new Date() },
        input: body,
        ip: freshIp(),
        siteOrigin: "https://fata.plus",
        adjustBatch: (statements) => {
          injectedAt = Math.floor(statements.length / 2);
          const failing = db().prepare(
            "INSERT INTO tenants (id, name, subdomain) VALUES ('not-an-id', 'x', 'x')",
          );
          return [...statements.slice(0, injectedAt), failing, ...statements.slice(injectedAt)];
        },
      }),
    ).rejects.toThrow(/CHECK/);
    expect(injectedAt).toBeGreaterThan(5);
    const after = await Promise.all(tables.map((t) => count(`SELECT 1 FROM ${t}`)));
    expect(after).toEqual(before);
    expect(await count("SELECT 1 FROM users WHERE email = ?", body.email)).toBe(0);
    // and the same form then goes through whole
    expect((await post(body)).status).toBe(201);
  });
});

describe("the analyser's fallback is recorded on the lead", () => {
  const stub = (answer: () => Promise<unknown>): AiBinding => ({ run: () => answer() });
  const run = (ai: AiBinding, timeoutMs = 2000) =>
    submitIntake({
      ctx: { db: db(), now: () => new Date() },
      input: frenchIntake(),
      ip: freshIp(),
      siteOrigin: "https://fata.plus",
      analyser: workersAiAnalyser({ ai, model: "@cf/test/model", timeoutMs }),
    });

  it("malformed output → built-in analysis, with the analyser and the reason", async () => {
    const out = await run(stub(async () => ({ response: { summary: "only this" } })));
    if (out.status !== "created") throw new Error("expected created");
    const row = await intakeRow(out.subdomain);
    expect(row?.analyser).toBe("builtin");
    expect(String(row?.analyser_note)).toMatch(/workers-ai:@cf\/test\/model failed \(malformed/);
  });

  it("a timeout → built-in analysis, reason recorded", async () => {
    const out = await run(
      stub(() => new Promise(() => {})),
      50,
    );
    if (out.status !== "created") throw new Error("expected created");
    expect(String((await intakeRow(out.subdomain))?.analyser_note)).toMatch(/timeout/);
  });

  it("a good answer is used and named", async () => {
    const analysis = {
      summary: "Plateforme de collecte.",
      project_type: "website",
      requirements: [{ text: "Paiement mobile", source: "features" }],
      risks: [],
      open_questions: [],
      complexity: "medium",
      effort_days: { min: 30, max: 45 },
      budget_cents: { min: 1_500_000, max: 2_250_000 },
      phases: [{ phase: "build", name: "Build", deliverable: "App", effort_days: 30, source: "features" }],
    };
    const out = await run(stub(async () => ({ response: JSON.stringify(analysis) })));
    if (out.status !== "created") throw new Error("expected created");
    const row = await intakeRow(out.subdomain);
    expect(row?.analyser).toBe("workers-ai:@cf/test/model");
    expect(row?.analyser_note).toBeNull();
    // the visitor's project type wins over the model's
    expect(JSON.parse(String(row?.analysis)).project_type).toBe("agritech_platform");
  });
});

describe("lead → proposal → client", () => {
  it("staff read, edit and send; the client claims the link, sees it and accepts: the project is active", async () => {
    const body = frenchIntake();
    const { subdomain } = await json<{ subdomain: string }>(await post(body));
    const row = await intakeRow(subdomain);
    const leadId = String(row?.lead_id);
    const tid = String(row?.tid);

    const detail = await call("GET", `/api/app/crm/leads/${leadId}/intake`, { token: staff1.token });
    expect(detail.status).toBe(200);
    const d = await json<{
      intake: { analysis: { requirements: unknown[] }; analyser: string };
      proposal: { version: number; items: Array<Record<string, unknown>>; status: string };
      tenant: { subdomain: string; stage: string };
    }>(detail);
    expect(d.intake.analyser).toBe("builtin");
    expect(d.intake.analysis.requirements.length).toBeGreaterThan(0);
    expect(d.tenant).toMatchObject({ subdomain, stage: "intake" });

    // the client cannot see a draft (claim the account first)
    const mail = (await outboxFor(body.email))[0];
    const token = tokenFromMail(String(mail?.text_body));
    const claimed = await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: "A-long-enough-password-1" },
    });
    expect(claimed.status).toBe(201);
    const clientToken = await loginToken(body.email, "A-long-enough-password-1");
    expect(
      (await call("GET", "/api/app/portal/proposal", { token: clientToken, tenant: subdomain })).status,
    ).toBe(404);

    const items = [
      ...d.proposal.items,
      {
        phase: "support",
        deliverable: "Maintenance 3 mois",
        effort_days: 3,
        price_cents: 150_000,
        source: "goals",
      },
    ];
    const edited = await call("PUT", `/api/app/crm/leads/${leadId}/proposal`, {
      token: staff1.token,
      body: {
        title: "Proposition révisée",
        summary: "Résumé",
        items,
        assumptions: ["Hypothèse"],
        valid_until: "2099-12-31",
        version: d.proposal.version,
        total_cents: 1, // not an input: refused
      },
    });
    expect(edited.status).toBe(400);
    const ok = await call("PUT", `/api/app/crm/leads/${leadId}/proposal`, {
      token: staff1.token,
      body: {
        title: "Proposition révisée",
        summary: "Résumé",
        items,
        assumptions: ["Hypothèse"],
        valid_until: "2099-12-31",
        version: d.proposal.version,
      },
    });
    expect(ok.status).toBe(200);
    const p = (await json<{ proposal: { version: number; total_cents: number } }>(ok)).proposal;
    expect(p.total_cents).toBe(items.reduce((s, i) => s + Number(i.price_cents), 0));
    // a stale version is refused
    const stale = await call("POST", `/api/app/crm/leads/${leadId}/proposal/send`, {
      token: staff1.token,
      body: { version: d.proposal.version },
    });
    expect(stale.status).toBe(409);
    const sent = await call("POST", `/api/app/crm/leads/${leadId}/proposal/send`, {
      token: staff1.token,
      body: { version: p.version },
    });
    expect(sent.status).toBe(200);
    expect(await count("SELECT 1 FROM leads WHERE id = ? AND stage = 'proposal'", leadId)).toBe(1);
    expect((await outboxFor(body.email)).map((m) => m.kind)).toEqual(["intake.invitation", "proposal.sent"]);

    const seen = await call("GET", "/api/app/portal/proposal", { token: clientToken, tenant: subdomain });
    expect(seen.status).toBe(200);
    expect(await json(seen)).toMatchObject({ proposal: { status: "sent", title: "Proposition révisée" } });
    // staff cannot answer for the client
    expect(
      (
        await call("POST", "/api/app/portal/proposal/respond", {
          token: staff1.token,
          tenant: subdomain,
          body: { decision: "accept", version: p.version },
        })
      ).status,
    ).toBe(403);
    const accepted = await call("POST", "/api/app/portal/proposal/respond", {
      token: clientToken,
      tenant: subdomain,
      body: { decision: "accept", version: p.version, signer_name: "Hery Rakoto", terms: true },
    });
    expect(accepted.status).toBe(200);
    expect(await count("SELECT 1 FROM projects WHERE tenant_id = ? AND status = 'active'", tid)).toBe(1);
    expect(await count("SELECT 1 FROM tenants WHERE id = ? AND stage = 'live'", tid)).toBe(1);
    expect(await count("SELECT 1 FROM leads WHERE id = ? AND stage = 'won'", leadId)).toBe(1);
    // answered once
    const twice = await call("POST", "/api/app/portal/proposal/respond", {
      token: clientToken,
      tenant: subdomain,
      body: { decision: "changes", version: p.version, note: "Encore" },
    });
    expect(twice.status).toBe(409);
  });

  it("the client can ask for changes; staff edit and send again", async () => {
    const body = frenchIntake({
      locale: "en",
      goals: "We need a new website for our bakery with online ordering.",
    });
    const { subdomain } = await json<{ subdomain: string }>(await post(body));
    const leadId = String((await intakeRow(subdomain))?.lead_id);
    const token = tokenFromMail(String((await outboxFor(body.email))[0]?.text_body));
    expect((await outboxFor(body.email))[0]?.text_body).toContain("choose your password");
    await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: "A-long-enough-password-1" },
    });
    const clientToken = await loginToken(body.email, "A-long-enough-password-1");
    let d = await json<{ proposal: { version: number; items: unknown[]; title: string } }>(
      await call("GET", `/api/app/crm/leads/${leadId}/intake`, { token: admin.token }),
    );
    await call("POST", `/api/app/crm/leads/${leadId}/proposal/send`, {
      token: admin.token,
      body: { version: d.proposal.version },
    });
    const noNote = await call("POST", "/api/app/portal/proposal/respond", {
      token: clientToken,
      tenant: subdomain,
      body: { decision: "changes", version: d.proposal.version },
    });
    expect(noNote.status).toBe(400);
    const changes = await call("POST", "/api/app/portal/proposal/respond", {
      token: clientToken,
      tenant: subdomain,
      body: { decision: "changes", version: d.proposal.version, note: "Less design, more build." },
    });
    expect(changes.status).toBe(200);
    d = await json(await call("GET", `/api/app/crm/leads/${leadId}/intake`, { token: admin.token }));
    expect(d.proposal).toMatchObject({
      status: "changes_requested",
      client_note: "Less design, more build.",
    });
    const edit = await call("PUT", `/api/app/crm/leads/${leadId}/proposal`, {
      token: admin.token,
      body: {
        title: d.proposal.title,
        items: d.proposal.items,
        assumptions: [],
        valid_until: "2099-01-01",
        version: d.proposal.version,
      },
    });
    expect(edit.status).toBe(200);
    expect(await json(edit)).toMatchObject({ proposal: { status: "draft" } });
  });
});

describe("accepting and rejecting a lead", () => {
  it("reject archives the tenant: the subdomain stops resolving; decided once", async () => {
    const { subdomain } = await json<{ subdomain: string }>(await post(frenchIntake()));
    const leadId = String((await intakeRow(subdomain))?.lead_id);
    expect((await call("GET", `/api/public/tenant?tenant=${subdomain}`)).status).toBe(200);
    const res = await call("POST", `/api/app/crm/leads/${leadId}/decision`, {
      token: staff2.token,
      body: { decision: "reject" },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ lead: { stage: "lost" }, tenant: { status: "archived" } });
    expect((await call("GET", `/api/public/tenant?tenant=${subdomain}`)).status).toBe(404);
    const again = await call("POST", `/api/app/crm/leads/${leadId}/decision`, {
      token: staff2.token,
      body: { decision: "accept" },
    });
    expect(again.status).toBe(409);
  });

  it("accept: the lead is won and the tenant leaves the intake stage", async () => {
    const { subdomain } = await json<{ subdomain: string }>(await post(frenchIntake()));
    const leadId = String((await intakeRow(subdomain))?.lead_id);
    const res = await call("POST", `/api/app/crm/leads/${leadId}/decision`, {
      token: staff1.token,
      body: { decision: "accept" },
    });
    expect(await json(res)).toMatchObject({
      lead: { stage: "won" },
      tenant: { stage: "live", status: "active" },
    });
    expect(
      (
        await call("POST", `/api/app/crm/leads/${leadId}/decision`, {
          token: staff1.token,
          body: { decision: "maybe" },
        })
      ).status,
    ).toBe(400);
  });

  it("anonymous, clients and other projects' managers never reach a lead", async () => {
    const { subdomain } = await json<{ subdomain: string }>(await post(frenchIntake()));
    const leadId = String((await intakeRow(subdomain))?.lead_id);
    const other = await createTenant({
      ctx: { db: db(), now: () => new Date() },
      input: { name: "Other", subdomain: unique("o-") },
    });
    const pm = await makeUser({ memberships: [[other, "project_manager"]] });
    expect((await call("GET", `/api/app/crm/leads/${leadId}/intake`)).status).toBe(401);
    expect((await call("GET", `/api/app/crm/leads/${leadId}/intake`, { token: pm.token })).status).toBe(404);
    expect(
      (
        await call("POST", `/api/app/crm/leads/${leadId}/decision`, {
          token: pm.token,
          body: { decision: "reject" },
        })
      ).status,
    ).toBe(404);
  });
});

describe("an address that already has an account", () => {
  it("gets no membership from an anonymous form, only an invitation its owner accepts signed in", async () => {
    const owner = await makeUser({});
    const { subdomain } = await json<{ subdomain: string }>(await post(frenchIntake({ email: owner.email })));
    const tid = String((await intakeRow(subdomain))?.tid);
    expect(await count("SELECT 1 FROM memberships WHERE tenant_id = ? AND user_id = ?", tid, owner.id)).toBe(
      0,
    );
    const mail = (await outboxFor(owner.email))[0];
    expect(mail?.text_body).toContain("Vous avez déjà un compte");
    const token = tokenFromMail(String(mail?.text_body));
    // the token alone (someone who read the mail, or the submitter guessing) cannot join the account
    const alone = await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: "Attacker-password-123" },
    });
    expect(alone.status).toBe(409);
    const signedIn = await call("POST", "/api/auth/invitations/accept", {
      token: owner.token,
      body: { token },
    });
    expect(signedIn.status).toBe(201);
    expect(await count("SELECT 1 FROM memberships WHERE tenant_id = ? AND user_id = ?", tid, owner.id)).toBe(
      1,
    );
  });
});

describe("MCP get_lead returns the analysis", () => {
  it("for staff in the agency workspace: analysis with its analyser, user text wrapped; not from another tenant", async () => {
    const { subdomain } = await json<{ subdomain: string }>(await post(frenchIntake()));
    const leadId = String((await intakeRow(subdomain))?.lead_id);
    const { token } = await makeAccessToken(staff1, { tenants: [agency] });
    const agent = await mcpClient(token, { tenant: agency.subdomain });
    const res = await agent.callTool({ name: "get_lead", arguments: { id: leadId } });
    const out = res.structuredContent as {
      analysis: {
        analyser: string;
        complexity: string;
        summary: string;
        requirements: Array<{ source: string; text: string }>;
      };
      analysis_note: string;
    };
    expect(out.analysis.analyser).toBe("builtin");
    expect(out.analysis.complexity).toBe("high");
    expect(out.analysis.summary).toMatch(/^<untrusted-user-content>.*<\/untrusted-user-content>$/s);
    expect(out.analysis.requirements[0]?.source).toBe("goals");
    expect(out.analysis_note).toBe("Analysed by builtin.");

    // the same id asked in another tenant the caller can open finds nothing
    const other = await createTenant({
      ctx: { db: db(), now: () => new Date() },
      input: { name: "Other MCP", subdomain: unique("om-") },
    });
    const pm = await makeUser({ memberships: [[other, "project_manager"]] });
    const pmAgent = await mcpClient((await makeAccessToken(pm, { tenants: [other] })).token, {
      tenant: other.subdomain,
    });
    const miss = await pmAgent.callTool({ name: "get_lead", arguments: { id: leadId } });
    expect(miss.isError).toBe(true);
    expect(JSON.stringify(miss)).not.toContain("analysis");
  });
});
