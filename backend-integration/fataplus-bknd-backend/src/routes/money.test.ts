/**
 * Money on the real worker and a real local D1 (decision 028): a proposal accepted with an optional line and a
 * typed name becomes the lead's value, the project's budget, a signed acceptance and a deposit draft; invoices
 * are drafted, issued with gapless numbers (also under concurrent issuing), paid by hand, cancelled by a credit
 * note; clients see what was issued to them, partners nothing; the agency's list, totals and CSV.
 */
import { remindDueInvoices, tenantRoles } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, loginToken, scenario, type TestUser, unique } from "../../test/factories.ts";

const intakeBody = () => ({
  locale: "fr",
  idempotency_key: unique("idem-key-money-00"),
  name: "Hery Rakoto",
  email: `${unique("hery")}@example.test`,
  phone: "+261 34 00 000 00",
  organisation: `Coopérative Argent ${unique("")}`,
  role: "Directeur",
  project_type: "website",
  goals: "Un site pour vendre notre vanille en ligne, en français et en anglais, avec paiement.",
  features: "Catalogue\nPaiement",
  assets: "Logo",
  links: "https://vanille.example.mg",
  budget: "lt_5k",
  timeline: "3_6_months",
});

let ipN = 0;
async function acceptedSetup(staff: TestUser, opts: { validUntil?: string } = {}) {
  const body = intakeBody();
  const res = await call("POST", "/api/intake", {
    body,
    headers: { "cf-connecting-ip": `198.51.100.${++ipN}` },
  });
  expect(res.status).toBe(201);
  const { subdomain } = await json<{ subdomain: string }>(res);
  const row = await db()
    .prepare(
      "SELECT i.lead_id, i.tenant_id, t.id AS tid FROM intakes i JOIN tenants t ON t.id = i.project_tenant_id WHERE t.subdomain = ?",
    )
    .bind(subdomain)
    .first<{ lead_id: string; tenant_id: string; tid: string }>();
  const mail = await db()
    .prepare("SELECT text_body FROM email_outbox WHERE to_address = ? AND kind = 'intake.invitation'")
    .bind(body.email)
    .first<{ text_body: string }>();
  const token = decodeURIComponent(
    /invitation\?token=([A-Za-z0-9_%-]+)/.exec(mail?.text_body ?? "")?.[1] ?? "",
  );
  expect(
    (
      await call("POST", "/api/auth/invitations/accept", {
        body: { token, password: "A-long-enough-password-1" },
      })
    ).status,
  ).toBe(201);
  const client = await loginToken(body.email, "A-long-enough-password-1");
  const leadId = String(row?.lead_id);
  const d = await json<{ proposal: { version: number } }>(
    await call("GET", `/api/app/crm/leads/${leadId}/intake`, { token: staff.token }),
  );
  const items = [
    { phase: "build", deliverable: "Site vitrine", effort_days: 8, price_cents: 400_000, source: "goals" },
    {
      phase: "build",
      deliverable: "Boutique en ligne",
      effort_days: 2,
      price_cents: 100_000,
      source: "features",
      optional: true,
    },
    {
      phase: "support",
      deliverable: "Maintenance 12 mois",
      effort_days: 4,
      price_cents: 160_000,
      source: "goals",
      optional: true,
    },
  ];
  const saved = await call("PUT", `/api/app/crm/leads/${leadId}/proposal`, {
    token: staff.token,
    body: {
      title: "Site et boutique",
      items,
      assumptions: [],
      valid_until: opts.validUntil ?? "2099-12-31",
      deposit_percent: 40,
      version: d.proposal.version,
    },
  });
  expect(saved.status).toBe(200);
  const p = (await json<{ proposal: { version: number; total_cents: number } }>(saved)).proposal;
  expect(p.total_cents).toBe(400_000); // optional lines are not in the total until chosen
  expect(
    (
      await call("POST", `/api/app/crm/leads/${leadId}/proposal/send`, {
        token: staff.token,
        body: { version: p.version },
      })
    ).status,
  ).toBe(200);
  return {
    subdomain,
    tid: String(row?.tid),
    leadId,
    agencyId: String(row?.tenant_id),
    client,
    version: p.version,
  };
}

