/**
 * Records that connect (decision 033): a contact is a client of kind `contact` at an organisation; leads and
 * projects name one of their own tenant's contacts; phone numbers are checked and stored in international
 * format; a project cannot end before it starts, on the data API and in the database alike.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db, given, refused } from "../../testing/workerd.ts";
import { updateRecords } from "./bulk.ts";
import { createRecord, updateRecord } from "./write.ts";

type S = Awaited<ReturnType<typeof given<"a" | "b">>>;
let s: S;
beforeAll(async () => {
  s = await given({ tenants: ["a", "b"], seed: true });
});

const contactIn = async (tenant: "a" | "b", over: Record<string, unknown> = {}) =>
  createRecord({
    ctx: s.system(tenant),
    input: {
      entity: "clients",
      data: {
        kind: "contact",
        name: "Voahirana Rabe",
        organization_id: s.refs[tenant].clients,
        job_title: "Responsable marketing",
        phone: "+33 6 12 34 56 78",
        ...over,
      },
    },
  });

describe("contacts", () => {
  it("a contact keeps its job title and its phone in international format (Madagascar by default)", async () => {
    const fr = await contactIn("a");
    expect(fr).toMatchObject({ job_title: "Responsable marketing", phone: "+33 6 12 34 56 78" });
    const mg = await contactIn("a", { phone: "0341234567" });
    expect(mg.phone).toBe("+261 34 12 345 67");
  });

  it("refuses a phone number that is not one (VALIDATION on phone)", async () => {
    const e = await refused(contactIn("a", { phone: "12" }), "VALIDATION");
    expect(e.details?.[0]?.path).toBe("phone");
  });

  it("links a lead and a project to a contact of their tenant, never to an organisation or another tenant's", async () => {
    const contact = await contactIn("a");
    const lead = await createRecord({
      ctx: s.system("a"),
      input: {
        entity: "leads",
        data: { title: "Refonte", client_id: s.refs.a.clients, contact_id: contact.id },
      },
    });
    expect(lead.contact_id).toBe(contact.id);
    const project = await updateRecord({
      ctx: s.system("a"),
      input: { entity: "projects", id: s.refs.a.projects, data: { contact_id: contact.id } },
    });
    expect(project.contact_id).toBe(contact.id);
    // an organisation is not a contact
    await refused(
      updateRecord({
        ctx: s.system("a"),
        input: { entity: "leads", id: lead.id, data: { contact_id: s.refs.a.clients } },
      }),
      "UNPROCESSABLE",
    );
    // another tenant's contact does not exist here
    const theirs = await contactIn("b");
    await refused(
      updateRecord({
        ctx: s.system("a"),
        input: { entity: "leads", id: lead.id, data: { contact_id: theirs.id } },
      }),
      "UNPROCESSABLE",
    );
    // and the database refuses it too, whatever path writes
    await expect(
      db()
        .prepare("UPDATE leads SET contact_id = ? WHERE tenant_id = ? AND id = ?")
        .bind(theirs.id, s.tenants.a.id, lead.id)
        .run(),
    ).rejects.toThrow(/not a contact of this tenant/);
  });

  it("deleting a contact unlinks it from its leads and projects", async () => {
    const contact = await contactIn("a");
    const lead = await createRecord({
      ctx: s.system("a"),
      input: { entity: "leads", data: { title: "Unlink", contact_id: contact.id } },
    });
    await db()
      .prepare("DELETE FROM clients WHERE tenant_id = ? AND id = ?")
      .bind(s.tenants.a.id, contact.id)
      .run();
    const after = await db().prepare("SELECT contact_id FROM leads WHERE id = ?").bind(lead.id).first();
    expect(after).toEqual({ contact_id: null });
  });
});

describe("a project's dates are in order", () => {
  it("refuses a due date before the start date (VALIDATION on due_date) on create and update", async () => {
    const e = await refused(
      createRecord({
        ctx: s.system("a"),
        input: {
          entity: "projects",
          data: { name: "Backwards", start_date: "2027-03-10", due_date: "2027-03-01" },
        },
      }),
      "VALIDATION",
    );
    expect(e.details?.[0]?.path).toBe("due_date");
    await updateRecord({
      ctx: s.system("a"),
      input: {
        entity: "projects",
        id: s.refs.a.projects,
        data: { start_date: "2027-03-10", due_date: null },
      },
    });
    await refused(
      updateRecord({
        ctx: s.system("a"),
        input: { entity: "projects", id: s.refs.a.projects, data: { due_date: "2027-03-09" } },
      }),
      "VALIDATION",
    );
    await refused(
      updateRecords({
        ctx: s.system("a"),
        input: { entity: "projects", where: { id: s.refs.a.projects }, data: { due_date: "2027-01-01" } },
      }),
      "VALIDATION",
    );
    const ok = await updateRecord({
      ctx: s.system("a"),
      input: { entity: "projects", id: s.refs.a.projects, data: { due_date: "2027-03-10" } },
    });
    expect(ok.due_date).toBe("2027-03-10");
  });
});

describe("a lost lead says why", () => {
  it("refuses lost without a reason (VALIDATION on lost_reason) on create, update and bulk update", async () => {
    const create = (data: Record<string, unknown>) =>
      createRecord({ ctx: s.system("a"), input: { entity: "leads", data: { title: "Perdu", ...data } } });
    const e = await refused(create({ stage: "lost" }), "VALIDATION");
    expect(e.details?.[0]?.path).toBe("lost_reason");
    await refused(create({ stage: "lost", lost_reason: "  " }), "VALIDATION");
    const lead = await create({ stage: "proposal" });
    const move = (data: Record<string, unknown>) =>
      updateRecord({ ctx: s.system("a"), input: { entity: "leads", id: lead.id, data } });
    await refused(move({ stage: "lost" }), "VALIDATION");
    await refused(
      updateRecords({
        ctx: s.system("a"),
        input: { entity: "leads", where: { id: lead.id }, data: { stage: "lost" } },
      }),
      "VALIDATION",
    );
    const lost = await move({ stage: "lost", lost_reason: "Budget trop serré" });
    expect(lost).toMatchObject({ stage: "lost", lost_reason: "Budget trop serré" });
    // already has its reason: other edits of a lost lead go through
    expect((await move({ stage: "lost", title: "Perdu (relancer en 2027)" })).stage).toBe("lost");
    await refused(move({ stage: "lost", lost_reason: null }), "VALIDATION");
  });
});
