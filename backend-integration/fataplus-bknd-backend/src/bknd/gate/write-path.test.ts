/**
 * One write path (docs/decisions/013): every write of the data API (create, update, delete, bulk update, bulk
 * delete, and the documented /api/data/:entity[/:id] aliases) is answered by the gate through a domain verb
 * that writes the change and its audit row in one D1 batch. Proven here through the real worker:
 *  - a fault injected at any write of the batch leaves neither the change nor the audit row;
 *  - audit rows say what each write did, and a bulk write's names exactly the ids it changed;
 *  - a bulk write changes exactly the rows that a bknd list with the same where-clause returns;
 *  - FOREIGN KEY refusals are a readable 409 that changes nothing; D1's 100 bound parameters are respected;
 *  - nothing of tenant B changes, whatever A's users do.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  createRecords,
  DomainError,
  deleteRecords,
  MAX_WHERE_VALUES,
  type TenantRef,
  updateRecords,
} from "@fataplus/domain";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  json,
  makeTenant,
  makeUser,
  type Refs,
  seedTenantData,
  snapshotTenant,
  systemCtx,
  type TestUser,
  unique,
} from "../../../test/factories.ts";
import { faultyD1 } from "../../../test/faulty-d1.ts";
import worker from "../../index.ts";

type Row = Record<string, unknown> & { id: string };
type AuditRow = {
  action: string;
  entity: string;
  entity_id: string | null;
  actor_type: string;
  actor_id: string | null;
  data: string | null;
};

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let admin: TestUser;
let bSnapshot: string;

beforeAll(async () => {
  A = await makeTenant("Write path A");
  B = await makeTenant("Write path B");
  refsA = await seedTenantData(A);
  refsB = await seedTenantData(B);
  admin = await makeUser({ memberships: [[A, "admin"]] });
  bSnapshot = await snapshotTenant(B.id);
});

afterEach(async () => {
  // Whatever A's admin wrote, and whatever failed, nothing of B changed.
  expect(await snapshotTenant(B.id)).toBe(bSnapshot);
});

/** A request to the real worker, as A's admin, on the given D1 binding (the test database by default). */
async function send(method: string, path: string, body?: unknown, database: D1Database = env.DB) {
  const headers = new Headers({ authorization: `Bearer ${admin.token}`, "x-fataplus-tenant": A.subdomain });
  if (body !== undefined) headers.set("content-type", "application/json");
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://bknd.test${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
    { ...env, DB: database },
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const auditOf = async (tenantId: string) =>
  (
    await db()
      .prepare(
        "SELECT action, entity, entity_id, actor_type, actor_id, data FROM audit_log WHERE tenant_id = ? ORDER BY created_at, rowid",
      )
      .bind(tenantId)
      .all<AuditRow>()
  ).results;

/** Everything A owns, and its audit log. */
const stateOfA = async () => JSON.stringify([await snapshotTenant(A.id), await auditOf(A.id)]);

async function newAuditRows(run: () => Promise<unknown>): Promise<AuditRow[]> {
  const before = (await auditOf(A.id)).length;
  await run();
  return (await auditOf(A.id)).slice(before);
}

const createTasks = async (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  createRecords({
    ctx: systemCtx(A),
    input: {
      entity: "tasks",
      items: Array.from({ length: n }, (_, i) => ({
        title: unique(`Task ${i} `),
        project_id: refsA.projects,
        ...extra(i),
      })),
    },
  });
const createLeads = async (n: number) =>
  createRecords({
    ctx: systemCtx(A),
    input: { entity: "leads", items: Array.from({ length: n }, (_, i) => ({ title: unique(`Lead ${i} `) })) },
  });

const sorted = (ids: readonly unknown[]) => [...ids].map(String).sort();
const idsOf = (rows: unknown): string[] =>
  (Array.isArray(rows) ? rows : [rows]).map((r: Row) => String(r.id));

/** Each write of the data API, with the setup it needs (run once per attempt) and its number of writes. */
const writes: Record<
  string,
  { writes: number; make: () => Promise<{ method: string; path: string; body?: unknown }> }
> = {
  "create (POST /api/data/entity/leads)": {
    writes: 2,
    make: async () => ({ method: "POST", path: "/api/data/entity/leads", body: { title: unique("New ") } }),
  },
  "create through the documented alias (POST /api/data/leads)": {
    writes: 2,
    make: async () => ({ method: "POST", path: "/api/data/leads", body: { title: unique("New ") } }),
  },
  "bulk create of three tasks": {
    writes: 4,
    make: async () => ({
      method: "POST",
      path: "/api/data/entity/tasks",
      body: [1, 2, 3].map((i) => ({ title: `bulk ${i}`, project_id: refsA.projects })),
    }),
  },
  "update (PATCH /api/data/entity/tasks/:id)": {
    writes: 2,
    make: async () => ({
      method: "PATCH",
      path: `/api/data/entity/tasks/${refsA.tasks}`,
      body: { title: unique("Renamed ") },
    }),
  },
  "update through the documented alias (PUT /api/data/tasks/:id)": {
    writes: 2,
    make: async () => ({ method: "PUT", path: `/api/data/tasks/${refsA.tasks}`, body: { status: "review" } }),
  },
  "delete (DELETE /api/data/entity/leads/:id)": {
    writes: 2,
    make: async () => {
      const [lead] = await createLeads(1);
      return { method: "DELETE", path: `/api/data/entity/leads/${lead?.id}` };
    },
  },
  "delete through the documented alias (DELETE /api/data/leads/:id)": {
    writes: 2,
    make: async () => {
      const [lead] = await createLeads(1);
      return { method: "DELETE", path: `/api/data/leads/${lead?.id}` };
    },
  },
  "bulk update (PATCH /api/data/entity/tasks)": {
    writes: 2,
    make: async () => {
      const tasks = await createTasks(3);
      return {
        method: "PATCH",
        path: "/api/data/entity/tasks",
        body: { update: { priority: "urgent" }, where: { id: { $in: idsOf(tasks) } } },
      };
    },
  },
  "bulk delete (DELETE /api/data/entity/leads)": {
    writes: 2,
    make: async () => {
      const leads = await createLeads(3);
      return { method: "DELETE", path: "/api/data/entity/leads", body: { id: { $in: idsOf(leads) } } };
    },
  },
};

/** The mail job runs after every successful write (src/index.ts): not part of the write. */
const faulty = (failAt: number, counter = { writes: 0 }) =>
  faultyD1(env.DB, failAt, counter, { ignore: /\bemail_outbox\b/ });

describe("each write is one D1 batch: a fault anywhere in it leaves neither the change nor its audit row", () => {
  it.each(Object.keys(writes))("%s", async (name) => {
    const write = writes[name];
    if (!write) throw new Error(name);
    const counter = { writes: 0 };
    const dry = await write.make();
    const ok = await send(dry.method, dry.path, dry.body, faulty(0, counter));
    expect(ok.status, `${name}: ${JSON.stringify(ok.body)}`).toBeLessThan(300);
    expect(counter.writes, `${name}: the change and its audit row, nothing else`).toBe(write.writes);
    for (let k = 1; k <= write.writes; k++) {
      const req = await write.make();
      const before = await stateOfA();
      const res = await send(req.method, req.path, req.body, faulty(k));
      expect(res.status, `${name}, fault at write ${k}`).toBe(500);
      expect(res.body).toEqual({
        error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." },
      });
      expect(await stateOfA(), `${name}: something remains after a fault at write ${k}`).toBe(before);
    }
  });
});

describe("audit rows say what each write did", () => {
  it("a create's row holds the new record, an update's the fields it set, a delete's the id", async () => {
    const [created] = await newAuditRows(async () => {
      const res = await send("POST", "/api/data/entity/leads", { title: "Audited lead" });
      expect(res.status).toBe(201);
    });
    expect(created).toMatchObject({ action: "leads.create", actor_type: "user", actor_id: String(admin.id) });
    const id = String(created?.entity_id);
    expect(JSON.parse(created?.data ?? "{}")).toMatchObject({ id, title: "Audited lead", tenant_id: A.id });

    const updated = await newAuditRows(async () => {
      const res = await send("PATCH", `/api/data/entity/leads/${id}`, { stage: "won", value_cents: 1200 });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id, stage: "won", value_cents: 1200, title: "Audited lead" });
    });
    expect(updated).toEqual([
      {
        action: "leads.update",
        entity: "leads",
        entity_id: id,
        actor_type: "user",
        actor_id: String(admin.id),
        data: JSON.stringify({ stage: "won", value_cents: 1200 }),
      },
    ]);

    const deleted = await newAuditRows(async () => {
      const res = await send("DELETE", `/api/data/entity/leads/${id}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id, stage: "won", title: "Audited lead" });
    });
    expect(deleted).toEqual([
      {
        action: "leads.delete",
        entity: "leads",
        entity_id: id,
        actor_type: "user",
        actor_id: String(admin.id),
        data: null,
      },
    ]);
  });

  it("a bulk update's row names exactly the ids it changed, as they matched before the change", async () => {
    const tasks = await createTasks(4, (i) => ({ status: i < 3 ? "todo" : "review" }));
    const ids = idsOf(tasks);
    const untouched = await db().prepare("SELECT * FROM tasks WHERE id = ?").bind(ids[3]).first();
    let answered: Row[] = [];
    const rows = await newAuditRows(async () => {
      // the update changes the very field the clause filters on
      const res = await send("PATCH", "/api/data/entity/tasks", {
        update: { status: "done" },
        where: { id: { $in: ids }, status: "todo" },
      });
      expect(res.status).toBe(200);
      answered = res.body.data as Row[];
      expect(res.body.meta).toEqual({ items: 3 });
    });
    expect(sorted(idsOf(answered))).toEqual(sorted(ids.slice(0, 3)));
    for (const r of answered) expect(r).toMatchObject({ status: "done", tenant_id: A.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "tasks.update_many", entity: "tasks", entity_id: null });
    const data = JSON.parse(rows[0]?.data ?? "{}") as { ids: string[]; count: number; set: unknown };
    expect(sorted(data.ids)).toEqual(sorted(ids.slice(0, 3)));
    expect(data.count).toBe(3);
    expect(data.set).toEqual({ status: "done" });
    expect(await db().prepare("SELECT * FROM tasks WHERE id = ?").bind(ids[3]).first()).toEqual(untouched);
  });

  it("a bulk delete's row names exactly the ids it deleted; the answer holds the deleted rows", async () => {
    const leads = await createLeads(3);
    const ids = idsOf(leads);
    let answered: Row[] = [];
    const rows = await newAuditRows(async () => {
      const res = await send("DELETE", "/api/data/entity/leads", { id: { $in: [...ids, refsB.leads] } });
      expect(res.status).toBe(200);
      answered = res.body.data as Row[];
      expect(res.body.meta).toEqual({ items: 3 });
    });
    expect(sorted(idsOf(answered))).toEqual(sorted(ids));
    expect(answered.map((r) => r.title)).toEqual(expect.arrayContaining(leads.map((l) => l.title)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "leads.delete_many", entity_id: null });
    const data = JSON.parse(rows[0]?.data ?? "{}") as { ids: string[]; count: number };
    expect(sorted(data.ids)).toEqual(sorted(ids));
    expect(data.count).toBe(3);
    const left = await db()
      .prepare("SELECT count(*) AS n FROM leads WHERE id IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(ids))
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("a bulk write of one row names it as the entity; one that matches nothing writes no audit row", async () => {
    const [task] = await createTasks(1);
    const one = await newAuditRows(async () => {
      const res = await send("PATCH", "/api/data/entity/tasks", {
        update: { priority: "low" },
        where: { id: task?.id },
      });
      expect(res.status).toBe(200);
    });
    expect(one).toMatchObject([{ action: "tasks.update_many", entity_id: task?.id }]);
    for (const [method, body] of [
      ["PATCH", { update: { priority: "low" }, where: { id: refsB.tasks } }],
      ["DELETE", { id: { $in: [refsB.tasks, "no-such-task"] } }],
    ] as const) {
      const none = await newAuditRows(async () => {
        const res = await send(method, "/api/data/entity/tasks", body);
        expect(res).toEqual({ status: 200, body: { data: [], meta: { items: 0 } } });
      });
      expect(none).toEqual([]);
    }
  });

  it("the bulk verbs check the role and a token's write right themselves", async () => {
    const token = {
      type: "token",
      tokenId: "t",
      userId: admin.id,
      agencyRole: "member",
      write: false,
    } as const;
    for (const ctx of [{ ...systemCtx(A, "client") }, { ...systemCtx(A, "admin"), actor: token }]) {
      for (const run of [
        () => updateRecords({ ctx, input: { entity: "tasks", where: {}, data: { title: "x" } } }),
        () => deleteRecords({ ctx, input: { entity: "tasks", where: {} } }),
      ]) {
        await expect(run()).rejects.toSatisfy((e) => e instanceof DomainError && e.code === "FORBIDDEN");
      }
    }
    await expect(
      updateRecords({ ctx: systemCtx(A), input: { entity: "users", where: {}, data: {} } }),
    ).rejects.toSatisfy((e) => e instanceof DomainError && e.code === "VALIDATION");
  });
});

describe("a bulk write changes exactly the rows that a list with the same where-clause returns", () => {
  let marker = "";
  beforeAll(async () => {
    marker = unique("semantics-");
    await createTasks(8, (i) => ({
      title: `${marker} ${["alpha", "Alpha beta", "gamma", "ALPHA*", "delta", "beta", "x", "y"][i]}`,
      status: ["todo", "in_progress", "review", "done"][i % 4],
      priority: ["low", "normal", "high", "urgent"][(i + 1) % 4],
      assignee_id: i % 3 === 0 ? null : admin.id,
      due_date: i % 2 === 0 ? `2026-0${i + 1}-15` : null,
    }));
  });

  const clauses = () => [
    { status: "todo" },
    { status: { $in: ["todo", "review"] } },
    { status: { $notin: ["done", "todo"] } },
    { assignee_id: { $isnull: true } },
    { assignee_id: { $isnull: false }, priority: { $ne: "high" } },
    { assignee_id: admin.id },
    { assignee_id: { $in: [admin.id] } },
    { title: { $like: "*alpha*" } },
    { title: { $like: `${marker} ALPHA*` } },
    { due_date: { $isnull: false }, assignee_id: { $gte: admin.id } },
    { assignee_id: { $between: [admin.id, admin.id + 10] }, status: { $ne: "review" } },
    { assignee_id: { $lt: admin.id + 1, $gt: admin.id - 1 } },
    { due_date: "2026-03-15" },
    { status: { $notin: ["done", null] } },
  ];

  it("for every operator", async () => {
    const sizes: number[] = [];
    for (const where of clauses()) {
      const scoped = { ...where, title: "title" in where ? where.title : { $like: `${marker}*` } };
      const q = encodeURIComponent(JSON.stringify(scoped));
      const list = await call("GET", `/api/data/entity/tasks?where=${q}&limit=100`, {
        token: admin.token,
        tenant: A.subdomain,
      });
      expect(list.status, JSON.stringify(where)).toBe(200);
      const listed = sorted(idsOf((await json<{ data: Row[] }>(list)).data));
      const description = unique("touched ");
      const res = await send("PATCH", "/api/data/entity/tasks", { update: { description }, where: scoped });
      expect(res.status, JSON.stringify(where)).toBe(200);
      expect(sorted(idsOf(res.body.data)), JSON.stringify(where)).toEqual(listed);
      const { results } = await db()
        .prepare("SELECT id FROM tasks WHERE tenant_id = ? AND description = ?")
        .bind(A.id, description)
        .all<{ id: string }>();
      expect(sorted(results.map((r) => r.id)), JSON.stringify(where)).toEqual(listed);
      sizes.push(listed.length);
    }
    // the clauses really filter: each matches some of the 8 rows but not all (NOT IN with a null: none)
    expect(sizes.at(-1)).toBe(0);
    for (const n of sizes.slice(0, -1)) expect(n).toBeGreaterThan(0);
    for (const n of sizes) expect(n).toBeLessThan(8);
    expect(new Set(sizes).size).toBeGreaterThan(3);
  });

  it("security review 12: an empty clause (every row of the tenant) is refused, and nothing changes", async () => {
    const before = await stateOfA();
    for (const [method, body] of [
      ["PATCH", { update: { description: "everything" }, where: {} }],
      ["PATCH", { update: { description: "everything" } }],
      ["DELETE", {}],
      ["DELETE", undefined],
    ] as const) {
      const res = await send(method, "/api/data/entity/tasks", body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/needs a filter/);
    }
    expect(await stateOfA()).toEqual(before);
  });
});

describe("refusals", () => {
  it("deleting a record still referenced is a readable 409 that deletes nothing and audits nothing", async () => {
    const [lonely, used] = await createRecords({
      ctx: systemCtx(A),
      input: { entity: "clients", items: [{ name: "Lonely client" }, { name: "Used client" }] },
    });
    await createRecords({
      ctx: systemCtx(A),
      input: { entity: "projects", items: [{ name: "Uses a client", client_id: used?.id }] },
    });
    const before = await stateOfA();
    const one = await send("DELETE", `/api/data/entity/clients/${used?.id}`);
    expect(one).toEqual({
      status: 409,
      body: {
        error: {
          code: "CONFLICT",
          message: "This client is still referenced by other records: change or delete those first.",
        },
      },
    });
    const many = await send("DELETE", "/api/data/entity/clients", { id: { $in: [lonely?.id, used?.id] } });
    expect(many).toEqual({
      status: 409,
      body: {
        error: {
          code: "CONFLICT",
          message: "Some of these clients are still referenced by other records: nothing was deleted.",
        },
      },
    });
    expect(await stateOfA()).toBe(before);
  });

  it("a bulk update setting every field of a project with the longest allowed list fits D1's 100 parameters", async () => {
    const ids = [refsA.projects, ...Array.from({ length: MAX_WHERE_VALUES - 1 }, (_, i) => `none-${i}`)];
    const update = {
      client_id: refsA.clients,
      name: "Every field",
      description: "d",
      status: "active",
      phase: "build",
      start_date: "2026-01-01",
      due_date: "2026-12-31",
      budget_cents: 100,
      estimate_cents: 90,
      currency: "USD",
    };
    const res = await send("PATCH", "/api/data/entity/projects", { update, where: { id: { $in: ids } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject([{ id: refsA.projects, ...update }]);
    const del = await send("DELETE", "/api/data/entity/leads", {
      id: { $notin: ids.slice(1) },
      title: "no such",
    });
    expect(del).toEqual({ status: 200, body: { data: [], meta: { items: 0 } } });
  });

  it("an update or a bulk update pointing at B's rows is refused before anything is written", async () => {
    const before = await stateOfA();
    for (const [method, path, body] of [
      ["PATCH", `/api/data/entity/tasks/${refsA.tasks}`, { project_id: refsB.projects }],
      [
        "PATCH",
        "/api/data/entity/tasks",
        { update: { project_id: refsB.projects }, where: { id: refsA.tasks } },
      ],
      [
        "PATCH",
        "/api/data/entity/leads",
        { update: { client_id: refsB.clients }, where: { id: refsA.leads } },
      ],
    ] as const) {
      const res = await send(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(422);
    }
    expect(await stateOfA()).toBe(before);
  });
});