let staff: TestUser;
let admin: TestUser;
let s: Awaited<ReturnType<typeof setup>>;
const setup = () =>
  scenario({
    tenants: ["A", "B", "agency"],
    agency: ["agency"],
    seed: true,
    roles: tenantRoles,
    users: { staff: { agency: "staff" }, admin: { agency: "admin" } },
  });

beforeAll(async () => {
  s = await setup();
  ({ staff, admin } = s.users);
});

describe("a proposal accepted becomes money", () => {
  it("optional line + typed name: total, budget, lead value, signature and a deposit draft, in one answer", async () => {
    const a = await acceptedSetup(staff);
    const respond = (body: unknown) =>
      call("POST", "/api/app/portal/proposal/respond", {
        token: a.client,
        tenant: a.subdomain,
        body,
        headers: { "cf-connecting-ip": "203.0.113.77", "user-agent": "TestBrowser/1.0" },
      });
    // no name, no terms: refused, with the fields named
    const bare = await respond({ decision: "accept", version: a.version });
    expect(bare.status).toBe(400);
    const err = await json<{ error: { details: Array<{ path: string }> } }>(bare);
    expect(err.error.details.map((x) => x.path).sort()).toEqual(["signer_name", "terms"]);
    // a mandatory line can't be "chosen"
    expect(
      (
        await respond({
          decision: "accept",
          version: a.version,
          signer_name: "Hery Rakoto",
          terms: true,
          options: [0],
        })
      ).status,
    ).toBe(400);
    const ok = await respond({
      decision: "accept",
      version: a.version,
      signer_name: "Hery Rakoto",
      terms: true,
      options: [1],
    });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ proposal: { status: "accepted", accepted_total_cents: 500_000 } });

    const project = await db()
      .prepare("SELECT budget_cents, status FROM projects WHERE tenant_id = ?")
      .bind(a.tid)
      .first<{ budget_cents: number; status: string }>();
    expect(project).toEqual({ budget_cents: 500_000, status: "active" });
    const lead = await db()
      .prepare("SELECT stage, value_cents FROM leads WHERE tenant_id = ? AND id = ?")
      .bind(a.agencyId, a.leadId)
      .first();
    expect(lead).toEqual({ stage: "won", value_cents: 500_000 });

    const acc = await db()
      .prepare("SELECT * FROM proposal_acceptances WHERE tenant_id = ?")
      .bind(a.tid)
      .first<Record<string, unknown>>();
    expect(acc).toMatchObject({
      signer_name: "Hery Rakoto",
      source_ip: "203.0.113.77",
      user_agent: "TestBrowser/1.0",
      total_cents: 500_000,
      options: "[1]",
      terms_accepted: 1,
    });
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(String(acc?.content)));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(acc?.content_hash).toBe(hex);

    // the deposit: 40 % of the accepted total, a draft the client doesn't see yet
    const dep = await db()
      .prepare("SELECT * FROM invoices WHERE tenant_id = ? AND purpose = 'deposit'")
      .bind(a.tid)
      .first<Record<string, unknown>>();
    expect(dep).toMatchObject({ status: "draft", number: null, subtotal_minor: 200_000, currency: "EUR" });
    expect(dep?.total_minor).toBe(240_000); // the agency's default VAT, 20 %
    const seen = await json<{ rows: unknown[] }>(
      await call("GET", "/api/app/portal/invoices", { token: a.client, tenant: a.subdomain }),
    );
    expect(seen.rows).toHaveLength(0);

    // the acceptance record, for the client and for the agency
    for (const token of [a.client, staff.token]) {
      const rec = await call("GET", "/api/app/portal/proposal/acceptance", { token, tenant: a.subdomain });
      expect(rec.status).toBe(200);
      expect(await json(rec)).toMatchObject({
        acceptance: { content_hash: hex, signer_name: "Hery Rakoto" },
      });
      const pdf = await call("GET", "/api/app/portal/proposal/acceptance.pdf?lang=en", {
        token,
        tenant: a.subdomain,
      });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    }

    // staff issue the deposit; the client sees it and downloads it
    const issued = await call("POST", `/api/app/portal/invoices/${dep?.id}/issue`, {
      token: staff.token,
      tenant: a.subdomain,
      body: { version: 1 },
    });
    expect(issued.status).toBe(200);
    const inv = (await json<{ invoice: { number: string; status: string } }>(issued)).invoice;
    expect(inv.number).toMatch(/^FA-\d{4}-\d{4,}$/);
    const list = await json<{ rows: Array<{ number: string }> }>(
      await call("GET", "/api/app/portal/invoices", { token: a.client, tenant: a.subdomain }),
    );
    expect(list.rows.map((r) => r.number)).toEqual([inv.number]);
    const pdf = await call("GET", `/api/app/portal/invoices/${dep?.id}/pdf`, {
      token: a.client,
      tenant: a.subdomain,
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-disposition")).toContain(`${inv.number}.pdf`);
  });

  it("after its valid-until date a proposal can't be accepted, with a clear reason", async () => {
    const a = await acceptedSetup(staff, { validUntil: "2020-01-31" });
    const res = await call("POST", "/api/app/portal/proposal/respond", {
      token: a.client,
      tenant: a.subdomain,
      body: { decision: "accept", version: a.version, signer_name: "Hery Rakoto", terms: true },
    });
    expect(res.status).toBe(409);
    const e = await json<{ error: { message: string; details: Array<{ path: string }> } }>(res);
    expect(e.error.message).toContain("2020-01-31");
    expect(e.error.details[0]?.path).toBe("valid_until");
    expect(
      await db()
        .prepare("SELECT count(*) AS n FROM proposal_acceptances WHERE tenant_id = ?")
        .bind(a.tid)
        .first("n"),
    ).toBe(0);
    expect(
      await db().prepare("SELECT count(*) AS n FROM invoices WHERE tenant_id = ?").bind(a.tid).first("n"),
    ).toBe(0);
  });
});

