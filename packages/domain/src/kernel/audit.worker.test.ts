import { describe, expect, it } from "vitest";
import { auditFails, auditRows, countRows, db, given } from "../../testing/workerd.ts";
import { auditInserts, auditRowOf, auditStatement, writeWithAudit } from "./audit.ts";
import { newId } from "./ids.ts";

const insertClient = (tenantId: string, id: string) =>
  db()
    .prepare(
      "INSERT INTO clients (id, tenant_id, kind, name, created_at, updated_at) VALUES (?, ?, 'contact', 'x', ?, ?)",
    )
    .bind(id, tenantId, new Date().toISOString(), new Date().toISOString());

describe("writeWithAudit", () => {
  it("commits the change and its audit row (who, what, data) together", async () => {
    const s = await given({ tenants: ["a"], roles: ["project_manager"] });
    const ctx = s.ctx("a", s.members.a.project_manager);
    const id = newId();
    await writeWithAudit(ctx, [insertClient(s.tenants.a.id, id)], {
      action: "create",
      entity: "clients",
      entityId: id,
      data: { name: "x" },
    });
    expect(await countRows("clients", s.tenants.a.id)).toBe(1);
    expect(await auditRows(s.tenants.a.id, { entityId: id })).toEqual([
      {
        actor_type: "user",
        actor_id: String(s.members.a.project_manager.id),
        action: "create",
        entity: "clients",
        entity_id: id,
        data: '{"name":"x"}',
      },
    ]);
  });

  it("commits neither when the audit row fails, nor when the change does", async () => {
    const s = await given({ tenants: ["a"] });
    const ctx = s.system("a");
    const undo = await auditFails({ tenantId: s.tenants.a.id });
    await expect(
      writeWithAudit(ctx, [insertClient(s.tenants.a.id, newId())], {
        action: "create",
        entity: "clients",
        entityId: null,
      }),
    ).rejects.toThrow(/audit row refused/);
    await undo();
    expect(await countRows("clients", s.tenants.a.id)).toBe(0);
    const dup = newId();
    await writeWithAudit(ctx, [insertClient(s.tenants.a.id, dup)], {
      action: "create",
      entity: "clients",
      entityId: dup,
    });
    await expect(
      writeWithAudit(ctx, [insertClient(s.tenants.a.id, dup)], {
        action: "again",
        entity: "clients",
        entityId: dup,
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect((await auditRows(s.tenants.a.id, { entityId: dup })).map((a) => a.action)).toEqual(["create"]);
  });

  it("records the system with no actor id, and a token by its id", async () => {
    const s = await given({ tenants: ["a"], roles: ["admin"] });
    const token = {
      type: "token" as const,
      tokenId: newId(),
      userId: s.members.a.admin.id,
      agencyRole: "member" as const,
      write: true,
    };
    await db().batch([
      auditStatement(s.system("a"), "sys", "x", null),
      auditStatement({ ...s.system("a"), actor: token }, "tok", "x", null),
    ]);
    const rows = await auditRows(s.tenants.a.id);
    expect(rows.filter((r) => r.entity === "x").map((r) => [r.action, r.actor_type, r.actor_id])).toEqual([
      ["sys", "system", null],
      ["tok", "token", token.tokenId],
    ]);
  });

  it("writes many rows of several tenants in as few statements as D1's parameter cap allows, all in order", async () => {
    const s = await given({ tenants: ["a", "b"] });
    const rows = Array.from({ length: 25 }, (_, i) =>
      auditRowOf(s.system(i % 2 ? "b" : "a"), `many.${i}`, "x", String(i), { i }),
    );
    const statements = auditInserts(db(), rows);
    expect(statements).toHaveLength(3); // 11 + 11 + 3 rows: 99 bound values at most
    await db().batch(statements);
    // the tenants' own `tenant.create` rows (the factory provisions them through createTenant) are not ours
    const inA = (await auditRows(s.tenants.a.id)).filter((r) => r.entity === "x");
    const inB = (await auditRows(s.tenants.b.id)).filter((r) => r.entity === "x");
    expect(inA.map((r) => r.action)).toEqual(rows.filter((_, i) => i % 2 === 0).map((r) => r.action));
    expect(inB.map((r) => r.action)).toEqual(rows.filter((_, i) => i % 2 === 1).map((r) => r.action));
    expect(inB[0]).toEqual({
      actor_type: "system",
      actor_id: null,
      action: "many.1",
      entity: "x",
      entity_id: "1",
      data: '{"i":1}',
    });
    expect(auditInserts(db(), [])).toEqual([]);
  });
});
