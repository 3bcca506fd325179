import { describe, expect, it } from "vitest";
import { BOOTCAMP_SUBDOMAIN } from "../bootcamp/access.ts";
import { assertPortalTenant, hasPortal } from "./tenant.ts";

describe("which tenants have a project portal", () => {
  it("every tenant but the bootcamp's", () => {
    expect(hasPortal({ subdomain: "acme" })).toBe(true);
    expect(hasPortal({ subdomain: BOOTCAMP_SUBDOMAIN })).toBe(false);
    expect(() => assertPortalTenant({ tenant: { subdomain: "acme" } })).not.toThrow();
    expect(() => assertPortalTenant({ tenant: { subdomain: BOOTCAMP_SUBDOMAIN } })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND", message: "The bootcamp has no project portal." }),
    );
  });
});
