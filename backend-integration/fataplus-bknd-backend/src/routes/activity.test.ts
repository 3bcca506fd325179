/**
 * Timelines of clients and leads (decision 030) on the real worker: a lead's creation by the intake, its stage
 * change, its proposal sent and the e-mails the platform sent it, its notes, newest first and a page at a
 * time; refused to clients; the names come with the rows.
 */
import { submitIntake, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, scenario, type TestUser, unique } from "../../test/factories.ts";

type Row = {
  action: string;
  entity: string;
  actor_name: string | null;
  object_name: string | null;
  data: string | null;
  created_at: string;
};
type Page = { rows: Row[]; next: string | null };

let agency: TenantRef;
let staff: TestUser;
let client: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["agency"],
    agency: ["agency"],
    names: { agency: "Timeline Agency" },
    roles: ["client"],
    users: { staff: { agency: "staff" } },
  });
  agency = s.tenants.agency;
  staff = s.users.staff;
  client = s.members.agency.client;
});

const timeline = (token: string, path: string) =>
  call("GET", `/api/app/project/timeline/${path}`, { token, tenant: agency.subdomain });

describe("a lead's timeline", () => {
  it("shows the intake, the stage change, the proposal sent and its e-mails, and the notes, newest first", async () => {
    const email = `${unique("tl")}@example.test`;
    const intake = await submitIntake({
      ctx: { db: db(), now: () => new Date() },
      input: {
        locale: "fr",
        idempotency_key: unique("timeline-intake-"),
        name: "Hery Rakoto",
        email,
        organisation: `Vanille ${unique("")}`,
        project_type: "website",
        goals: "Un site pour vendre la vanille de la coopérative en ligne.",
        budget: "5k_15k",
        timeline: "flexible",
      },
      ip: "198.51.100.7",
      siteOrigin: "https://fata.plus",
    });
    if (intake.status !== "created") throw new Error("intake not created");
    const leadId = intake.leadId;
    const detail = await json<{ proposal: { version: number } }>(
      await call("GET", `/api/app/crm/leads/${leadId}/intake`, { token: staff.token }),
    );
    const sent = await call("POST", `/api/app/crm/leads/${leadId}/proposal/send`, {
      token: staff.token,
      body: { version: detail.proposal.version },
    });
    expect(sent.status).toBe(200);
    const moved = await call("PATCH", `/api/data/entity/leads/${leadId}`, {
      token: staff.token,
      tenant: agency.subdomain,
      body: { stage: "won" },
    });
    expect(moved.status).toBe(200);
    const note = await call("POST", "/api/data/entity/notes", {
      token: staff.token,
      tenant: agency.subdomain,
      body: { lead_id: leadId, body: "Appel : la coopérative signe la semaine prochaine." },
    });
    expect(note.status).toBe(201);

    const res = await timeline(staff.token, `leads/${leadId}`);
    expect(res.status).toBe(200);
    const page = await json<Page>(res);
    const actions = page.rows.map((r) => r.action);
    expect(actions.slice(0, 2)).toEqual(["note.add", "leads.update"]);
    // sending the proposal moved the lead to "proposal": that change is in its history too
    const stages = page.rows
      .filter((r) => r.action === "leads.update")
      .map((r) => (JSON.parse(r.data ?? "{}") as { stage?: string }).stage);
    expect(stages).toEqual(["won", "proposal"]);
    expect(actions).toEqual(expect.arrayContaining(["proposal.send", "email.sent", "lead.create"]));
    expect(actions[actions.length - 1]).toBe("lead.create");
    const times = page.rows.map((r) => r.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(page.rows[0]).toMatchObject({
      actor_name: staff.email,
      object_name: expect.stringMatching(/^Appel/),
    });
    expect(JSON.parse(page.rows[1]?.data ?? "{}")).toMatchObject({ stage: "won" });
    const mails = page.rows.filter((r) => r.action === "email.sent").map((r) => r.object_name);
    expect(mails.some((s) => /proposition/i.test(s ?? ""))).toBe(true);
    expect(page.next).toBeNull();
    // never a call's arguments or a row's other fields, never the recipient's address
    expect(JSON.stringify(page)).not.toContain(email);

    // clients of the workspace see no lead's history
    expect((await timeline(client.token, `leads/${leadId}`)).status).toBe(403);
    expect((await timeline(staff.token, `leads/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await timeline(staff.token, `tasks/${leadId}`)).status).toBe(400);
  });

  it("pages: 20 lines at a time, the next page from where the last ended", async () => {
    const created = await call("POST", "/api/data/entity/clients", {
      token: staff.token,
      tenant: agency.subdomain,
      body: { name: "Client aux notes" },
    });
    const id = (await json<{ data: { id: string } }>(created)).data.id;
    for (let i = 0; i < 24; i++) {
      const r = await call("POST", "/api/data/entity/notes", {
        token: staff.token,
        tenant: agency.subdomain,
        body: { client_id: id, body: `Note ${String(i).padStart(2, "0")}` },
      });
      expect(r.status).toBe(201);
    }
    const first = await json<Page>(await timeline(staff.token, `clients/${id}`));
    expect(first.rows).toHaveLength(20);
    expect(first.rows[0]?.object_name).toBe("Note 23");
    expect(first.next).toBe(first.rows[19]?.created_at);
    const second = await json<Page>(
      await timeline(staff.token, `clients/${id}?before=${encodeURIComponent(first.next ?? "")}`),
    );
    // the four oldest notes and the client's creation
    expect(second.rows.map((r) => r.object_name)).toEqual([
      "Note 03",
      "Note 02",
      "Note 01",
      "Note 00",
      "Client aux notes",
    ]);
    expect(second.next).toBeNull();
  });
});
