/**
 * The read counters never drift: random sequences of writes (creates, updates, bulk writes, deletes that
 * cascade, batches that fail in the middle, the due-date roll-up) on two tenants, then every counter is compared
 * with a recount of the rows. Runs on the real local D1 with the migrations' triggers.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditFails, countRows as countRowsOf, db, given } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import {
  createRecord,
  createRecords,
  deleteRecord,
  deleteRecords,
  updateRecord,
  updateRecords,
} from "../records/index.ts";
import { counterDrift, repairCounters, rollupDueCounts } from "./index.ts";

const setup = () => given({ tenants: ["a", "b"], seed: true });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});

type TenantKey = "a" | "b";
type Ids = Record<"clients" | "projects" | "tasks" | "leads" | "notes", string[]>;

const day = (offset: number) => new Date(Date.UTC(2026, 5, 15 + offset)).toISOString().slice(0, 10);
const tenantKey = fc.constantFrom<TenantKey>("a", "b");
const pick = fc.nat({ max: 50 });
const status = fc.constantFrom("todo", "in_progress", "review", "done");
const projectStatus = fc.constantFrom("planned", "active", "on_hold", "completed", "cancelled");
const due = fc.option(fc.integer({ min: -10, max: 10 }).map(day), { nil: null });
const money = fc.option(fc.nat({ max: 100_000 }), { nil: null });

const command = fc.oneof(
  { depthSize: "small" },
  fc.record({
    op: fc.constant("client" as const),
    t: tenantKey,
    kind: fc.constantFrom("contact", "organization"),
  }),
  fc.record({
    op: fc.constant("project" as const),
    t: tenantKey,
    status: projectStatus,
    currency: fc.constantFrom("EUR", "MGA"),
    budget: money,
    client: fc.option(pick, { nil: null }),
  }),
  fc.record({
    op: fc.constant("tasks" as const),
    t: tenantKey,
    project: pick,
    status,
    due,
    n: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    op: fc.constant("lead" as const),
    t: tenantKey,
    stage: fc.constantFrom("new", "won", "lost"),
    value: money,
    client: fc.option(pick, { nil: null }),
  }),
  fc.record({ op: fc.constant("note" as const), t: tenantKey, lead: pick }),
  fc.record({ op: fc.constant("moveTask" as const), t: tenantKey, task: pick, project: pick, status, due }),
  fc.record({
    op: fc.constant("editProject" as const),
    t: tenantKey,
    project: pick,
    status: projectStatus,
    budget: money,
    currency: fc.constantFrom("EUR", "MGA"),
  }),
  fc.record({
    op: fc.constant("editLead" as const),
    t: tenantKey,
    lead: pick,
    stage: fc.constantFrom("qualified", "proposal", "won"),
    value: money,
  }),
  fc.record({ op: fc.constant("bulkStatus" as const), t: tenantKey, from: status, to: status }),
  fc.record({ op: fc.constant("deleteTask" as const), t: tenantKey, task: pick }),
  fc.record({ op: fc.constant("deleteProject" as const), t: tenantKey, project: pick }),
  fc.record({ op: fc.constant("bulkDelete" as const), t: tenantKey, status }),
  fc.record({ op: fc.constant("deleteLead" as const), t: tenantKey, lead: pick }),
  // a verb whose audit row fails: its batch (the change and the counters' triggers) rolls back whole
  fc.record({ op: fc.constant("failedWrite" as const), t: tenantKey, project: pick, status }),
  // a raw batch whose second statement breaks a CHECK: the first insert and its counters roll back
  fc.record({ op: fc.constant("failedBatch" as const), t: tenantKey, project: pick }),
  fc.record({ op: fc.constant("rollup" as const), today: fc.integer({ min: -5, max: 12 }).map(day) }),
  // a tenant archived or made active again: agency_counts (every active tenant) loses or regains its counters
  fc.record({
    op: fc.constant("tenantStatus" as const),
    t: tenantKey,
    status: fc.constantFrom("active", "archived"),
  }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

const at = (list: string[], i: number | null): string | undefined =>
  i === null || list.length === 0 ? undefined : list[i % list.length];

/**
 * A write the rules refuse (a 409 for a row still referenced, a reference to a row deleted earlier) is part of
 * a random sequence, not a failure: the counters must still match.
 */
