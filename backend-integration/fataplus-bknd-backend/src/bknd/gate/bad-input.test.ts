/**
 * Bad input to any route gives a 4xx with a readable JSON error, never a 5xx or a stack trace, and changes
 * nothing.
 */
import { exposedEntityNames, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  makeTenant,
  makeUser,
  type Refs,
  sampleUpdate,
  seedTenantData,
  snapshotTenant,
  type TestUser,
} from "../../../test/factories.ts";

let A: TenantRef;
let refs: Refs;
let admin: TestUser;

beforeAll(async () => {
  A = await makeTenant("Bad input");
  refs = await seedTenantData(A);
  admin = await makeUser({ memberships: [[A, "admin"]] });
});

async function expectReadable4xx(res: Response) {
  expect(res.status, `status ${res.status}`).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const text = await res.text();
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(text).not.toMatch(/\bat\s+\S+\s+\(|\.ts:\d+|D1_ERROR|SQLITE/);
}

const badBodies: Array<[string, string]> = [
  ["not JSON", "{not json"],
  ["a string", '"hello"'],
  ["a number", "42"],
  ["null", "null"],
  ["unknown field", '{"nope": 1}'],
  ["wrong types", '{"name": 5, "title": ["x"], "status": {"$ne": 1}}'],
  ["relation operators", '{"project_id": {"$set": "x"}, "client_id": {"$attach": ["x"]}}'],
  ["a huge string", JSON.stringify({ name: "x".repeat(20_000), title: "x".repeat(20_000) })],
  ["an empty array", "[]"],
];

describe.each(exposedEntityNames)("bad input on %s", (entity) => {
  const base = `/api/data/entity/${entity}`;

  it.each(badBodies)("create with %s", async (_, raw) => {
    const before = await snapshotTenant(A.id);
    await expectReadable4xx(
      await call("POST", base, {
        token: admin.token,
        tenant: A.subdomain,
        rawBody: raw,
        headers: { "content-type": "application/json" },
      }),
    );
    expect(await snapshotTenant(A.id)).toBe(before);
  });

  it.each(badBodies.filter(([n]) => n !== "an empty array"))("update with %s", async (_, raw) => {
    const before = await snapshotTenant(A.id);
    await expectReadable4xx(
      await call("PATCH", `${base}/${refs[entity]}`, {
        token: admin.token,
        tenant: A.subdomain,
        rawBody: raw,
      }),
    );
    expect(await snapshotTenant(A.id)).toBe(before);
  });

  it.each([
    ["where not JSON", "where=%7Bnope"],
    ["where an array", "where=%5B1%2C2%5D"],
    ["unknown field", `where=${encodeURIComponent('{"nope":1}')}`],
    ["unknown operator", `where=${encodeURIComponent('{"id":{"$regex":".*"}}')}`],
    [
      "$in too long",
      `where=${encodeURIComponent(JSON.stringify({ id: { $in: Array.from({ length: 101 }, (_, i) => String(i)) } }))}`,
    ],
    ["negative limit", "limit=-1"],
    ["limit not a number", "limit=lots"],
    ["offset a float", "offset=1.5"],
    ["unknown sort field", "sort=-nope"],
    ["unknown select field", "select=id,password"],
    ["unknown parameter", "debug=1"],
  ])("list with %s", async (_, query) => {
    await expectReadable4xx(
      await call("GET", `${base}?${query}`, { token: admin.token, tenant: A.subdomain }),
    );
  });

  it("bulk update without where, or with extra keys", async () => {
    const before = await snapshotTenant(A.id);
    await expectReadable4xx(
      await call("PATCH", base, { token: admin.token, tenant: A.subdomain, body: { update: {} } }),
    );
    await expectReadable4xx(
      await call("PATCH", base, {
        token: admin.token,
        tenant: A.subdomain,
        body: { update: { x: 1 }, where: {}, extra: 1 },
      }),
    );
    expect(await snapshotTenant(A.id)).toBe(before);
  });

  it("range operators compare numbers: a string range is a readable 400 on every route (bknd answered 500)", async () => {
    const before = await snapshotTenant(A.id);
    const opts = { token: admin.token, tenant: A.subdomain };
    for (const where of [
      { created_at: { $gte: "2026-01-01" } },
      { updated_at: { $lt: "2027-01-01" } },
      { id: { $between: ["a", "z"] } },
      { created_at: { $between: [1, 2], $lte: 3 } },
    ]) {
      const label = JSON.stringify(where);
      for (const res of [
        await call("GET", `${base}?where=${encodeURIComponent(label)}`, opts),
        await call("POST", `${base}/query`, { ...opts, body: { where } }),
        await call("POST", `${base}/fn/count`, { ...opts, body: where }),
        await call("PATCH", base, { ...opts, body: { update: sampleUpdate(entity), where } }),
        await call("DELETE", base, { ...opts, body: where }),
      ]) {
        expect(res.status, label).toBe(400);
        await expectReadable4xx(res);
      }
    }
    // $between of numbers is $gte and $lte, which bknd's reads can build (its own BETWEEN answered 500)
    const count = await call("POST", `${base}/fn/count`, {
      ...opts,
      body: { id: { $eq: refs[entity] }, created_at: { $between: [0, 1] } },
    });
    expect(count.status).toBe(200);
    expect(await count.json()).toEqual({ entity, count: 0 });
    expect(await snapshotTenant(A.id)).toBe(before);
  });

  it("an id that cannot exist", async () => {
    await expectReadable4xx(
      await call("GET", `${base}/does-not-exist`, { token: admin.token, tenant: A.subdomain }),
    );
    await expectReadable4xx(
      await call("GET", `${base}/${"x".repeat(80)}`, { token: admin.token, tenant: A.subdomain }),
    );
  });
});

describe("bad input elsewhere", () => {
  it.each([
    ["login without body", "POST", "/api/auth/login", undefined],
    ["login with a bad email", "POST", "/api/auth/login", '{"email":"nope","password":"x"}'],
    [
      "login with extra fields",
      "POST",
      "/api/auth/login",
      '{"email":"a@b.co","password":"x","role":"admin"}',
    ],
    ["login not JSON", "POST", "/api/auth/login", "email=a@b.co"],
    ["accept a junk invitation", "POST", "/api/auth/invitations/accept", '{"token":"short","password":"x"}'],
    [
      "accept an unknown invitation",
      "POST",
      "/api/auth/invitations/accept",
      JSON.stringify({ token: "x".repeat(43), password: "a-long-enough-password" }),
    ],
    ["an unknown tenant", "GET", "/api/public/tenant?tenant=%00%00", undefined],
  ])("%s", async (_, method, path, raw) => {
    await expectReadable4xx(
      await call(
        method,
        path,
        raw === undefined ? {} : { rawBody: raw, headers: { "content-type": "application/json" } },
      ),
    );
  });

  it("a tenant that does not exist, or an archived one", async () => {
    await expectReadable4xx(
      await call("GET", "/api/data/entity/tasks", { token: admin.token, tenant: "no-such-tenant" }),
    );
    await expectReadable4xx(
      await call("GET", "/api/data/entity/tasks", { token: admin.token, tenant: "FP-2026-AAAAAAAAA" }),
    );
  });

  it("a database refusal becomes a readable 409, not bknd's 500", async () => {
    // Deleting an organisation that a contact still belongs to breaks the composite foreign key in SQLite.
    const org = await call("POST", "/api/data/entity/clients", {
      token: admin.token,
      tenant: A.subdomain,
      body: { name: "Parent org" },
    });
    const orgId = ((await org.json()) as { data: { id: string } }).data.id;
    const contact = await call("POST", "/api/data/entity/clients", {
      token: admin.token,
      tenant: A.subdomain,
      body: { name: "A contact", kind: "contact", organization_id: orgId },
    });
    expect(contact.status).toBe(201);
    const res = await call("DELETE", `/api/data/entity/clients/${orgId}`, {
      token: admin.token,
      tenant: A.subdomain,
    });
    expect(res.status).toBe(409);
    await expectReadable4xx(res.clone());
    const still = await call("GET", `/api/data/entity/clients/${orgId}`, {
      token: admin.token,
      tenant: A.subdomain,
    });
    expect(still.status).toBe(200);
  });
});
