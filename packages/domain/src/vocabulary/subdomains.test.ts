import { describe, expect, it } from "vitest";
import { subdomainSchema } from "../tenants/index.ts";
import { isReservedSubdomain, RESERVED_SUBDOMAINS, subdomainFrom } from "./subdomains.ts";

describe("reserved subdomains", () => {
  it("keeps the marketing site's and the platform's own hosts from tenants", () => {
    for (const name of ["www", "api", "bknd", "admin", "app", "mail", "crm", "bootcamp", "static"]) {
      expect(isReservedSubdomain(name), name).toBe(true);
      expect(subdomainSchema.safeParse(name).success, name).toBe(false);
    }
    expect(RESERVED_SUBDOMAINS).toHaveLength(9);
    expect(isReservedSubdomain("acme")).toBe(false);
    expect(subdomainSchema.safeParse("acme").success).toBe(true);
  });
});

describe("subdomainFrom", () => {
  it.each([
    ["Coopérative Laitière — 2027", "cooperative-laitiere-2027"],
    ["  Ça va ! ", "ca-va"],
    ["--xy--", "xy"],
    ["Arts & Métiers", "arts-et-metiers"],
    ["A", "projet-a"],
    ["!!!", "projet-x"],
    ["WWW", "www-projet"],
    ["Bootcamp", "bootcamp-projet"],
    ["A".repeat(80), "a".repeat(40)],
  ])("%s → %s", (name, sub) => {
    expect(subdomainFrom(name)).toBe(sub);
  });

  it("always suggests a subdomain that provisioning accepts", () => {
    for (const name of [
      "x",
      "—",
      "Très très très très long nom d'organisation vraiment",
      "admin",
      "ÉÉ",
      "a-",
    ]) {
      const sub = subdomainFrom(name);
      expect(subdomainSchema.safeParse(sub).success, `${name} → ${sub}`).toBe(true);
    }
  });
});
