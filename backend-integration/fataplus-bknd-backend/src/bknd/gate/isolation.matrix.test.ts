/**
 * The cross-tenant isolation matrix. Generated from the domain's list of exposed entities and from every
 * tenant role, so that a new entity or role cannot skip it. Two tenants A and B; users of A try every way
 * to reach B's rows, and each attempt must yield zero rows of B and change nothing of B.
 */
import {
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

/** A field of the entity that references another entity, or null. */
const refField = (entity: ExposedEntity) => Object.entries(entities[entity].references)[0] ?? null;

describe.each(exposedEntityNames)("%s", (entity) => {
  describe.each(tenantRoles)("as %s of A", (role) => {
    const u = () => users[role];
    const base = `/api/data/entity/${entity}`;

    it("list returns no row of B", async () => {
      const res = await call("GET", base, { token: u().token, tenant: A.subdomain });
      expect([200, 403]).toContain(res.status);
      if (res.status === 200) {
        const body = await json<ListBody>(res);
        expectNoRowsOfB(body);
        expect(body.data.some((r) => r.id === refsA[entity])).toBe(true);
      }
    });

    it("list filtered on B's id returns nothing", async () => {
      const where = encodeURIComponent(JSON.stringify({ id: refsB[entity] }));
      const res = await call("GET", `${base}?where=${where}`, { token: u().token, tenant: A.subdomain });
      expect([200, 403]).toContain(res.status);
      if (res.status === 200) expect((await json<ListBody>(res)).data).toEqual([]);
    });

    it("list in B's tenant is refused", async () => {
      const res = await call("GET", base, { token: u().token, tenant: B.subdomain });
      expect(res.status).toBe(403);
    });

    it("get of B's row is not found", async () => {
      const res = await call("GET", `${base}/${refsB[entity]}`, { token: u().token, tenant: A.subdomain });
      expect([403, 404]).toContain(res.status);
    });

    it("documented alias GET /api/data/:entity/:id of B's row is not found", async () => {
      const res = await call("GET", `/api/data/${entity}/${refsB[entity]}`, {
        token: u().token,
        tenant: A.subdomain,
      });
      expect([403, 404]).toContain(res.status);
    });

    it("count sees only A", async () => {
      const res = await call("POST", `${base}/fn/count`, { token: u().token, tenant: A.subdomain, body: {} });
      expect([200, 403]).toContain(res.status);
      if (res.status === 200) {
        const expected = await db()
          .prepare(`SELECT count(*) AS n FROM ${entity} WHERE tenant_id = ?`)
          .bind(A.id)
          .first<{ n: number }>();
        expect((await json<{ count: number }>(res)).count).toBe(expected?.n);
      }
      const onB = await call("POST", `${base}/fn/count`, {
        token: u().token,
        tenant: A.subdomain,
        body: { id: refsB[entity] },
      });
      if (onB.status === 200) expect((await json<{ count: number }>(onB)).count).toBe(0);
    });

    it("exists is false for B's row", async () => {
      const res = await call("POST", `${base}/fn/exists`, {
        token: u().token,
        tenant: A.subdomain,
        body: { id: refsB[entity] },
      });
      expect([200, 403]).toContain(res.status);
      if (res.status === 200) expect((await json<{ exists: boolean }>(res)).exists).toBe(false);
    });

    it("relation loading is refused", async () => {
      for (const q of ["with=projects", "join=projects", "with=%7B%22tenant%22%3A%7B%7D%7D"]) {
        const res = await call("GET", `${base}?${q}`, { token: u().token, tenant: A.subdomain });
        expect([400, 403]).toContain(res.status);
      }
      const byRef = await call("GET", `${base}/${refsA[entity]}/projects`, {
        token: u().token,
        tenant: A.subdomain,
      });
      expect([403, 404]).toContain(byRef.status);
    });

    it("$or is refused in list, query, count, bulk update and bulk delete", async () => {
      const or = { $or: { id: { $ne: "" } } };
      const reqs: Array<[string, string, unknown]> = [
        ["POST", `${base}/query`, { where: or }],
        ["POST", `${base}/fn/count`, or],
        ["PATCH", base, { update: sampleUpdate[entity](), where: or }],
        ["DELETE", base, or],
      ];
      const list = await call("GET", `${base}?where=${encodeURIComponent(JSON.stringify(or))}`, {
        token: u().token,
        tenant: A.subdomain,
      });
      expect([400, 403]).toContain(list.status);
      for (const [method, path, body] of reqs) {
        const res = await call(method, path, { token: u().token, tenant: A.subdomain, body });
        expect([400, 403]).toContain(res.status);
      }
    });

    it("filtering on a joined field is refused", async () => {
      const field = refField(entity)?.[0] ?? "id";
      const where = encodeURIComponent(JSON.stringify({ [`${field.replace(/_id$/, "")}.tenant_id`]: B.id }));
      const res = await call("GET", `${base}?where=${where}`, { token: u().token, tenant: A.subdomain });
      expect([400, 403]).toContain(res.status);
    });

    it("create pointing at B's rows is refused", async () => {
      const ref = refField(entity);
      const body = { ...sampleCreate[entity](refsA), ...(ref ? { [ref[0]]: refsB[ref[1]] } : {}) };
      const before = await db().prepare(`SELECT count(*) AS n FROM ${entity}`).first<{ n: number }>();
      const res = await call("POST", base, { token: u().token, tenant: A.subdomain, body });
      if (ref) {
        expect([403, 422]).toContain(res.status);
        const after = await db().prepare(`SELECT count(*) AS n FROM ${entity}`).first<{ n: number }>();
        expect(after?.n).toBe(before?.n);
      } else {
        // nothing to point at: a create in A is either allowed and lands in A, or refused for the role
        expect([201, 200, 403]).toContain(res.status);
      }
    });

    it("create with tenant_id of B is refused", async () => {
      const res = await call("POST", base, {
        token: u().token,
        tenant: A.subdomain,
        body: { ...sampleCreate[entity](refsA), tenant_id: B.id },
      });
      expect([400, 403]).toContain(res.status);
    });

    it("update cannot move a row into B", async () => {
      const res = await call("PATCH", `${base}/${refsA[entity]}`, {
        token: u().token,
        tenant: A.subdomain,
        body: { tenant_id: B.id },
      });
      expect([400, 403]).toContain(res.status);
      const row = await db()
        .prepare(`SELECT tenant_id FROM ${entity} WHERE id = ?`)
        .bind(refsA[entity])
        .first<{ tenant_id: string }>();
      expect(row?.tenant_id).toBe(A.id);
      const put = await call("PUT", `/api/data/${entity}/${refsA[entity]}`, {
        token: u().token,
        tenant: A.subdomain,
        body: { tenant_id: B.id },
      });
      expect([400, 403]).toContain(put.status);
    });

    it("update of B's row is not found", async () => {
      const res = await call("PATCH", `${base}/${refsB[entity]}`, {
        token: u().token,
        tenant: A.subdomain,
        body: sampleUpdate[entity](),
      });
      expect([403, 404]).toContain(res.status);
    });

    it("bulk update reaches no row of B", async () => {
      const res = await call("PATCH", base, {
        token: u().token,
        tenant: A.subdomain,
        body: { update: sampleUpdate[entity](), where: { id: { $in: [refsB[entity]] } } },
      });
      expect([200, 403]).toContain(res.status);
    });

    it("bulk delete reaches no row of B", async () => {
      const res = await call("DELETE", base, {
        token: u().token,
        tenant: A.subdomain,
        body: { id: { $in: [refsB[entity]] } },
      });
      expect([200, 403]).toContain(res.status);
    });

    it("delete of B's row is not found", async () => {
      const res = await call("DELETE", `${base}/${refsB[entity]}`, { token: u().token, tenant: A.subdomain });
      expect([403, 404]).toContain(res.status);
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
