/**
 * Records that connect (decision 033), in a real browser: an intake makes a lead that shows its client and its
 * contact (job title and phone kept); a new project's client is picked from a searchable list by keyboard,
 * and a name like an existing client's is flagged as a likely duplicate.
 */
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, signIn, siteUrl } from "./stack.ts";

const context = useBrowserContext();
const stamp = Date.now().toString(36);

describe("CRM records that connect", () => {
  it("an intake makes a lead linked to its client and contact, phone and job title kept", async () => {
    const org = `Vanille Sava ${stamp}`;
    const visitor = await freshPage(context());
    await visitor.goto(siteUrl("/"), { waitUntil: "domcontentloaded" });
    const sent = await visitor.evaluate(async (organisation) => {
      const res = await fetch("/api/intake", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          locale: "fr",
          idempotency_key: `crm-depth-${organisation.replace(/\W/g, "-")}-0000`,
          name: "Hery Andriamanana",
          email: `hery.${Date.now().toString(36)}@example.test`,
          phone: "034 12 345 67",
          role: "Directeur commercial",
          organisation,
          project_type: "website",
          goals: "Un site vitrine bilingue pour exporter notre vanille.",
          budget: "5k_15k",
          timeline: "flexible",
        }),
      });
      return res.status;
    }, org);
    expect(sent).toBe(201);

    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    // the public answer names no lead: staff find it in the CRM by the organisation's name
    const found = await staff.evaluate(async (q) => {
      const res = await fetch(`/api/app/crm/leads?q=${encodeURIComponent(q)}`, {
        headers: { accept: "application/json" },
      });
      return (await res.json()) as { rows: { id: string; tenant_subdomain: string }[] };
    }, org);
    const lead = found.rows[0];
    expect(lead).toBeTruthy();
    await staff.goto(siteUrl(`/crm/leads/${lead?.tenant_subdomain}/${lead?.id}`), {
      waitUntil: "domcontentloaded",
    });
    expect(await staff.getByTestId("lead-name").textContent()).toContain(org);
    const contact = await staff.getByTestId("lead-contact").textContent();
    expect(contact).toContain("Hery Andriamanana");
    expect(contact).toContain("Directeur commercial");
    expect(contact).toContain("+261 34 12 345 67");
    // the form's client is the organisation, not "Aucune"
    expect(await staff.locator("#f-client_search").inputValue()).toBe(org);

    // lost asks why: refused without a reason (in French, at its field), saved with one
    await staff.waitForFunction(() => document.querySelectorAll("astro-island[ssr]").length === 0, null, {
      timeout: 15_000,
    });
    await staff.getByLabel("Étape").selectOption("lost");
    const reason = staff.locator("#f-lost_reason");
    await reason.waitFor({ state: "visible" });
    await staff.getByRole("button", { name: "Enregistrer" }).click();
    await staff.locator("#f-lost_reason-error").waitFor({ state: "visible" });
    expect(await staff.locator("#f-lost_reason-error").textContent()).toMatch(/raison de la perte/);
    await reason.fill("Budget reporté à 2027");
    expect(await staff.getByTestId("f-lost_reason-count").textContent()).toMatch(/21 \/ 500/);
    await staff.getByRole("button", { name: "Enregistrer" }).click();
    await staff.waitForURL(/notice=saved/);
    expect(await staff.getByTestId("lead-stage").textContent()).toBe("Perdu");
    expect(await staff.locator("#f-lost_reason").inputValue()).toBe("Budget reporté à 2027");
    // won offers the project, prefilled from the lead
    await staff.waitForFunction(() => document.querySelectorAll("astro-island[ssr]").length === 0, null, {
      timeout: 15_000,
    });
    await staff.getByLabel("Étape").selectOption("won");
    const create = staff.getByTestId("won-create").getByRole("link");
    await create.waitFor({ state: "visible" });
    const href = new URL(String(await create.getAttribute("href")), siteUrl("/"));
    expect(href.pathname).toBe("/crm/projects/new");
    expect(href.searchParams.get("client")).toBe(org);
    await staff.close();
    await visitor.close();
  });

  it("a new project's client is picked by keyboard, and a similar name is flagged as a duplicate", async () => {
    const admin = await freshPage(context());
    await signIn(admin, DEMO.admin);
    await admin.goto(siteUrl("/crm/projects/new"), { waitUntil: "domcontentloaded" });
    await admin.waitForFunction(() => document.querySelectorAll("astro-island[ssr]").length === 0, null, {
      timeout: 15_000,
    });
    const input = admin.getByRole("combobox", { name: /client/i });
    // a name like an existing client's: the warning, with a way to use the existing one
    await input.fill("acme agro");
    const warning = admin.getByTestId("duplicate-warning");
    await warning.waitFor({ state: "visible" });
    expect(await warning.textContent()).toMatch(/Acme Agro SARL/);
    // keyboard: the list opens with the arrow, Enter picks, and the warning goes
    await input.press("ArrowDown");
    const option = admin.getByRole("option", { name: /Acme Agro SARL/ });
    await option.waitFor({ state: "visible" });
    expect(await option.getAttribute("aria-selected")).toBe("true");
    await input.press("Enter");
    expect(await input.inputValue()).toBe("Acme Agro SARL");
    expect(await admin.getByRole("listbox").count()).toBe(0);
    expect(await warning.count()).toBe(0);
    // a new name: no warning
    await input.fill(`Zébu Digital ${stamp}`);
    await admin.getByText(/Aucun client trouvé/).waitFor({ state: "visible" });
    expect(await warning.count()).toBe(0);
    await admin.close();
  });
});
