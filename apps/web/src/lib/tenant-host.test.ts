import { RESERVED_SUBDOMAINS } from "@fataplus/domain/vocabulary";
import { describe, expect, it } from "vitest";
import { marketingOrigin, normalizeHost, rootDomainsFrom, tenantFromHost } from "./tenant-host";

const roots = rootDomainsFrom("fata.plus");

describe("tenantFromHost", () => {
  it.each([
    ["acme.localhost:4321", "acme"],
    ["acme.localhost", "acme"],
    ["acme.fata.plus", "acme"],
    ["ACME.Fata.Plus", "acme"],
    ["acme.fata.plus.", "acme"],
    ["acme.fata.plus:443", "acme"],
    ["client-42.fata.plus", "client-42"],
    ["fp-2026-x7k9m3p1a.localhost:4321", "fp-2026-x7k9m3p1a"],
  ])("%s → %s", (host, expected) => {
    expect(tenantFromHost(host, roots)).toBe(expected);
  });

  it.each([
    "localhost:4321",
    "localhost",
    "fata.plus",
    "www.fata.plus",
    "www.localhost:4321",
    "api.fata.plus",
    "bknd.fata.plus",
    "admin.localhost:4321",
    "bootcamp.fata.plus",
    "static.fata.plus",
    "127.0.0.1:4321",
    "[::1]:4321",
    "example.com",
    "acme.example.com",
    "fataplus-web.example.workers.dev",
    "a.b.fata.plus",
    "-acme.fata.plus",
    "acme-.fata.plus",
    "ac_me.fata.plus",
    "evilfata.plus",
    "acme.fata.plus:notaport",
    ".fata.plus",
    "",
  ])("%s → no tenant", (host) => {
    expect(tenantFromHost(host, roots)).toBeNull();
  });

  it("never reads a name that no tenant may take (the domain's reserved subdomains) as a tenant", () => {
    expect(RESERVED_SUBDOMAINS.length).toBeGreaterThan(1);
    for (const name of RESERVED_SUBDOMAINS) {
      expect(tenantFromHost(`${name}.fata.plus`, roots), name).toBeNull();
      expect(tenantFromHost(`${name}.localhost:4321`, roots), name).toBeNull();
    }
  });

  it("handles a missing Host header", () => {
    expect(tenantFromHost(null, roots)).toBeNull();
    expect(tenantFromHost(undefined, roots)).toBeNull();
  });

  it("rejects labels longer than 63 characters", () => {
    expect(tenantFromHost(`${"a".repeat(63)}.fata.plus`, roots)).toBe("a".repeat(63));
    expect(tenantFromHost(`${"a".repeat(64)}.fata.plus`, roots)).toBeNull();
  });
});

describe("rootDomainsFrom", () => {
  it("always adds localhost", () => {
    expect(rootDomainsFrom("fata.plus")).toEqual(["fata.plus", "localhost"]);
    expect(rootDomainsFrom(undefined)).toEqual(["localhost"]);
    expect(rootDomainsFrom("localhost")).toEqual(["localhost"]);
  });

  it("accepts a comma-separated list and normalises it", () => {
    expect(rootDomainsFrom(" Fata.Plus , staging.fata.plus ")).toEqual([
      "fata.plus",
      "staging.fata.plus",
      "localhost",
    ]);
  });
});

describe("tenantFromHost with several root domains", () => {
  const several = rootDomainsFrom("fata.plus,staging.fata.plus");
  it("matches the most specific root domain", () => {
    expect(tenantFromHost("acme.staging.fata.plus", several)).toBe("acme");
    expect(tenantFromHost("acme.fata.plus", several)).toBe("acme");
    expect(tenantFromHost("staging.fata.plus", several)).toBeNull();
  });
});

describe("normalizeHost", () => {
  it("lowercases and strips the port and trailing dot", () => {
    expect(normalizeHost("Acme.Localhost:4321")).toBe("acme.localhost");
    expect(normalizeHost("fata.plus.")).toBe("fata.plus");
    expect(normalizeHost("  ")).toBeNull();
  });
});

describe("marketingOrigin", () => {
  it("drops the tenant label and keeps scheme and port", () => {
    expect(marketingOrigin("http://acme.localhost:4321/en/?x=1", "acme")).toBe("http://localhost:4321");
    expect(marketingOrigin("https://acme.fata.plus/", "acme")).toBe("https://fata.plus");
  });
});
