/**
 * The usage dashboard (decision 029): requests made in a client's portal show up as that project's figures for
 * the agency admin at /crm/usage, with a chart and a CSV of the same figures; staff neither see the entry nor
 * reach the page or the CSV.
 */
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl } from "./stack.ts";

const context = useBrowserContext();

describe("the usage dashboard", () => {
  it("an admin reads each project's figures and exports them; staff are refused", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    // the admin opens acme's portal data three times (the admin is in every project)
    for (let i = 0; i < 3; i++)
      expect((await page.request.get(siteUrl("/api/app/portal/home?tenant=acme"))).status()).toBe(200);
    await page.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
    await page.getByTestId("usage-link").click();
    await page.waitForURL(/\/crm\/usage/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(
      /utilisation de la plateforme/i,
    );
    expect(await page.getByTestId("usage-source").textContent()).toMatch(/serveur de développement/i);
    const acme = page.getByTestId("usage-tenants").locator('tr[data-tenant="acme"]');
    expect(await acme.count()).toBe(1);
    expect(
      Number((await acme.locator('[data-col="calls"]').textContent())?.replace(/\s/g, "")),
    ).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId("usage-chart").count()).toBe(1);
    // the nightly backups' section: none has run on this fresh stack, and it says when they run
    expect(await page.getByRole("heading", { name: /sauvegardes de nuit/i }).count()).toBe(1);
    expect(await page.content()).toMatch(/chaque nuit à 02:00 UTC/);
    await page.getByTestId("usage-days").selectOption("30");
    await page.getByRole("button", { name: /afficher/i }).click();
    await page.waitForURL(/days=30/);
    await screenshot(page, "crm-usage");

    const csv = await page.request.get(siteUrl("/api/app/crm/usage.csv?days=30"));
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    const rows = (await csv.text()).trim().split("\r\n");
    expect(rows[0]?.startsWith("tenant,calls,")).toBe(true);
    expect(rows.some((r) => r.startsWith("acme,"))).toBe(true);

    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    expect(await staff.getByTestId("usage-link").count()).toBe(0);
    const refused = await staff.goto(siteUrl("/crm/usage"), { waitUntil: "domcontentloaded" });
    expect(refused?.status()).toBe(403);
    expect((await staff.request.get(siteUrl("/api/app/crm/usage.csv"))).status()).toBe(403);
  });
});
