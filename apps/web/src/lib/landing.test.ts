import type { Viewer } from "@fataplus/domain/vocabulary";
import { describe, expect, it } from "vitest";
import { landingFor, safeNext } from "./landing";
import { tenantOrigin } from "./tenant-host";

const me = (role: string, tenants: Array<[string, string, string?]> = []): Viewer => ({
  user: { role },
  tenants: tenants.map(([subdomain, r, kind]) => ({
    id: `FP-${subdomain}`,
    name: subdomain,
    subdomain,
    role: r,
    kind: kind ?? "project",
  })),
});

describe("landing after sign-in", () => {
  it("sends agency staff and admins to the CRM", () => {
    expect(landingFor(me("staff"), null, null)).toEqual({ kind: "path", path: "/crm" });
    expect(landingFor(me("admin"), null, "/crm/leads")).toEqual({ kind: "path", path: "/crm/leads" });
  });

  it("sends a project manager to the CRM and a client to their portal", () => {
    expect(landingFor(me("member", [["acme", "project_manager"]]), null, null)).toEqual({
      kind: "path",
      path: "/crm",
    });
    expect(landingFor(me("member", [["acme", "client"]]), null, null)).toEqual({
      kind: "portal",
      subdomain: "acme",
    });
    expect(landingFor(me("member"), null, null)).toEqual({ kind: "nothing" });
  });

  it("sends a bootcamp learner to their courses", () => {
    expect(landingFor(me("member", [["bootcamp", "client", "agency"]]), null, null)).toEqual({
      kind: "path",
      path: "/bootcamp/learn",
    });
  });

  it("follows a safe next on the main site, but never sends a client into the CRM", () => {
    const client = me("member", [["acme", "client"]]);
    expect(landingFor(client, null, "/invitation?token=abc")).toEqual({
      kind: "path",
      path: "/invitation?token=abc",
    });
    expect(landingFor(client, null, "/crm/clients")).toEqual({ kind: "portal", subdomain: "acme" });
    expect(landingFor(me("staff"), null, "/en/services/")).toEqual({ kind: "path", path: "/en/services/" });
  });

  it("stays on the project's subdomain, honouring a safe next only", () => {
    expect(landingFor(me("member", [["acme", "client"]]), "acme", "/documents")).toEqual({
      kind: "path",
      path: "/documents",
    });
    expect(landingFor(me("member", [["acme", "client"]]), "acme", "https://evil.test")).toEqual({
      kind: "path",
      path: "/",
    });
  });

  it("refuses next targets that leave the site", () => {
    for (const bad of [
      "//evil.test",
      "https://evil.test",
      "/\\evil.test",
      "javascript:alert(1)",
      "crm",
      "/a\nb",
    ])
      expect(safeNext(bad)).toBeNull();
    expect(safeNext("/crm/clients?q=a")).toBe("/crm/clients?q=a");
  });
});

describe("tenantOrigin", () => {
  it("builds a project's origin from the main site or from another project", () => {
    expect(tenantOrigin("http://localhost:4321/login", null, "acme")).toBe("http://acme.localhost:4321");
    expect(tenantOrigin("https://globex.fata.plus/login", "globex", "acme")).toBe("https://acme.fata.plus");
    expect(() => tenantOrigin("https://fata.plus/", null, "bad host")).toThrow();
  });
});
