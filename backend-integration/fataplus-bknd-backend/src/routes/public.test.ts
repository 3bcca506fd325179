import { describe, expect, it } from "vitest";
import { call, json, makeTenant } from "../../test/factories.ts";

describe("public routes", () => {
  it("answers health", async () => {
    const res = await call("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ok: true, service: "fataplus-bknd" });
  });

  it("shows a tenant's name by subdomain and nothing for an unknown one", async () => {
    const t = await makeTenant("Portal");
    const res = await call("GET", "/api/public/tenant", { tenant: t.subdomain });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ tenant: { id: t.id, name: t.name, subdomain: t.subdomain } });
    const missing = await call("GET", "/api/public/tenant", { tenant: "no-such-project" });
    expect(missing.status).toBe(404);
    expect((await json<{ error: { code: string } }>(missing)).error.code).toBe("NOT_FOUND");
  });
});
