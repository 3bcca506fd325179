/**
 * Every statement of the intake chain (submission, the lead page, editing, sending, the portal's proposal, the
 * client's answer, the staff decision, MCP's analysis lookup) is recorded and explained: none may SCAN a
 * tenant table, with other tenants' intakes in the database.
 */
import {
  decideLead,
  getIntakeLead,
  getPortalProposal,
  type Identity,
  leadAnalysis,
  respondToProposal,
  sendProposal,
  submitIntake,
  type TenantRef,
  tenantOwnedTables,
  updateProposal,
} from "@fataplus/domain";
import { beforeAll, expect, it } from "vitest";
import { db, scenario, unique } from "../../test/factories.ts";
import { type Recorded, recordingD1, scansOf, touchesTenantTable } from "../../test/recording-d1.ts";

const TABLES = [...tenantOwnedTables];
let agency: TenantRef;
let staff: Identity;

const form = (_ip: string) => ({
  locale: "en" as const,
  idempotency_key: unique("plans-intake-key-"),
  name: "Plan Person",
  email: `${unique("plan")}@example.test`,
  organisation: unique("Plans Org "),
  project_type: "website" as const,
  goals: "A website with online payments and a dashboard.",
  features: "Payments\nDashboard",
  budget: "5k_15k" as const,
  timeline: "flexible" as const,
});

beforeAll(async () => {
  const s = await scenario(
    {
      tenants: ["agency"],
      agency: ["agency"],
      names: { agency: "Plans agency" },
      users: { staff: { agency: "staff", locale: "en" } },
    },
    { login: false },
  );
  agency = s.tenants.agency;
  staff = s.users.staff.identity;
  for (let i = 0; i < 4; i++) {
    await submitIntake({
      ctx: { db: db(), now: () => new Date() },
      input: form(`192.0.2.${i}`),
      ip: `192.0.2.${i}`,
      siteOrigin: "https://fata.plus",
    });
  }
});

it("the intake chain never SCANs a tenant table", async () => {
  const log: Recorded[] = [];
  const rec = recordingD1(db(), log);
  const now = () => new Date();
  const out = await submitIntake({
    ctx: { db: rec, now },
    input: form("x"),
    ip: "198.51.100.9",
    siteOrigin: "https://fata.plus",
  });
  if (out.status !== "created") throw new Error("not created");
  const crm = { db: rec, identity: staff, now };
  const detail = await getIntakeLead({ ctx: crm, input: { id: out.leadId } });
  const p = detail.proposal;
  if (!p) throw new Error("no proposal");
  const edited = await updateProposal({
    ctx: crm,
    input: {
      id: out.leadId,
      body: {
        title: p.title,
        items: p.items,
        assumptions: p.assumptions,
        valid_until: "2099-01-01",
        version: p.version,
      },
    },
  });
  await sendProposal({
    ctx: crm,
    input: { id: out.leadId, body: { version: edited?.version } },
    siteOrigin: "https://fata.plus",
  });
  const tenant = { id: out.tenantId, subdomain: out.subdomain, name: "x", kind: "project" as const };
  const clientCtx = {
    db: rec,
    tenant,
    role: "client" as const,
    actor: { type: "system" as const, reason: "plans" },
    now,
  };
  await getPortalProposal({ ctx: clientCtx });
  await respondToProposal({
    ctx: clientCtx,
    input: { decision: "changes", version: edited?.version ?? 0, note: "More" },
  });
  await decideLead({ ctx: crm, input: { id: out.leadId, body: { decision: "accept" } } });
  await leadAnalysis({ ...clientCtx, tenant: agency, role: "admin" }, out.leadId);

  const relevant = log.filter((r) => touchesTenantTable(r.sql, TABLES));
  expect(relevant.length).toBeGreaterThan(20);
  for (const r of relevant) expect(await scansOf(db(), r, TABLES), r.sql).toEqual([]);
  // Stricter than scansOf, which reads table names and misses aliases: no SCAN at all, except the two global
  // reads by design: the CRM scope's list of active tenants, and the staff for the round-robin (users, "u").
  for (const r of relevant) {
    const { results } = await db()
      .prepare(`EXPLAIN QUERY PLAN ${r.sql}`)
      .bind(...r.params)
      .all<{ detail: string }>();
    const scans = results
      .map((x) => x.detail)
      // not scans of a tenant table: SCAN CONSTANT ROW (an INSERT … SELECT without a table, a row written only
      // `WHERE changes() = 1`), SCAN a (the notification engine's recipients, a derived table of the project's
      // members or the agency's staff: notifications/write.ts notifyAgency)
      .filter((d) => /^SCAN /.test(d) && !/^SCAN (tenants|u|CONSTANT ROW)$/.test(d))
      .filter((d) => !(d === "SCAN a" && /^\s*INSERT OR IGNORE INTO notifications/.test(r.sql)));
    expect(scans, r.sql).toEqual([]);
  }
});
