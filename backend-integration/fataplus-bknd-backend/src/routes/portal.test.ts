import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, makeTenant, makeUser, seedTenantData, type TestUser } from "../../test/factories.ts";

let A: TenantRef;
let B: TenantRef;
let clientA: TestUser;
let pmA: TestUser;

beforeAll(async () => {
  A = await makeTenant("Portal A");
  B = await makeTenant("Portal B");
  await seedTenantData(A);
  await seedTenantData(B);
  clientA = await makeUser({ memberships: [[A, "client"]] });
  pmA = await makeUser({ memberships: [[A, "project_manager"]] });
});

type Home = { tenant: TenantRef; projects: Array<Record<string, unknown>> };

describe("portal home", () => {
  it("shows a client the project's status, phase and progress, without money", async () => {
    const res = await call("GET", "/api/app/portal/home", { token: clientA.token, tenant: A.subdomain });
    expect(res.status).toBe(200);
    const home = await json<Home>(res);
    expect(home.tenant.id).toBe(A.id);
    expect(home.projects).toHaveLength(1);
    expect(home.projects[0]).toMatchObject({
      status: "planned",
      phase: "discovery",
      tasks_total: 1,
      tasks_done: 0,
    });
    expect(home.projects[0]).not.toHaveProperty("budget_cents");
  });

  it("shows project managers the budget", async () => {
    const home = await json<Home>(
      await call("GET", "/api/app/portal/home", { token: pmA.token, tenant: A.subdomain }),
    );
    expect(home.projects[0]).toHaveProperty("budget_cents");
  });

  it("refuses another project's members and anonymous callers", async () => {
    expect(
      (await call("GET", "/api/app/portal/home", { token: clientA.token, tenant: B.subdomain })).status,
    ).toBe(403);
    expect((await call("GET", "/api/app/portal/home", { tenant: A.subdomain })).status).toBe(401);
  });
});
