import { describe, expect, it } from "vitest";
import { agencyRoles, tenantRoles } from "../kernel/roles.ts";
import { asAgencyRole, asTenantRole, managesTenant, mayInvite, opensCrm, runsBootcamp } from "./access.ts";

const viewer = (role: string, tenants: Array<{ subdomain: string; role: string | null }> = []) => ({
  user: { role },
  tenants,
});

describe("roles named by strings", () => {
  it("reads known roles and nothing else", () => {
    expect(asAgencyRole("staff")).toBe("staff");
    expect(asAgencyRole("root")).toBe("member");
    expect(asAgencyRole(null)).toBe("member");
    expect(asTenantRole("project_manager")).toBe("project_manager");
    expect(asTenantRole("owner")).toBeNull();
    expect(asTenantRole(undefined)).toBeNull();
  });

  it("says project managers and admins manage a tenant, clients don't", () => {
    expect(tenantRoles.filter(managesTenant)).toEqual(["project_manager", "admin"]);
    expect(managesTenant("owner")).toBe(false);
  });
});

describe("who opens the CRM", () => {
  it("is the agency's people, whatever their memberships", () => {
    expect(opensCrm(viewer("admin"))).toBe(true);
    expect(opensCrm(viewer("staff"))).toBe(true);
  });

  it("is a member who manages at least one tenant", () => {
    expect(opensCrm(viewer("member", [{ subdomain: "acme", role: "project_manager" }]))).toBe(true);
    expect(
      opensCrm(
        viewer("member", [
          { subdomain: "acme", role: "client" },
          { subdomain: "beta", role: "admin" },
        ]),
      ),
    ).toBe(true);
  });

  it("is never a client, nor someone without a tenant", () => {
    expect(opensCrm(viewer("member", [{ subdomain: "acme", role: "client" }]))).toBe(false);
    expect(opensCrm(viewer("member"))).toBe(false);
    expect(opensCrm({ user: { role: null } })).toBe(false);
  });
});

describe("who may invite", () => {
  it("is a tenant's manager (project manager or admin) who is one of the agency's people (decision 026)", () => {
    const allowed = agencyRoles.flatMap((agency) =>
      tenantRoles.filter((role) => mayInvite(role, agency)).map((role) => `${agency}/${role}`),
    );
    expect(allowed).toEqual(["admin/project_manager", "admin/admin", "staff/project_manager", "staff/admin"]);
    expect(mayInvite(null, "admin")).toBe(false);
  });
});

describe("who runs the bootcamp", () => {
  it("is the agency's people and the bootcamp tenant's admins (bootcamp/access.ts calls them staff)", () => {
    expect(runsBootcamp(viewer("admin"))).toBe(true);
    expect(runsBootcamp(viewer("staff", [{ subdomain: "bootcamp", role: "project_manager" }]))).toBe(true);
    expect(runsBootcamp(viewer("member", [{ subdomain: "bootcamp", role: "admin" }]))).toBe(true);
  });

  it("is not an instructor, a learner, or an admin of another tenant", () => {
    expect(runsBootcamp(viewer("member", [{ subdomain: "bootcamp", role: "project_manager" }]))).toBe(false);
    expect(runsBootcamp(viewer("member", [{ subdomain: "bootcamp", role: "client" }]))).toBe(false);
    expect(runsBootcamp(viewer("member", [{ subdomain: "acme", role: "admin" }]))).toBe(false);
  });
});
