import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";

/**
 * bknd's admin UI on the API worker (API_URL): an agency admin signs in through the real form and sees the
 * entities, with nothing refused by the API's Content-Security-Policy; a client of a project is refused.
 */
const API_URL = process.env.API_URL ?? "http://localhost:8787";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** What the browser refused because of the page's CSP (console errors and securitypolicyviolation events). */
const violations: string[] = [];

async function signIn(email: string) {
  const page = await browser.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && /content security policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${API_URL}/admin/auth/login`);
  const inputs = page.locator("input");
  await inputs.nth(0).waitFor();
  await inputs.nth(0).fill(email);
  await inputs.nth(1).fill("Fataplus-demo-2026!");
  await inputs.nth(1).press("Enter");
  await page.waitForLoadState("networkidle");
  return page;
}

describe("bknd admin UI", () => {
  it("lets the agency admin in and lists the entities", async () => {
    const page = await signIn("admin@fata.plus");
    await expect.poll(() => page.url()).toContain("/admin");
    await page.getByText("Tasks", { exact: true }).first().waitFor({ timeout: 15_000 });
    expect(await page.getByText("Memberships", { exact: true }).count()).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await page.close();
  });

  it("refuses a client of a project", async () => {
    const page = await signIn("client@acme.test");
    const res = await page.goto(`${API_URL}/admin/data`);
    expect(res?.status()).toBe(403);
    await page.close();
  });
});
