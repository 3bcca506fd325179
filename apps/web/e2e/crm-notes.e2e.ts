import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { DEMO, signIn, siteUrl } from "./stack.ts";

/**
 * The CRM's notes page (the demo entity of docs/adding-an-entity.md), as agency staff: reached from the
 * navigation, a note written on a lead of the agency's workspace shows at the top of the list, a refused note
 * keeps what was typed and says why, and a client of a project never reaches the page.
 */
let browser: Browser;
let staff: BrowserContext;
let page: Page;
const run = Date.now().toString(36);

beforeAll(async () => {
  browser = await launchChromium();
  staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await staff.newPage();
  await signIn(page, DEMO.staff);
});

afterAll(async () => {
  await staff?.close();
  await browser?.close();
});

describe("notes", () => {
  it("are reached from the CRM's navigation", async () => {
    await page.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
    await page.getByRole("navigation").getByRole("link", { name: "Notes" }).click();
    await page.waitForURL(/\/crm\/notes/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Notes");
    expect(await page.getByRole("link", { name: "Notes" }).getAttribute("aria-current")).toBe("page");
  });

  it("a note written on a lead shows first in the list, with what it is about", async () => {
    await page.goto(siteUrl("/crm/notes"), { waitUntil: "domcontentloaded" });
    const about = page.getByLabel("À propos de");
    const lead = about.locator('optgroup[label="Prospects"] option').first();
    const leadTitle = (await lead.textContent())?.trim() ?? "";
    expect(leadTitle.length).toBeGreaterThan(0);
    await about.selectOption({ value: (await lead.getAttribute("value")) ?? "" });
    const body = `Appel avec le client e2e ${run} : il valide le devis.`;
    await page.getByLabel("Note", { exact: true }).fill(body);
    await page.getByRole("button", { name: "Enregistrer la note" }).click();
    await page.waitForURL(/notice=saved/);
    expect(await page.getByTestId("notice").textContent()).toContain("Note enregistrée.");
    const first = page.getByTestId("note-row").first();
    expect(await first.locator("td").nth(0).textContent()).toBe(body);
    expect(await first.locator("td").nth(1).textContent()).toBe(leadTitle);
  });

  it("a refused note keeps what was typed and says why, in French", async () => {
    await page.goto(siteUrl("/crm/notes"), { waitUntil: "domcontentloaded" });
    const body = `Note sans rattachement ${run}`;
    await page.getByLabel("Note", { exact: true }).fill(body);
    // the browser asks for a choice first; without it (a script, an old browser) the server refuses the note
    await page.getByLabel("À propos de").evaluate((el) => el.removeAttribute("required"));
    await page.getByRole("button", { name: "Enregistrer la note" }).click();
    await page.waitForLoadState("domcontentloaded");
    const error = await page.getByTestId("form-error").textContent();
    expect(error).toContain("La note n'a pas été enregistrée");
    expect(error).toContain("Choisissez un client ou un prospect");
    expect(await page.getByLabel("Note", { exact: true }).inputValue()).toBe(body);
    expect(await page.getByTestId("notes-table").textContent()).not.toContain(body);
  });

  it("a client of a project never reaches the page", async () => {
    const context = await browser.newContext();
    try {
      const client = await context.newPage();
      await signIn(client, DEMO.clientAcme);
      const res = await client.goto(siteUrl("/crm/notes"), { waitUntil: "domcontentloaded" });
      expect(new URL(client.url()).pathname).not.toMatch(/^\/crm/);
      expect(res?.status()).toBe(200);
      expect(await client.getByTestId("notes-table").count()).toBe(0);
      expect(await client.getByTestId("note-form").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
