/**
 * Security review (issue 14), finding 8: an agency admin working without a tenant (bknd's admin UI) writes
 * through the same verbs as everybody, in the row's own tenant: every write leaves its audit row there, and
 * what a verb refuses (moving a row to another tenant) is a readable 4xx, never a 500.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, db, json, scenario, snapshotTenant, type TestUser } from "../../../test/factories.ts";

let admin: TestUser;
let A = { id: "", subdomain: "" };
let B = { id: "", subdomain: "" };
let refsA = { tasks: "", projects: "" };

beforeAll(async () => {
  const s = await scenario({ tenants: ["A", "B"], seed: true, users: { admin: { agency: "admin" } } });
  admin = s.users.admin;
  A = s.tenants.A;
  B = s.tenants.B;
  refsA = s.refs.A;
});

const auditOf = async (tenantId: string, entityId: string) =>
  (
    await db()
      .prepare(
        "SELECT actor_type, actor_id, action, entity_id FROM audit_log WHERE tenant_id = ? AND entity_id = ?",
      )
      .bind(tenantId, entityId)
      .all<{ actor_type: string; actor_id: string; action: string; entity_id: string }>()
  ).results;

const asAdmin = (method: string, path: string, body?: unknown) =>
  call(method, path, { token: admin.token, ...(body === undefined ? {} : { body }) });

describe("an agency admin's unscoped data API writes", () => {
  it("an update, a create and a delete each leave their audit row in the row's tenant", async () => {
    const upd = await asAdmin("PATCH", `/api/data/entity/tasks/${refsA.tasks}`, {
      title: "Renamed by admin",
    });
    expect(upd.status).toBe(200);
    expect((await json<{ data: { title: string } }>(upd)).data.title).toBe("Renamed by admin");
    expect(await auditOf(A.id, refsA.tasks)).toContainEqual({
      actor_type: "user",
      actor_id: String(admin.id),
      action: "tasks.update",
      entity_id: refsA.tasks,
    });

    const created = await asAdmin("POST", "/api/data/entity/clients", {
      tenant_id: A.id,
      name: "By the admin",
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const note = (await json<{ data: { id: string; tenant_id: string } }>(created)).data;
    expect(note.tenant_id).toBe(A.id);
    expect((await auditOf(A.id, note.id)).map((r) => r.action)).toContain("clients.create");

    const del = await asAdmin("DELETE", `/api/data/entity/clients/${note.id}`);
    expect(del.status).toBe(200);
    expect((await auditOf(A.id, note.id)).map((r) => r.action)).toContain("clients.delete");
    // a create that names no tenant (or two) is told to name one
    const unnamed = await asAdmin("POST", "/api/data/entity/clients", { name: "Nowhere" });
    expect(unnamed.status).toBe(400);
  });

  it("moving a row to another tenant is a readable 400, not a 500, and changes nothing", async () => {
    const before = [await snapshotTenant(A.id), await snapshotTenant(B.id)];
    for (const path of [
      `/api/data/entity/tasks/${refsA.tasks}`,
      `/api/data/entity/projects/${refsA.projects}`,
    ]) {
      const res = await asAdmin("PATCH", path, { tenant_id: B.id });
      expect(res.status, path).toBe(400);
      const body = await json<{ error: { message: string } }>(res);
      expect(body.error.message).toMatch(/tenant_id/);
    }
    expect([await snapshotTenant(A.id), await snapshotTenant(B.id)]).toEqual(before);
  });

  it("an unscoped bulk write must name its tenant", async () => {
    const before = await snapshotTenant(A.id);
    const res = await asAdmin("PATCH", "/api/data/entity/tasks", {
      update: { title: "x" },
      where: { id: refsA.tasks },
    });
    expect(res.status).toBe(400);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("TENANT_REQUIRED");
    expect(await snapshotTenant(A.id)).toBe(before);
  });
});
