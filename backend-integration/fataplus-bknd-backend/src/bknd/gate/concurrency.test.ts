/**
 * Concurrent writes to one record through the API follow the documented rule (decision 011): last write wins
 * per field. Changes to different fields all survive; of changes to the same field the last one wins, and
 * every write's values are in the audit log, so no change is lost silently. Racing with a delete gives a
 * clear answer, never a 5xx.
 */
import { env } from "cloudflare:workers";
import { type TenantRef, updateRecord } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  makeTenant,
  makeUser,
  type Refs,
  seedTenantData,
  systemCtx,
  type TestUser,
} from "../../../test/factories.ts";

let A: TenantRef;
let refs: Refs;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  A = await makeTenant("Concurrency");
  refs = await seedTenantData(A);
  alice = await makeUser({ memberships: [[A, "project_manager"]] });
  bob = await makeUser({ memberships: [[A, "admin"]] });
});

const patch = (user: TestUser, entity: string, id: string, body: unknown) =>
  call("PATCH", `/api/data/entity/${entity}/${id}`, { token: user.token, tenant: A.subdomain, body });

const row = (entity: string, id: string) =>
  env.DB.prepare(`SELECT * FROM ${entity} WHERE tenant_id = ? AND id = ?`)
    .bind(A.id, id)
    .first<Record<string, unknown>>();

const auditOf = async (id: string) =>
  (
    await env.DB.prepare(
      "SELECT action, actor_id, data FROM audit_log WHERE tenant_id = ? AND entity_id = ? ORDER BY created_at, rowid",
    )
      .bind(A.id, id)
      .all<{ action: string; actor_id: string; data: string | null }>()
  ).results;

describe("concurrent writes to one record", () => {
  it("changes to different fields, sent at the same time, all survive", async () => {
    const before = await row("tasks", refs.tasks);
    const [r1, r2, r3] = await Promise.all([
      patch(alice, "tasks", refs.tasks, { title: "Alice's title" }),
      patch(bob, "tasks", refs.tasks, { status: "review" }),
      patch(bob, "tasks", refs.tasks, { priority: "urgent" }),
    ]);
    expect([r1.status, r2.status, r3.status]).toEqual([200, 200, 200]);
    const after = await row("tasks", refs.tasks);
    expect(after).toMatchObject({ title: "Alice's title", status: "review", priority: "urgent" });
    expect(String(after?.updated_at) > String(before?.updated_at)).toBe(true);
  });

  it("of changes to the same field the last wins, and every value written is in the audit log", async () => {
    const names = ["First", "Second", "Third", "Fourth"].map((n) => `${n} name`);
    const answers = await Promise.all(
      names.map((name, i) => patch(i % 2 ? bob : alice, "clients", refs.clients, { name })),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = await row("clients", refs.clients);
    expect(names).toContain(final?.name);
    const audit = (await auditOf(refs.clients)).filter((a) => a.action === "clients.update");
    const logged = audit.map((a) => (JSON.parse(a.data ?? "{}") as { name?: string }).name);
    for (const name of names) expect(logged, `${name} is in the audit log`).toContain(name);
    // the value that stands is the one written last
    expect(logged[logged.length - 1]).toBe(final?.name);
    expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([String(alice.id), String(bob.id)]));
  });

  it("an API edit and an agent's (domain verb) edit of different fields both survive", async () => {
    const [api] = await Promise.all([
      patch(alice, "tasks", refs.tasks, { title: "Edited in the CRM" }),
      updateRecord({
        ctx: systemCtx(A),
        input: { entity: "tasks", id: refs.tasks, data: { status: "done" } },
      }),
    ]);
    expect(api.status).toBe(200);
    expect(await row("tasks", refs.tasks)).toMatchObject({ title: "Edited in the CRM", status: "done" });
  });

  it("an edit racing a delete gets a clear answer (saved, or not found), never a 5xx or a resurrected row", async () => {
    const created = await call("POST", "/api/data/entity/leads", {
      token: bob.token,
      tenant: A.subdomain,
      body: { title: "Short-lived lead" },
    });
    const id = ((await created.json()) as { data: { id: string } }).data.id;
    const [edit, del] = await Promise.all([
      patch(alice, "leads", id, { title: "Edited while deleted" }),
      call("DELETE", `/api/data/entity/leads/${id}`, { token: bob.token, tenant: A.subdomain }),
    ]);
    expect(del.status).toBe(200);
    expect([200, 404]).toContain(edit.status);
    expect(await row("leads", id)).toBeNull();
  });
});