const draft = (over: Record<string, unknown> = {}) => ({
  currency: "EUR",
  locale: "fr",
  due_days: 15,
  payment_terms: "Virement à 15 jours",
  buyer: { name: "Client SARL", nif: "1234567890", stat: "12345 11 2020 0 00001", siret: "12345678901234" },
  lines: [
    { description: "Développement", quantity_milli: 2500, unit_price_minor: 40_000, vat_bp: 2000 },
    { description: "Hébergement", quantity_milli: 1000, unit_price_minor: 10_000, vat_bp: 0 },
  ],
  vat_mention: "export",
  ...over,
});

describe("invoices of a project", () => {
  it("draft → issue (numbered) → paid in two parts → cancelled by a credit note; never edited once issued", async () => {
    const t = s.tenants.A.subdomain;
    const pm = s.members.A.project_manager.token;
    const client = s.members.A.client.token;
    // a line at 0 % needs its legal mention
    expect(
      (
        await call("POST", "/api/app/portal/invoices", {
          token: pm,
          tenant: t,
          body: draft({ vat_mention: null }),
        })
      ).status,
    ).toBe(400);
    // floats are refused
    expect(
      (
        await call("POST", "/api/app/portal/invoices", {
          token: pm,
          tenant: t,
          body: draft({
            lines: [{ description: "x", quantity_milli: 1000, unit_price_minor: 10.5, vat_bp: 2000 }],
          }),
        })
      ).status,
    ).toBe(400);
    // the client drafts nothing
    expect(
      (await call("POST", "/api/app/portal/invoices", { token: client, tenant: t, body: draft() })).status,
    ).toBe(403);
    const created = await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft() });
    expect(created.status).toBe(201);
    const inv = (
      await json<{ invoice: { id: string; total_minor: number; tax_minor: number; version: number } }>(
        created,
      )
    ).invoice;
    expect(inv).toMatchObject({ tax_minor: 20_000, total_minor: 130_000 });
    expect(
      (await call("GET", `/api/app/portal/invoices/${inv.id}`, { token: client, tenant: t })).status,
    ).toBe(404);
    const edited = await call("PUT", `/api/app/portal/invoices/${inv.id}`, {
      token: pm,
      tenant: t,
      body: { ...draft({ notes: "Merci" }), version: inv.version },
    });
    expect(edited.status).toBe(200);
    const issued = await call("POST", `/api/app/portal/invoices/${inv.id}/issue`, {
      token: pm,
      tenant: t,
      body: { version: inv.version + 1 },
    });
    expect(issued.status).toBe(200);
    const out = (
      await json<{ invoice: { number: string; status: string; seller: { name: string }; version: number } }>(
        issued,
      )
    ).invoice;
    expect(out).toMatchObject({ status: "issued", seller: { name: "Fataplus" } });
    // issued: never edited, never deleted, never issued twice
    expect(
      (
        await call("PUT", `/api/app/portal/invoices/${inv.id}`, {
          token: pm,
          tenant: t,
          body: { ...draft(), version: out.version },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call("DELETE", `/api/app/portal/invoices/${inv.id}`, {
          token: pm,
          tenant: t,
          body: { version: out.version },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call("POST", `/api/app/portal/invoices/${inv.id}/issue`, {
          token: pm,
          tenant: t,
          body: { version: out.version },
        })
      ).status,
    ).toBe(409);
    // payments: more than the balance is refused; two parts make it paid
    const pay = (amount: number, reference?: string) =>
      call("POST", `/api/app/portal/invoices/${inv.id}/payments`, {
        token: pm,
        tenant: t,
        body: { amount_minor: amount, received_on: "2026-12-01", ...(reference ? { reference } : {}) },
      });
    expect((await pay(130_001)).status).toBe(400);
    expect((await pay(30_000, "VIR-1")).status).toBe(201);
    expect((await pay(30_000, "VIR-1")).status).toBe(409); // the same reference twice records one payment
    const part = await json<{ invoice: { status: string; paid_minor: number } }>(
      await call("GET", `/api/app/portal/invoices/${inv.id}`, { token: client, tenant: t }),
    );
    expect(part.invoice).toMatchObject({ status: "partly_paid", paid_minor: 30_000 });
    expect((await pay(100_000, "VIR-2")).status).toBe(201);
    const paid = await json<{ invoice: { status: string; version: number }; payments: unknown[] }>(
      await call("GET", `/api/app/portal/invoices/${inv.id}`, { token: pm, tenant: t }),
    );
    expect(paid.invoice.status).toBe("paid");
    expect(paid.payments).toHaveLength(2);
    // cancelled by a credit note, with its own series
    expect(
      (
        await call("POST", `/api/app/portal/invoices/${inv.id}/cancel`, {
          token: pm,
          tenant: t,
          body: { version: paid.invoice.version },
        })
      ).status,
    ).toBe(400); // a reason is required
    const cancelled = await call("POST", `/api/app/portal/invoices/${inv.id}/cancel`, {
      token: pm,
      tenant: t,
      body: { version: paid.invoice.version, reason: "Erreur de client" },
    });
    expect(cancelled.status).toBe(200);
    const c = await json<{ invoice: { status: string }; credit_note: string }>(cancelled);
    expect(c.invoice.status).toBe("cancelled");
    expect(c.credit_note).toMatch(/^AV-\d{4}-\d{4,}$/);
    const audit = await db()
      .prepare(
        "SELECT action FROM audit_log WHERE tenant_id = ? AND entity = 'invoices' AND entity_id = ? ORDER BY created_at",
      )
      .bind(s.tenants.A.id, inv.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "invoice.create",
      "invoice.update",
      "invoice.issue",
      "invoice.payment",
      "invoice.payment",
      "invoice.cancel",
    ]);
    // the client downloads both
    const rows = await json<{ rows: Array<{ kind: string; number: string; id: string }> }>(
      await call("GET", "/api/app/portal/invoices", { token: client, tenant: t }),
    );
    expect(rows.rows.map((r) => r.kind).sort()).toEqual(["credit_note", "invoice"]);
    for (const r of rows.rows) {
      const pdf = await call("GET", `/api/app/portal/invoices/${r.id}/pdf?lang=en`, {
        token: client,
        tenant: t,
      });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
    }
  });

  it("partners never see money; another tenant's invoice is not found", async () => {
    const t = s.tenants.A.subdomain;
    const pm = s.members.A.project_manager.token;
    const created = await json<{ invoice: { id: string } }>(
      await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft() }),
    );
    const partner = s.members.A.partner.token;
    for (const [m, p] of [
      ["GET", "/api/app/portal/invoices"],
      ["GET", `/api/app/portal/invoices/${created.invoice.id}`],
      ["GET", `/api/app/portal/invoices/${created.invoice.id}/pdf`],
      ["GET", "/api/app/portal/proposal/acceptance"],
    ] as const)
      expect((await call(m, p, { token: partner, tenant: t })).status).toBe(403);
    // B's project manager, on B, asking for A's invoice
    const other = await call("GET", `/api/app/portal/invoices/${created.invoice.id}`, {
      token: s.members.B.project_manager.token,
      tenant: s.tenants.B.subdomain,
    });
    expect(other.status).toBe(404);
    // B's people can't open A at all
    expect(
      (await call("GET", "/api/app/portal/invoices", { token: s.members.B.admin.token, tenant: t })).status,
    ).toBe(403);
  });
});

