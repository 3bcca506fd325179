/**
 * Security review (issue 14), findings 9 and 11: every answer of the API says it must not be cached, unless a
 * route says otherwise (finding 9), and carries the site's security headers, bknd's admin UI included
 * (finding 11).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, scenario, type TestUser } from "../../test/factories.ts";

let client: TestUser;
let admin: TestUser;
let tenant = "";
let taskId = "";

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    seed: true,
    roles: ["client", "project_manager"],
    users: { admin: { agency: "admin" } },
  });
  client = s.members.A.client;
  admin = s.users.admin;
  tenant = s.tenants.A.subdomain;
  taskId = s.refs.A.tasks;
});

describe("finding 9: data API answers are never cached", () => {
  it("a list, a read, a count, a write, a refusal and an admin's unscoped read all say no-store", async () => {
    const answers = [
      await call("GET", "/api/data/entity/tasks", { token: client.token, tenant }),
      await call("GET", `/api/data/entity/tasks/${taskId}`, { token: client.token, tenant }),
      await call("GET", "/api/data/tasks", { token: client.token, tenant }),
      await call("POST", "/api/data/entity/tasks/fn/count", { token: client.token, tenant, body: {} }),
      await call("POST", "/api/data/entity/tasks/query", { token: client.token, tenant, body: {} }),
      await call("PATCH", `/api/data/entity/tasks/${taskId}`, {
        token: client.token,
        tenant,
        body: { title: "x" },
      }),
      await call("GET", "/api/data/entity/tasks", { token: admin.token }),
      await call("GET", "/api/data/entity/tasks"),
    ];
    for (const res of answers) {
      expect(res.headers.get("cache-control"), `${res.status} ${res.url}`).toBe("no-store");
    }
    expect(answers[0]?.status).toBe(200);
  });

  it("a route that allows caching keeps its own header", async () => {
    const res = await call("GET", "/api/public/bootcamp/catalogue");
    expect(res.headers.get("cache-control") ?? "").not.toBe("no-store");
  });
});
