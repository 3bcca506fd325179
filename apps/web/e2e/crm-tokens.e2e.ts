import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();

describe("personal access tokens in the CRM", () => {
  it("a token is shown once, listed with its scope, and revoked after confirming", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.staff);
    await page.goto(siteUrl("/crm/settings/tokens"), { waitUntil: "networkidle" });

    // Validation first: a token needs a name.
    await page.getByRole("button", { name: /créer le jeton/i }).click();
    expect(await page.locator("#f-name-error").textContent()).toBeTruthy();

    const name = `Claude ${Date.now()}`;
    await page.getByLabel(/nom/i).fill(name);
    await page.getByRole("button", { name: /créer le jeton/i }).click();
    const secret = (await page.getByTestId("new-token").textContent()) ?? "";
    expect(secret).toMatch(/^fpat_/);
    // With a snippet to connect an assistant to the API's MCP endpoint.
    expect(await page.getByTestId("mcp-snippet").textContent()).toContain("/api/system/mcp");
    expect(await page.getByTestId("mcp-snippet").textContent()).toContain(`Bearer ${secret}`);
    await screenshot(page, "crm-tokens-created");
    await page.getByRole("button", { name: /c'est noté/i }).click();
    expect(await page.getByTestId("new-token").count()).toBe(0);

    const row = page.getByRole("row").filter({ hasText: name });
    expect(await row.textContent()).toMatch(/lecture seule/i);
    expect(await row.textContent()).toMatch(/actif/i);

    // After a reload the secret is gone for good; only its prefix remains.
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.content()).not.toContain(secret);

    await row.getByRole("button", { name: /révoquer/i }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /annuler/i })
      .click();
    expect(await row.textContent()).toMatch(/actif/i);
    await row.getByRole("button", { name: /révoquer/i }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /révoquer/i })
      .click();
    await page.getByTestId("toast").first().waitFor();
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByRole("row").filter({ hasText: name }).textContent()).toMatch(/révoqué/i);
    await screenshot(page, "crm-tokens");
    await page.close();
  });
});

describe("personal access tokens in a project's portal", () => {
  it("a client makes a read-only token for this project only", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.clientAcme, tenantUrl("acme", "/login"));
    await page.getByRole("link", { name: /accès ia/i }).click();
    await page.waitForURL((u) => u.pathname === "/settings");
    await page.waitForLoadState("networkidle");
    // The project is fixed: no choice of projects is offered.
    expect(await page.getByRole("radio").count()).toBe(0);
    const name = `Assistant Acme ${Date.now()}`;
    await page.getByLabel(/nom/i).fill(name);
    await page.getByRole("button", { name: /créer le jeton/i }).click();
    expect(await page.getByTestId("new-token").textContent()).toMatch(/^fpat_/);
    const row = page.getByRole("row").filter({ hasText: name });
    expect(await row.textContent()).toMatch(/lecture seule/i);
    expect(await row.textContent()).toMatch(/acme/i);
    await screenshot(page, "portal-settings-tokens");
    await page.close();
  });
});
