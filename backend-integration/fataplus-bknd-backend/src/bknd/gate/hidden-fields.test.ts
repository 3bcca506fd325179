/**
 * Fields hidden from a role (packages/domain/src/kernel/roles.ts `hiddenFields`: clients and partners see no money)
 * through the
 * data API: not in any answer, and not usable to filter, sort or select — so not inferable either.
 */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  db,
  json,
  makeTenant,
  makeUser,
  type Refs,
  seedTenantData,
  type TestUser,
} from "../../../test/factories.ts";

let A: TenantRef;
let refs: Refs;
let client: TestUser;
let partner: TestUser;
let pm: TestUser;

beforeAll(async () => {
  A = await makeTenant("Hidden");
  refs = await seedTenantData(A);
  await db()
    .prepare("UPDATE projects SET budget_cents = 654321, estimate_cents = 123456 WHERE id = ?")
    .bind(refs.projects)
    .run();
  client = await makeUser({ memberships: [[A, "client"]] });
  partner = await makeUser({ memberships: [[A, "partner"]] });
  pm = await makeUser({ memberships: [[A, "project_manager"]] });
});

const get = (user: TestUser, path: string) => call("GET", path, { token: user.token, tenant: A.subdomain });

describe.each(["client", "partner"] as const)("a %s reading projects", (role) => {
  const reader = () => (role === "client" ? client : partner);
  it("never receives the budget or the estimate", async () => {
    for (const res of [
      await get(reader(), "/api/data/entity/projects"),
      await get(reader(), `/api/data/entity/projects/${refs.projects}`),
      await call("POST", "/api/data/entity/projects/query", {
        token: reader().token,
        tenant: A.subdomain,
        body: {},
      }),
    ]) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(refs.projects);
      expect(text).not.toMatch(/budget_cents|estimate_cents|654321|123456/);
    }
  });

  it("cannot filter, sort or select on them (no inference)", async () => {
    const where = encodeURIComponent(JSON.stringify({ budget_cents: { $gt: 600000 } }));
    for (const path of [
      `/api/data/entity/projects?where=${where}`,
      "/api/data/entity/projects?sort=-budget_cents",
      "/api/data/entity/projects?select=id,estimate_cents",
      `/api/data/entity/projects/${refs.projects}?select=budget_cents`,
    ]) {
      const res = await get(reader(), path);
      expect(res.status, path).toBe(400);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe("BAD_QUERY");
    }
    const counted = await call("POST", "/api/data/entity/projects/fn/count", {
      token: reader().token,
      tenant: A.subdomain,
      body: { estimate_cents: 123456 },
    });
    expect(counted.status).toBe(400);
  });

  it("while the project manager sees them", async () => {
    const text = await (await get(pm, `/api/data/entity/projects/${refs.projects}`)).text();
    expect(text).toContain("654321");
    expect((await get(pm, "/api/data/entity/projects?sort=-budget_cents")).status).toBe(200);
  });
});