describe("numbering", () => {
  it("stays gapless and unique when many invoices are issued at once", async () => {
    const t = s.tenants.B.subdomain;
    const pm = s.members.B.project_manager.token;
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const r = await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft() });
      ids.push((await json<{ invoice: { id: string } }>(r)).invoice.id);
    }
    const before = Number(
      (await db()
        .prepare("SELECT coalesce(max(last_number), 0) AS n FROM invoice_sequences WHERE series = 'FA'")
        .first("n")) ?? 0,
    );
    // each issued concurrently, some twice (a double click): one number per invoice, whatever the order
    const results = await Promise.all(
      [...ids, ...ids.slice(0, 6)].map((id) =>
        call("POST", `/api/app/portal/invoices/${id}/issue`, { token: pm, tenant: t, body: { version: 1 } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(24);
    expect(statuses.filter((x) => x === 409)).toHaveLength(6);
    const { results: rows } = await db()
      .prepare(`SELECT number FROM invoices WHERE tenant_id = ? AND id IN (${ids.map(() => "?").join(",")})`)
      .bind(s.tenants.B.id, ...ids)
      .all<{ number: string }>();
    const numbers = rows.map((r) => Number(r.number.split("-")[2])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(24);
    expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => before + 1 + i));
    expect(
      await db()
        .prepare("SELECT max(last_number) AS n FROM invoice_sequences WHERE series = 'FA'")
        .first("n"),
    ).toBe(before + 24);
  });
});

