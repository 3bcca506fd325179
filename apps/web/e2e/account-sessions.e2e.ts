/**
 * Sessions per device in the browser (decision 022), in French and English: two browsers signed in as the
 * same person; signing out on one leaves the other; the account page lists both, ends the other one, and
 * "sign out everywhere" (behind a confirmation) ends them all. Uses globex's project manager, whom no other
 * end-to-end file signs in.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl } from "./stack.ts";

const context = useBrowserContext();
const others: BrowserContext[] = [];
afterAll(async () => {
  for (const c of others) await c.close();
});

/** A second browser (its own cookies), signed in as the same person. */
async function secondBrowser(): Promise<Page> {
  const browser = context().browser();
  if (!browser) throw new Error("no browser");
  const other = await browser.newContext();
  others.push(other);
  const page = await other.newPage();
  await signIn(page, DEMO.pmGlobex);
  return page;
}

const onCrm = async (page: Page) => {
  await page.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
  return new URL(page.url()).pathname;
};

describe("sessions per device", () => {
  it("signing out on one device leaves the other signed in", async () => {
    const laptop = await freshPage(context());
    await signIn(laptop, DEMO.pmGlobex);
    const phone = await secondBrowser();
    await Promise.all([
      laptop.waitForURL((u) => u.pathname === "/login"),
      laptop.getByRole("button", { name: /se déconnecter|sign out/i }).click(),
    ]);
    expect(await onCrm(laptop)).toBe("/login");
    expect(await onCrm(phone)).toBe("/crm");
    await phone.close();
    await laptop.close();
  });

  it("the account page lists both devices and ends the other one (French)", async () => {
    const laptop = await freshPage(context());
    await signIn(laptop, DEMO.pmGlobex);
    const phone = await secondBrowser();
    // the CRM's header links to the account page in the person's language (globex's manager reads English)
    await laptop.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
    expect(await laptop.getByTestId("account-link").getAttribute("href")).toBe("/en/account");
    await laptop.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    expect(await laptop.locator("h1").textContent()).toBe("Mon compte");
    const list = laptop.getByTestId("sessions");
    expect(await list.locator("[data-session=current]").count()).toBe(1);
    expect(await list.locator("[data-session=current]").textContent()).toMatch(/Cet appareil/);
    // the browser's own description, forwarded by the site when the session was opened
    expect(await list.locator("[data-session=current]").textContent()).toMatch(/Chrome · Linux/);
    expect(await list.locator("li").first().getAttribute("data-session")).toBe("current");
    expect(await list.locator("[data-session=other]").count()).toBeGreaterThanOrEqual(1);
    await screenshot(laptop, "account-sessions-fr");

    // end every other session, one at a time, each with its own button (the phone's is among them)
    for (let n = await list.locator("[data-session=other]").count(); n > 0; n--) {
      const [answer] = await Promise.all([
        laptop.waitForResponse(
          (r) => new URL(r.url()).pathname === "/compte" && r.request().method() === "GET",
        ),
        list
          .locator("[data-session=other]")
          .first()
          .getByRole("button", { name: /Déconnecter/ })
          .click(),
      ]);
      expect(new URL(answer.url()).searchParams.get("sessions")).toBe("ended");
      await laptop.waitForLoadState("domcontentloaded");
      expect(await laptop.getByRole("status").first().textContent()).toMatch(/session a été fermée/);
      expect(await list.locator("[data-session=other]").count()).toBe(n - 1);
    }
    expect(await laptop.getByText("Aucune autre session ouverte.").count()).toBe(1);
    expect(await onCrm(phone)).toBe("/login");
    expect(await onCrm(laptop)).toBe("/crm");
    await phone.close();
    await laptop.close();
  });

  it("sign out everywhere asks first, then ends every session (English)", async () => {
    const laptop = await freshPage(context());
    await signIn(laptop, DEMO.pmGlobex);
    const phone = await secondBrowser();
    await laptop.goto(siteUrl("/en/account"), { waitUntil: "domcontentloaded" });
    expect(await laptop.locator("h1").textContent()).toBe("My account");
    const confirm = laptop.getByRole("button", { name: "Yes, sign me out everywhere" });
    expect(await confirm.isVisible()).toBe(false); // behind the disclosure: nothing ends on one click
    await laptop.getByText("Sign out everywhere", { exact: true }).click();
    await Promise.all([laptop.waitForURL((u) => u.pathname === "/en/login"), confirm.click()]);
    expect(await onCrm(laptop)).toBe("/login");
    expect(await onCrm(phone)).toBe("/login");
    await phone.close();
    await laptop.close();
  });
});
