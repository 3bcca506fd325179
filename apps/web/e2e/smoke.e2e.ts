import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { tenantUrl, WEB_URL } from "./stack.ts";

/**
 * Smoke test of the running stack: web worker (astro dev or wrangler) in front of the API worker.
 * WEB_URL must use a host name (not an IP) so that tenant subdomains can be derived from it:
 * http://localhost:4321 → http://acme.localhost:4321 (Chromium resolves *.localhost to loopback).
 */
const context = useBrowserContext();

async function open(url: string): Promise<{ page: Page; status: number | undefined }> {
  const page = await context().newPage();
  const response = await page.goto(url, { waitUntil: "domcontentloaded" });
  return { page, status: response?.status() };
}

describe("marketing site", () => {
  it("renders the French home page with the API connected", async () => {
    const { page, status } = await open(new URL("/", WEB_URL).href);
    expect(status).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.locator("main h1").textContent()).toBeTruthy();
    const badge = page.getByTestId("api-status");
    expect(await badge.getAttribute("data-state")).toBe("connected");
    expect(await badge.textContent()).toContain("connectée");
    await page.close();
  });

  it("renders the English home page under /en/", async () => {
    const { page, status } = await open(new URL("/en/", WEB_URL).href);
    expect(status).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    const badge = page.getByTestId("api-status");
    expect(await badge.getAttribute("data-state")).toBe("connected");
    expect(await badge.textContent()).toContain("connected");
    await page.close();
  });

  it("answers 404 for an unknown page", async () => {
    const { page, status } = await open(new URL("/cette-page-n-existe-pas", WEB_URL).href);
    expect(status).toBe(404);
    await page.close();
  });

  it("ignores a tenant header sent by the browser", async () => {
    const { page } = await open(new URL("/", WEB_URL).href);
    const result = await page.evaluate(async () => {
      const response = await fetch("/api/public/tenant", { headers: { "x-fataplus-tenant": "acme" } });
      const body: unknown = await response.json().catch(() => null);
      return { status: response.status, body };
    });
    expect(result.body).not.toMatchObject({ tenant: { subdomain: "acme" } });
    await page.close();
  });
});

describe("client portal", () => {
  it("asks a visitor on acme's subdomain to sign in", async () => {
    const { page, status } = await open(tenantUrl("acme"));
    expect(status).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.locator("main h1").textContent()).toMatch(/connexion/i);
    await page.close();
  });

  it("proxies /api calls from the browser with the subdomain's tenant", async () => {
    const { page } = await open(tenantUrl("acme"));
    const result = await page.evaluate(async () => {
      const response = await fetch("/api/public/tenant", {
        headers: { "x-fataplus-tenant": "someone-else" },
      });
      return { status: response.status, body: (await response.json()) as unknown };
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ tenant: { subdomain: "acme" } });
    await page.close();
  });

  it("shows the unknown-project page with a 404 on an unknown subdomain", async () => {
    const { page, status } = await open(tenantUrl("nope"));
    expect(status).toBe(404);
    expect(await page.getByTestId("unknown-project").isVisible()).toBe(true);
    expect(await page.locator("main h1").textContent()).toContain("Projet inconnu");
    await page.close();
  });
});