describe("the agency's invoices (CRM)", () => {
  it("staff list a period with totals by status and revenue by month; CSV; clients and partners are refused", async () => {
    const res = await call("GET", "/api/app/crm/invoices", { token: staff.token });
    expect(res.status).toBe(200);
    const body = await json<{
      rows: Array<{ number: string | null; tenant_name: string }>;
      totals: Array<{ status: string; kind: string; n: number }>;
      months: Array<{ month: string; invoiced_minor: number }>;
    }>(res);
    expect(body.rows.length).toBeGreaterThan(0);
    const issuedInvoices = body.totals
      .filter((x) => x.status === "issued" && x.kind === "invoice")
      .reduce((n, x) => n + x.n, 0);
    expect(issuedInvoices).toBeGreaterThanOrEqual(24);
    expect(body.months.length).toBeGreaterThan(0);
    const filtered = await json<{ rows: Array<{ status: string }> }>(
      await call("GET", "/api/app/crm/invoices?status=cancelled", { token: staff.token }),
    );
    expect(filtered.rows.every((r) => r.status === "cancelled")).toBe(true);
    expect(filtered.rows.length).toBeGreaterThan(0);
    expect((await call("GET", "/api/app/crm/invoices?from=2026-13-01", { token: staff.token })).status).toBe(
      400,
    );
    const csv = await call("GET", "/api/app/crm/invoices.csv", { token: admin.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe(
      "number,kind,issue_date,due_date,status,project,client,client_vat_number,currency,net,vat,total,paid",
    );
    expect(text).toMatch(/AV-\d{4}-\d{4},credit_note,/);
    for (const token of [
      s.members.A.client.token,
      s.members.A.partner.token,
      s.members.A.project_manager.token,
    ]) {
      expect((await call("GET", "/api/app/crm/invoices", { token })).status).toBe(403);
      expect((await call("GET", "/api/app/crm/invoices.csv", { token })).status).toBe(403);
    }
  });

  it("admins set the agency's legal identity; it is printed on invoices issued afterwards", async () => {
    const body = {
      legal_name: "Fataplus SARL",
      address: "Lot II A 12, Antananarivo",
      country: "MG",
      nif: "4000123456",
      stat: "62011 11 2020 0 01234",
      default_vat_bp: 2000,
      default_due_days: 30,
    };
    expect((await call("PUT", "/api/app/crm/billing", { token: staff.token, body })).status).toBe(403);
    expect(
      (
        await call("PUT", "/api/app/crm/billing", {
          token: admin.token,
          body: { ...body, default_vat_bp: 1900 },
        })
      ).status,
    ).toBe(400);
    const ok = await call("PUT", "/api/app/crm/billing", { token: admin.token, body });
    expect(ok.status).toBe(200);
    const t = s.tenants.A.subdomain;
    const pm = s.members.A.project_manager.token;
    const d = await json<{ invoice: { id: string } }>(
      await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft() }),
    );
    const issued = await json<{ invoice: { seller: { name: string; nif: string } } }>(
      await call("POST", `/api/app/portal/invoices/${d.invoice.id}/issue`, {
        token: pm,
        tenant: t,
        body: { version: 1 },
      }),
    );
    expect(issued.invoice.seller).toMatchObject({ name: "Fataplus SARL", nif: "4000123456" });
    // put back the default for the other suites' expectations
    await call("PUT", "/api/app/crm/billing", {
      token: admin.token,
      body: { ...body, legal_name: "Fataplus" },
    });
  });
});

