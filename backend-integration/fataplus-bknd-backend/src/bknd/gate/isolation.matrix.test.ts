/**
 * The cross-tenant isolation matrix. Generated from the domain's list of exposed entities and from every
 * tenant role, so that a new entity or role cannot skip it. Two tenants A and B; users of A try every way
 * to reach B's rows, and each attempt must yield zero rows of B and change nothing of B.
 */
import {
  type Action,
  can,
  type ExposedEntity,
  entities,
  exposedEntityNames,
  type TenantRef,
  type TenantRole,
  tenantOwnedTables,
  tenantRoles,
} from "@fataplus/domain";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  json,
  makeTenant,
  makeUser,
  type Refs,
  sampleCreate,
  sampleUpdate,
  seedTenantData,
  snapshotTenant,
  type TestUser,
} from "../../../test/factories.ts";

type ListBody = { data: Array<Record<string, unknown>> };

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let bSnapshot: string;
const users = {} as Record<TenantRole, TestUser>;

beforeAll(async () => {
  A = await makeTenant("Tenant A");
  B = await makeTenant("Tenant B");
  refsA = await seedTenantData(A);
  refsB = await seedTenantData(B);
  for (const role of tenantRoles) users[role] = await makeUser({ memberships: [[A, role]] });
  bSnapshot = await snapshotTenant(B.id);
});

afterEach(async () => {
  // Whatever the request was, B's data is exactly as it was.
  expect(await snapshotTenant(B.id)).toBe(bSnapshot);
});

const bIds = () => new Set(Object.values(refsB));

function expectNoRowsOfB(body: ListBody) {
  for (const row of body.data) {
    expect(row.tenant_id === undefined || row.tenant_id === A.id).toBe(true);
    expect(bIds().has(String(row.id))).toBe(false);
  }
}

/** A field of the entity that references another entity (every exposed entity has one). */
function refField(entity: ExposedEntity): [string, ExposedEntity] {
  const ref = Object.entries(entities[entity].references)[0];
  if (!ref) throw new Error(`${entity} references nothing: give the matrix another way to point at B`);
  return ref;
}

