import { describe, expect, it } from "vitest";
import { isDomainError } from "../kernel/errors.ts";
import type { AgencyRole } from "../kernel/roles.ts";
import { quantile, readUsage, summarize, type UsagePoint, usageCsv, usageKind } from "./index.ts";

const at = Date.parse("2026-12-01T12:00:00Z");
const point = (p: Partial<UsagePoint>): UsagePoint => ({
  at,
  tenant: "acme",
  route: "/api/app/portal/home",
  method: "GET",
  status: 200,
  ms: 10,
  user: "1",
  kind: "call",
  ...p,
});
const from = new Date(at - 3_600_000);
const to = new Date(at + 3_600_000);

describe("usage figures", () => {
  it("computes each tenant's and the platform's figures from the points in range", () => {
    const points = [
      ...Array.from({ length: 19 }, (_, i) => point({ ms: i + 1, user: String(i % 3) })),
      point({ ms: 500, status: 503 }),
      point({
        tenant: "globex",
        status: 429,
        user: "9",
        kind: "message",
        method: "POST",
        route: "/api/app/portal/messages",
      }),
      point({ tenant: "", user: "" }), // no tenant: the platform's, nobody's
      point({ at: at - 7_200_000 }), // before the range
    ];
    const s = summarize(points, from, to);
    const acme = s.tenants.find((t) => t.tenant === "acme");
    expect(acme).toMatchObject({
      calls: 20,
      errors: 1,
      refused: 0,
      error_rate: 0.05,
      active_users: 3,
      p50_ms: 10,
      p95_ms: 19,
    });
    expect(s.tenants.find((t) => t.tenant === "globex")).toMatchObject({ calls: 1, refused: 1, messages: 1 });
    expect(s.tenants.map((t) => t.tenant)).toEqual(["acme", "globex"]);
    expect(s.platform).toMatchObject({ calls: 22, errors: 1, active_tenants: 2, messages: 1 });
    expect(s.slowest_routes[0]).toMatchObject({ method: "GET", route: "/api/app/portal/home" });
  });

  it("takes quantiles by nearest rank", () => {
    expect(quantile([], 0.5)).toBe(0);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
  });

  it("classifies downloads and messages by route and method", () => {
    expect(usageKind("POST", "/api/app/portal/downloads")).toBe("download");
    expect(usageKind("POST", "/api/app/portal/messages")).toBe("message");
    expect(usageKind("GET", "/api/app/portal/messages")).toBe("call");
  });

  it("writes CSV with the platform's row last, and no spreadsheet formula", () => {
    const s = summarize([point({ tenant: "=cmd" }), point({})], from, to);
    const rows = usageCsv(s).trimEnd().split("\r\n");
    expect(rows[0]?.startsWith("tenant,calls,errors")).toBe(true);
    expect(rows.some((r) => r.startsWith("'=cmd,"))).toBe(true);
    expect(rows.at(-1)?.startsWith("(platform),2,")).toBe(true);
  });

  it("is read by agency admins only, over 1 to 90 days", async () => {
    const store = { record: () => {}, summary: async (f: Date, t: Date) => summarize([], f, t) };
    const ctx = (role: AgencyRole) => ({
      identity: { id: 1, email: "a@b.test", name: null, role, locale: "fr" as const },
      now: () => to,
    });
    const s = await readUsage({ ctx: ctx("admin"), input: { days: "2" }, store });
    expect(Date.parse(s.to) - Date.parse(s.from)).toBe(2 * 86_400_000);
    for (const role of ["staff", "member"] as const)
      await expect(readUsage({ ctx: ctx(role), input: {}, store })).rejects.toSatisfy(
        (e) => isDomainError(e) && e.code === "FORBIDDEN",
      );
    await expect(readUsage({ ctx: ctx("admin"), input: { days: 0 }, store })).rejects.toSatisfy(
      (e) => isDomainError(e) && e.code === "VALIDATION",
    );
  });
});
