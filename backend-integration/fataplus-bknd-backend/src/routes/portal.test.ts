import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, scenario, type TestUser } from "../../test/factories.ts";

let A: TenantRef;
let B: TenantRef;
let clientA: TestUser;
let pmA: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Portal A", B: "Portal B" },
    seed: true,
    roles: ["client", "project_manager"],
  });
  ({ A, B } = s.tenants);
  ({ client: clientA, project_manager: pmA } = s.members.A);
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