describe.each(exposedEntityNames)("%s", (entity) => {
  describe.each(tenantRoles)("as %s of A", (role) => {
    const u = () => users[role];
    const base = `/api/data/entity/${entity}`;
    /** The one right status for this role: `allowed` when the permission table grants the action, else 403. */
    const expected = (action: Action, allowed: number) => (can(role, entity, action) ? allowed : 403);
    const inA = (body?: unknown) => ({ token: u().token, tenant: A.subdomain, body });

    it("list returns no row of B", async () => {
      const res = await call("GET", base, inA());
      expect(res.status).toBe(expected("read", 200));
      if (!can(role, entity, "read")) return;
      const body = await json<ListBody>(res);
      expectNoRowsOfB(body);
      expect(body.data.some((r) => r.id === refsA[entity])).toBe(true);
    });

    it("list filtered on B's id returns nothing", async () => {
      const where = encodeURIComponent(JSON.stringify({ id: refsB[entity] }));
      const res = await call("GET", `${base}?where=${where}`, inA());
      expect(res.status).toBe(expected("read", 200));
      if (can(role, entity, "read")) expect((await json<ListBody>(res)).data).toEqual([]);
    });

    it("list in B's tenant is refused", async () => {
      const res = await call("GET", base, { token: u().token, tenant: B.subdomain });
      expect(res.status).toBe(403);
    });

    it("get of B's row is not found", async () => {
      const res = await call("GET", `${base}/${refsB[entity]}`, inA());
      expect(res.status).toBe(expected("read", 404));
    });

    it("documented alias GET /api/data/:entity/:id of B's row is not found", async () => {
      const res = await call("GET", `/api/data/${entity}/${refsB[entity]}`, inA());
      expect(res.status).toBe(expected("read", 404));
    });

    it("count sees only A", async () => {
      const res = await call("POST", `${base}/fn/count`, inA({}));
      expect(res.status).toBe(expected("read", 200));
      const onB = await call("POST", `${base}/fn/count`, inA({ id: refsB[entity] }));
      expect(onB.status).toBe(expected("read", 200));
      if (!can(role, entity, "read")) return;
      const inTenantA = await db()
        .prepare(`SELECT count(*) AS n FROM ${entity} WHERE tenant_id = ?`)
        .bind(A.id)
        .first<{ n: number }>();
      expect((await json<{ count: number }>(res)).count).toBe(inTenantA?.n);
      expect((await json<{ count: number }>(onB)).count).toBe(0);
    });

    it("exists is false for B's row", async () => {
      const res = await call("POST", `${base}/fn/exists`, inA({ id: refsB[entity] }));
      expect(res.status).toBe(expected("read", 200));
      if (can(role, entity, "read")) expect((await json<{ exists: boolean }>(res)).exists).toBe(false);
    });

    it("relation loading is refused", async () => {
      for (const q of ["with=projects", "join=projects", "with=%7B%22tenant%22%3A%7B%7D%7D"]) {
        const res = await call("GET", `${base}?${q}`, inA());
        expect(res.status, q).toBe(expected("read", 400));
      }
      // not a data route at all, whatever the role
      const byRef = await call("GET", `${base}/${refsA[entity]}/projects`, inA());
      expect(byRef.status).toBe(404);
    });

    it("$or is refused in list, query, count, bulk update and bulk delete", async () => {
      const or = { $or: { id: { $ne: "" } } };
      const reqs: Array<[string, string, unknown, Action]> = [
        ["GET", `${base}?where=${encodeURIComponent(JSON.stringify(or))}`, undefined, "read"],
        ["POST", `${base}/query`, { where: or }, "read"],
        ["POST", `${base}/fn/count`, or, "read"],
        ["PATCH", base, { update: sampleUpdate(entity), where: or }, "update"],
        ["DELETE", base, or, "delete"],
      ];
      for (const [method, path, body, action] of reqs) {
        const res = await call(method, path, inA(body));
        expect(res.status, `${method} ${path}`).toBe(expected(action, 400));
      }
    });

    it("filtering on a joined field is refused", async () => {
      const field = refField(entity)[0];
      const where = encodeURIComponent(JSON.stringify({ [`${field.replace(/_id$/, "")}.tenant_id`]: B.id }));
      const res = await call("GET", `${base}?where=${where}`, inA());
      expect(res.status).toBe(expected("read", 400));
    });

    it("create pointing at B's rows is refused", async () => {
      const [field, target] = refField(entity);
      const body = { ...sampleCreate(entity, refsA), [field]: refsB[target] };
      const before = await db().prepare(`SELECT count(*) AS n FROM ${entity}`).first<{ n: number }>();
      const res = await call("POST", base, inA(body));
      expect(res.status).toBe(expected("create", 422));
      const after = await db().prepare(`SELECT count(*) AS n FROM ${entity}`).first<{ n: number }>();
      expect(after?.n).toBe(before?.n);
    });

    it("create with tenant_id of B is refused", async () => {
      const res = await call("POST", base, inA({ ...sampleCreate(entity, refsA), tenant_id: B.id }));
      expect(res.status).toBe(expected("create", 400));
    });

    it("update cannot move a row into B", async () => {
      const res = await call("PATCH", `${base}/${refsA[entity]}`, inA({ tenant_id: B.id }));
      expect(res.status).toBe(expected("update", 400));
      const put = await call("PUT", `/api/data/${entity}/${refsA[entity]}`, inA({ tenant_id: B.id }));
      expect(put.status).toBe(expected("update", 400));
      const row = await db()
        .prepare(`SELECT tenant_id FROM ${entity} WHERE id = ?`)
        .bind(refsA[entity])
        .first<{ tenant_id: string }>();
      expect(row?.tenant_id).toBe(A.id);
    });

    it("update of B's row is not found", async () => {
      const res = await call("PATCH", `${base}/${refsB[entity]}`, inA(sampleUpdate(entity)));
      expect(res.status).toBe(expected("update", 404));
    });

    it("bulk update reaches no row of B", async () => {
      const res = await call(
        "PATCH",
        base,
        inA({ update: sampleUpdate(entity), where: { id: { $in: [refsB[entity]] } } }),
      );
      expect(res.status).toBe(expected("update", 200));
      if (can(role, entity, "update")) expect(await json(res)).toEqual({ data: [], meta: { items: 0 } });
    });

    it("bulk delete reaches no row of B", async () => {
      const res = await call("DELETE", base, inA({ id: { $in: [refsB[entity]] } }));
      expect(res.status).toBe(expected("delete", 200));
      if (can(role, entity, "delete")) expect(await json(res)).toEqual({ data: [], meta: { items: 0 } });
    });

    it("delete of B's row is not found", async () => {
      const res = await call("DELETE", `${base}/${refsB[entity]}`, inA());
      expect(res.status).toBe(expected("delete", 404));
    });
  });
});

/** Tenant-owned tables the data API does not expose: closed on every route, for every role. */
const closedTables = tenantOwnedTables.filter((t) => !(exposedEntityNames as readonly string[]).includes(t));

describe.each(closedTables)("%s (not exposed)", (table) => {
  it.each(tenantRoles)("is closed to the %s of A on every route", async (role) => {
    const u = users[role];
    const base = `/api/data/entity/${table}`;
    const attempts: Array<[string, string, unknown]> = [
      ["GET", base, undefined],
      ["GET", `${base}/1`, undefined],
      ["POST", `${base}/query`, {}],
      ["POST", `${base}/fn/count`, {}],
      ["POST", `${base}/fn/exists`, {}],
      ["POST", base, { tenant_id: A.id }],
      ["PATCH", base, { update: { tenant_id: B.id }, where: { tenant_id: A.id } }],
      ["DELETE", base, { tenant_id: B.id }],
      ["GET", `/api/data/${table}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, { token: u.token, tenant: A.subdomain, body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});