async function allowRefusal(p: Promise<unknown>): Promise<void> {
  await p.catch((e: unknown) => {
    if (!(e instanceof DomainError)) throw e;
  });
}

async function apply(c: Command, ids: Record<TenantKey, Ids>): Promise<void> {
  if (c.op === "rollup") {
    await rollupDueCounts({ db: db(), today: c.today });
    return;
  }
  if (c.op === "tenantStatus") {
    await db().prepare("UPDATE tenants SET status = ? WHERE id = ?").bind(c.status, s.tenants[c.t].id).run();
    return;
  }
  const ctx: Ctx = s.system(c.t);
  const my = ids[c.t];
  switch (c.op) {
    case "client": {
      const row = await createRecord({
        ctx,
        input: { entity: "clients", data: { kind: c.kind, name: "C" } },
      });
      my.clients.push(row.id);
      return;
    }
    case "project": {
      const data = {
        name: "P",
        status: c.status,
        currency: c.currency,
        budget_cents: c.budget,
        client_id: at(my.clients, c.client),
      };
      my.projects.push((await createRecord({ ctx, input: { entity: "projects", data } })).id);
      return;
    }
    case "tasks": {
      const project_id = at(my.projects, c.project);
      if (!project_id) return;
      const items = Array.from({ length: c.n }, () => ({
        title: "T",
        project_id,
        status: c.status,
        due_date: c.due,
      }));
      my.tasks.push(...(await createRecords({ ctx, input: { entity: "tasks", items } })).map((r) => r.id));
      return;
    }
    case "lead": {
      const data = {
        title: "L",
        stage: c.stage,
        value_cents: c.value,
        client_id: at(my.clients, c.client),
        lost_reason: c.stage === "lost" ? "Budget" : null,
      };
      my.leads.push((await createRecord({ ctx, input: { entity: "leads", data } })).id);
      return;
    }
    case "note": {
      const lead_id = at(my.leads, c.lead);
      if (!lead_id) return;
      my.notes.push(
        (await createRecord({ ctx, input: { entity: "notes", data: { body: "N", lead_id } } })).id,
      );
      return;
    }
    case "moveTask": {
      const id = at(my.tasks, c.task);
      const project_id = at(my.projects, c.project);
      if (!id || !project_id) return;
      const data = { project_id, status: c.status, due_date: c.due };
      return allowRefusal(updateRecord({ ctx, input: { entity: "tasks", id, data } }));
    }
    case "editProject": {
      const id = at(my.projects, c.project);
      if (!id) return;
      const data = { status: c.status, budget_cents: c.budget, currency: c.currency };
      return allowRefusal(updateRecord({ ctx, input: { entity: "projects", id, data } }));
    }
    case "editLead": {
      const id = at(my.leads, c.lead);
      if (!id) return;
      const data = { stage: c.stage, value_cents: c.value };
      return allowRefusal(updateRecord({ ctx, input: { entity: "leads", id, data } }));
    }
    case "bulkStatus":
      await updateRecords({
        ctx,
        input: { entity: "tasks", where: { status: c.from }, data: { status: c.to } },
      });
      return;
    case "deleteTask": {
      const id = at(my.tasks, c.task);
      if (!id) return;
      return allowRefusal(deleteRecord({ ctx, input: { entity: "tasks", id } }));
    }
    case "deleteProject": {
      const id = at(my.projects, c.project);
      if (!id) return;
      return allowRefusal(deleteRecord({ ctx, input: { entity: "projects", id } }));
    }
    case "bulkDelete":
      await deleteRecords({ ctx, input: { entity: "tasks", where: { status: c.status } } });
      return;
    case "deleteLead": {
      const id = at(my.leads, c.lead);
      if (!id) return;
      return allowRefusal(deleteRecord({ ctx, input: { entity: "leads", id } }));
    }
    case "failedWrite": {
      const project_id = at(my.projects, c.project);
      if (!project_id) return;
      const undo = await auditFails({ tenantId: ctx.tenant.id });
      try {
        const items = [{ title: "lost", project_id, status: c.status, due_date: day(-3) }];
        const err = await createRecords({ ctx, input: { entity: "tasks", items } }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(Error);
        // with its audit row refused, an update that matched rows fails whole (one matching nothing succeeds)
        await updateRecords({
          ctx,
          input: { entity: "tasks", where: { project_id }, data: { status: c.status } },
        }).then(
          (rows) => expect(rows).toEqual([]),
          () => undefined,
        );
      } finally {
        await undo();
      }
      return;
    }
    case "failedBatch": {
      const project_id = at(my.projects, c.project);
      if (!project_id) return;
      const insert = (id: string, st: string) =>
        db()
          .prepare(
            "INSERT INTO tasks (id, tenant_id, project_id, title, status, due_date) VALUES (?, ?, ?, 'x', ?, ?)",
          )
          .bind(id, ctx.tenant.id, project_id, st, day(0));
      const err = await db()
        .batch([insert(crypto.randomUUID(), "todo"), insert(crypto.randomUUID(), "not-a-status")])
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(Error);
      return;
    }
  }
}

const drift = async () => [
  ...(await counterDrift({ db: db(), tenantId: s.tenants.a.id })),
  ...(await counterDrift({ db: db(), tenantId: s.tenants.b.id })),
];
/** Every counter of every tenant, agency_counts included (a recount over the active tenants). */
const allDrift = () => counterDrift({ db: db(), tenantId: null });
const setStatus = (tenantId: string, status: "active" | "archived") =>
  db().prepare("UPDATE tenants SET status = ? WHERE id = ?").bind(status, tenantId).run();

describe("read counters", () => {
  it("match a recount after any sequence of writes, failed batches included", async () => {
    // the rows of every run stay: later runs move, bulk-edit and delete what earlier ones made
    const seeded = (t: TenantKey): Ids => ({
      clients: [s.refs[t].clients],
      projects: [s.refs[t].projects],
      tasks: [s.refs[t].tasks],
      leads: [s.refs[t].leads],
      notes: [s.refs[t].notes],
    });
    const ids = { a: seeded("a"), b: seeded("b") };
    let writes = 0;
    let runsWithOpenDueTasks = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 40 }), async (commands) => {
        for (const c of commands) await allowRefusal(apply(c, ids));
        writes += commands.length;
        expect(await drift()).toEqual([]);
        expect(await allDrift()).toEqual([]);
        const open = await db()
          .prepare(
            "SELECT count(*) AS n FROM tasks WHERE tenant_id IN (?, ?) AND status <> 'done' AND due_date IS NOT NULL",
          )
          .bind(s.tenants.a.id, s.tenants.b.id)
          .first<{ n: number }>();
        if ((open?.n ?? 0) > 0) runsWithOpenDueTasks += 1;
      }),
      { numRuns: 40 },
    );
    // the sequences did reach the counters: some runs ended with open tasks that have due dates
    expect(writes).toBeGreaterThan(200);
    expect(runsWithOpenDueTasks).toBeGreaterThan(0);
    for (const t of [s.tenants.a.id, s.tenants.b.id]) await setStatus(t, "active");
    expect(await allDrift()).toEqual([]);
  });

  it("the drift check sees a wrong counter, and the repair puts it right", async () => {
    const ctx = s.system("a");
    const project = await createRecord({ ctx, input: { entity: "projects", data: { name: "Repair" } } });
    await createRecord({
      ctx,
      input: { entity: "tasks", data: { title: "x", project_id: project.id, due_date: day(-1) } },
    });
    expect(await drift()).toEqual([]);
    await db()
      .prepare("UPDATE record_counts SET n = n + 7 WHERE tenant_id = ? AND entity = 'tasks' AND field = ''")
      .bind(s.tenants.a.id)
      .run();
    await db()
      .prepare("DELETE FROM task_due_counts WHERE tenant_id = ? AND project_id = ?")
      .bind(s.tenants.a.id, project.id)
      .run();
    await db()
      .prepare("DELETE FROM project_stats WHERE tenant_id = ? AND project_id = ?")
      .bind(s.tenants.a.id, project.id)
      .run();
    const found = await drift();
    expect(found.map((d) => d.table).sort()).toEqual(["project_stats", "record_counts", "task_due_counts"]);
    // the wrong record_counts row moved agency_counts with it (a trigger): both drift from the recount
    expect((await allDrift()).map((d) => d.table).sort()).toEqual([
      "agency_counts",
      "project_stats",
      "record_counts",
      "task_due_counts",
    ]);
    const { drift: repaired } = await repairCounters({ db: db(), tenantId: s.tenants.a.id });
    expect(repaired).toHaveLength(found.length);
    expect(await drift()).toEqual([]);
    expect(await allDrift()).toEqual([]);
    // agency_counts alone wrong: the repair recomputes it from record_counts
    await db().prepare("UPDATE agency_counts SET n = n + 3 WHERE entity = 'clients' AND field = ''").run();
    expect((await allDrift()).map((d) => d.table)).toEqual(["agency_counts"]);
    await repairCounters({ db: db() });
    expect(await allDrift()).toEqual([]);
  });

  it("agency_counts follows tenants archived, reactivated and deleted (the cascade neither misses nor doubles)", async () => {
    const more = await given({ tenants: ["c", "d"], seed: true });
    const ctx = more.system("c");
    const client = await createRecord({
      ctx,
      input: { entity: "clients", data: { kind: "organization", name: "Co" } },
    });
    const project = await createRecord({
      ctx,
      input: {
        entity: "projects",
        data: { name: "Gone", client_id: client.id, status: "active", budget_cents: 5000, currency: "EUR" },
      },
    });
    await createRecord({ ctx, input: { entity: "tasks", data: { title: "t", project_id: project.id } } });
    await createRecord({
      ctx,
      input: {
        entity: "leads",
        data: { title: "L", stage: "qualified", value_cents: 700, client_id: client.id },
      },
    });
    const agencyTotal = async (entity: string) =>
      (
        await db()
          .prepare("SELECT n FROM agency_counts WHERE entity = ? AND field = '' AND value = ''")
          .bind(entity)
          .first<{ n: number }>()
      )?.n ?? 0;
    const before = await agencyTotal("clients");
    expect(await allDrift()).toEqual([]);
    await setStatus(more.tenants.c.id, "archived");
    expect(await agencyTotal("clients")).toBeLessThan(before);
    expect(await allDrift()).toEqual([]);
    // an archived tenant's writes leave agency_counts alone
    await createRecord({
      ctx,
      input: { entity: "clients", data: { kind: "contact", name: "While archived" } },
    });
    expect(await allDrift()).toEqual([]);
    await setStatus(more.tenants.c.id, "active");
    expect(await agencyTotal("clients")).toBe(before + 1);
    expect(await allDrift()).toEqual([]);
    // deleting an active tenant: its counters leave agency_counts once (BEFORE DELETE), the cascade adds nothing
    const tenantC = await countRowsOf("record_counts", more.tenants.c.id);
    expect(tenantC).toBeGreaterThan(0);
    await db().prepare("DELETE FROM tenants WHERE id = ?").bind(more.tenants.c.id).run();
    expect(await countRowsOf("record_counts", more.tenants.c.id)).toBe(0);
    expect(await allDrift()).toEqual([]);
    // and an archived one: nothing to subtract
    await setStatus(more.tenants.d.id, "archived");
    await db().prepare("DELETE FROM tenants WHERE id = ?").bind(more.tenants.d.id).run();
    expect(await allDrift()).toEqual([]);
  });

  it("counts one tenant's rows only, whatever the other holds", async () => {
    const count = async (t: string) =>
      (
        await db()
          .prepare(
            "SELECT n FROM record_counts WHERE tenant_id = ? AND entity = 'clients' AND field = '' AND value = ''",
          )
          .bind(t)
          .first<{ n: number }>()
      )?.n ?? 0;
    const before = await count(s.tenants.a.id);
    await createRecord({
      ctx: s.system("b"),
      input: { entity: "clients", data: { kind: "contact", name: "B only" } },
    });
    expect(await count(s.tenants.a.id)).toBe(before);
  });
});
