import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  isCrossOriginWrite,
  STATIC_SECURITY_HEADERS,
  securityHeaders,
  withSecurityHeaders,
} from "./security";

const req = (method: string, headers: Record<string, string> = {}) =>
  new Request("https://acme.fata.plus/api/data/entity/tasks", { method, headers });

describe("cross-origin writes", () => {
  it("refuses a write from another origin, JSON included, and another subdomain too", () => {
    expect(isCrossOriginWrite(req("POST", { origin: "https://evil.test" }))).toBe(true);
    expect(
      isCrossOriginWrite(
        req("PATCH", { origin: "https://globex.fata.plus", "content-type": "application/json" }),
      ),
    ).toBe(true);
    expect(isCrossOriginWrite(req("DELETE", { origin: "null" }))).toBe(true);
    expect(isCrossOriginWrite(req("PUT", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossOriginWrite(req("POST", { "sec-fetch-site": "same-site" }))).toBe(true);
  });

  it("lets same-origin writes, reads and non-browser callers through", () => {
    expect(isCrossOriginWrite(req("POST", { origin: "https://acme.fata.plus" }))).toBe(false);
    expect(isCrossOriginWrite(req("GET", { origin: "https://evil.test" }))).toBe(false);
    expect(isCrossOriginWrite(req("POST", { "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(isCrossOriginWrite(req("POST"))).toBe(false);
  });
});

describe("security headers", () => {
  it("send HSTS over https on a real domain only", () => {
    expect(securityHeaders(new URL("https://fata.plus/"))["strict-transport-security"]).toMatch(
      /max-age=\d+/,
    );
    expect(securityHeaders(new URL("http://localhost:4321/"))["strict-transport-security"]).toBeUndefined();
    expect(securityHeaders(new URL("https://acme.localhost/"))["strict-transport-security"]).toBeUndefined();
  });

  it("let forms post to the site and its project subdomains only", () => {
    const fromRoot = securityHeaders(new URL("http://localhost:4321/login"))["content-security-policy"];
    expect(fromRoot).toContain("form-action 'self' http://localhost:4321 http://*.localhost:4321");
    const fromTenant = securityHeaders(new URL("https://acme.fata.plus/login"), "acme")[
      "content-security-policy"
    ];
    expect(fromTenant).toContain("form-action 'self' https://fata.plus https://*.fata.plus");
    expect(fromTenant).toContain("frame-ancestors 'none'");
  });

  it("public/_headers gives static files the same headers", () => {
    const file = readFileSync(new URL("../../public/_headers", import.meta.url), "utf8");
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
      expect(file.toLowerCase()).toContain(`${name}: ${value}`.toLowerCase());
    }
  });
});

describe("withSecurityHeaders", () => {
  it("keeps the script and style hashes Astro put in the page's CSP header, and adds ours", () => {
    const page = new Response("<p>x</p>", {
      headers: { "content-security-policy": "script-src 'self' 'sha256-abc'; style-src 'self';" },
    });
    const csp = withSecurityHeaders(page, new URL("http://localhost:4321/login")).headers.get(
      "content-security-policy",
    );
    expect(csp).toBe(
      "script-src 'self' 'sha256-abc'; style-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self' http://localhost:4321 http://*.localhost:4321",
    );
  });
});

describe("a WebSocket handshake", () => {
  it("is passed on untouched (a copy would lose the socket)", () => {
    const handshake = { status: 101, headers: new Headers() } as unknown as Response;
    expect(withSecurityHeaders(handshake, new URL("http://acme.localhost:4321/ws/messages"), "acme")).toBe(
      handshake,
    );
  });
});
