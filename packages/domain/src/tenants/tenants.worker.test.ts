import { describe, expect, it } from "vitest";
import { unique } from "../../testing/scenario.ts";
import { auditFails, auditRows, db, given, refused } from "../../testing/workerd.ts";
import { createTenant, findTenant } from "./index.ts";

const sys = () => ({ db: db(), now: () => new Date() });

describe("createTenant", () => {
  it("creates an active tenant with its audit row, and returns its reference", async () => {
    const subdomain = unique("acme-");
    const t = await createTenant({
      ctx: sys(),
      input: { name: "  Acme  ", subdomain: subdomain.toUpperCase() },
    });
    expect(t).toEqual({ id: expect.stringMatching(/^FP-\d{4}-/), name: "Acme", subdomain, kind: "project" });
    expect(await findTenant({ db: db(), ref: subdomain })).toEqual(t);
    expect(await findTenant({ db: db(), ref: t.id })).toEqual(t);
    expect(await auditRows(t.id)).toEqual([
      {
        actor_type: "system",
        actor_id: null,
        action: "tenant.create",
        entity: "tenants",
        entity_id: t.id,
        data: JSON.stringify({ name: "Acme", subdomain, kind: "project" }),
      },
    ]);
  });

  it("refuses a taken subdomain (CONFLICT), a reserved or malformed one and an empty name (VALIDATION)", async () => {
    const s = await given({ tenants: ["a"] });
    await refused(
      createTenant({ ctx: sys(), input: { name: "Again", subdomain: s.tenants.a.subdomain } }),
      "CONFLICT",
    );
    for (const subdomain of ["www", "bootcamp", "-x", "a", "UPPER_CASE", "x".repeat(64)])
      await refused(createTenant({ ctx: sys(), input: { name: "N", subdomain } }), "VALIDATION");
    await refused(createTenant({ ctx: sys(), input: { name: " ", subdomain: unique("n-") } }), "VALIDATION");
  });

  it("writes no tenant when its audit row fails", async () => {
    const undo = await auditFails({ action: "tenant.create" });
    const subdomain = unique("fail-");
    await expect(createTenant({ ctx: sys(), input: { name: "Half", subdomain } })).rejects.toThrow(
      /audit row refused/,
    );
    await undo();
    expect(await findTenant({ db: db(), ref: subdomain })).toBeNull();
  });
});

describe("findTenant", () => {
  it("finds neither an archived tenant, nor an empty or oversized reference", async () => {
    const s = await given({ tenants: ["a"] });
    await db().prepare("UPDATE tenants SET status = 'archived' WHERE id = ?").bind(s.tenants.a.id).run();
    expect(await findTenant({ db: db(), ref: s.tenants.a.subdomain })).toBeNull();
    expect(await findTenant({ db: db(), ref: " " })).toBeNull();
    expect(await findTenant({ db: db(), ref: "x".repeat(65) })).toBeNull();
  });
});