describe("payment reminders", () => {
  it("one before the due date, one after it, none once paid; sent once whatever the number of passes", async () => {
    const t = s.tenants.A.subdomain;
    const pm = s.members.A.project_manager.token;
    const d = await json<{ invoice: { id: string } }>(
      await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft({ due_days: 2 }) }),
    );
    const issued = await json<{ invoice: { due_date: string; number: string } }>(
      await call("POST", `/api/app/portal/invoices/${d.invoice.id}/issue`, {
        token: pm,
        tenant: t,
        body: { version: 1 },
      }),
    );
    const paidOne = await json<{ invoice: { id: string } }>(
      await call("POST", "/api/app/portal/invoices", { token: pm, tenant: t, body: draft({ due_days: 1 }) }),
    );
    await call("POST", `/api/app/portal/invoices/${paidOne.invoice.id}/issue`, {
      token: pm,
      tenant: t,
      body: { version: 1 },
    });
    await call("POST", `/api/app/portal/invoices/${paidOne.invoice.id}/payments`, {
      token: pm,
      tenant: t,
      body: { amount_minor: 130_000, received_on: "2026-12-01" },
    });
    const mails = async () =>
      (
        await db()
          .prepare(
            "SELECT kind, to_address, text_body FROM email_outbox WHERE about_tenant_id = ? AND kind LIKE 'invoice.%' AND text_body LIKE ?",
          )
          .bind(s.tenants.A.id, `%${issued.invoice.number}%`)
          .all<{ kind: string; to_address: string; text_body: string }>()
      ).results;
    const run = (day: string) =>
      remindDueInvoices({
        db: db(),
        now: new Date(`${day}T08:00:00Z`),
        portalOrigin: (sub) => `https://${sub}.fata.plus`,
      });
    const due = issued.invoice.due_date;
    const dayBefore = new Date(Date.parse(`${due}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.parse(`${due}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await run(dayBefore);
    await run(dayBefore);
    expect((await mails()).map((m) => m.kind)).toEqual(["invoice.reminder_before_due"]);
    expect((await mails())[0]?.to_address).toBe(s.members.A.client.email);
    expect((await mails())[0]?.text_body).toContain(`https://${t}.fata.plus/factures`);
    await Promise.all([run(dayAfter), run(dayAfter)]);
    expect((await mails()).map((m) => m.kind).sort()).toEqual([
      "invoice.reminder_after_due",
      "invoice.reminder_before_due",
    ]);
    const paidMails = await db()
      .prepare("SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action LIKE 'invoice.reminder%'")
      .bind(paidOne.invoice.id)
      .first("n");
    expect(paidMails).toBe(0);
  });
});
