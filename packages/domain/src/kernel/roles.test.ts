import { describe, expect, it } from "vitest";
import {
  can,
  effectiveTenantRole,
  entityGrants,
  hasCapability,
  hiddenFieldsFor,
  managedRoles,
  tenantRoles,
} from "./roles.ts";

describe("permission table", () => {
  it("lets a client read the project and its tasks but edit nothing", () => {
    expect(can("client", "projects", "read")).toBe(true);
    expect(can("client", "tasks", "read")).toBe(true);
    for (const entity of Object.keys(entityGrants) as Array<keyof typeof entityGrants>) {
      for (const action of ["create", "update", "delete"] as const)
        expect(can("client", entity, action)).toBe(false);
    }
    expect(can("client", "leads", "read")).toBe(false);
    expect(can("client", "clients", "read")).toBe(false);
    expect(hasCapability("client", "members.manage")).toBe(false);
    expect(hasCapability("client", "documents.read_internal")).toBe(false);
    expect(hasCapability("client", "messages.send")).toBe(true);
    expect(hasCapability("client", "files.upload_requested")).toBe(true);
  });

  it("lets project managers edit the project but not create or delete it", () => {
    expect(can("project_manager", "projects", "update")).toBe(true);
    expect(can("project_manager", "projects", "create")).toBe(false);
    expect(can("project_manager", "projects", "delete")).toBe(false);
    // Since decision 026 they manage the team, within the roles they may grant: clients and partners.
    expect(hasCapability("project_manager", "members.manage")).toBe(true);
    expect(managedRoles("project_manager")).toEqual(["client", "partner"]);
    expect(managedRoles("admin")).toEqual(tenantRoles);
    expect(managedRoles("client")).toEqual([]);
  });

  it("lets a partner read the project, its tasks and its shared documents, and nothing of money or the CRM", () => {
    expect(can("partner", "projects", "read")).toBe(true);
    expect(can("partner", "tasks", "read")).toBe(true);
    for (const entity of Object.keys(entityGrants) as Array<keyof typeof entityGrants>)
      for (const action of ["create", "update", "delete"] as const)
        expect(can("partner", entity, action)).toBe(false);
    for (const entity of ["clients", "leads", "notes"] as const)
      expect(can("partner", entity, "read")).toBe(false);
    expect(hiddenFieldsFor("projects", "partner")).toEqual(["budget_cents", "estimate_cents"]);
    expect(hasCapability("partner", "documents.read_client_facing")).toBe(true);
    expect(hasCapability("partner", "messages.send")).toBe(true);
    for (const c of [
      "members.manage",
      "members.read",
      "audit.read",
      "documents.manage",
      "proposal.read",
      "money.read",
      "money.manage",
    ] as const)
      expect(hasCapability("partner", c)).toBe(false);
    expect(managedRoles("partner")).toEqual([]);
    expect(effectiveTenantRole("member", "partner")).toBe("partner");
    expect(effectiveTenantRole("staff", "partner")).toBe("project_manager");
  });

  it("derives the effective role from the agency role and the membership", () => {
    expect(effectiveTenantRole("member", null)).toBeNull();
    expect(effectiveTenantRole("member", "client")).toBe("client");
    expect(effectiveTenantRole("staff", null)).toBe("project_manager");
    expect(effectiveTenantRole("staff", "admin")).toBe("admin");
    expect(effectiveTenantRole("admin", "client")).toBe("admin");
  });
});
