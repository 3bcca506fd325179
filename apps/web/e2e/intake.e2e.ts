/**
 * The intake journey in a real browser, end to end: a visitor fills the French form step by step (a reload
 * and a network failure lose nothing), staff find the lead with its analysis, edit and send the proposal, an
 * admin reads the invitation email in the outbox, the client opens the magic link, lands on the new subdomain,
 * reads the proposal (printable) and accepts it: the project becomes active.
 */
import { describe, expect, it } from "vitest";
import { launchChromium, useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl } from "./stack.ts";

const context = useBrowserContext();
const stamp = Date.now().toString(36);
const org = `Coopérative Lait Vakinankaratra ${stamp}`;
const email = `rasoa.${stamp}@example.test`;
const PASSWORD = "Un-mot-de-passe-solide-2026";

describe("intake → lead → proposal → client", () => {
  it("the whole chain, in French", async () => {
    // --- the visitor
    const visitor = await freshPage(context());
    await visitor.goto(siteUrl("/"), { waitUntil: "domcontentloaded" });
    await visitor.getByTestId("hero-intake").click();
    await visitor.waitForURL(/\/intake$/);
    const step = (id: string) => visitor.locator(`#step-${id}`);
    expect(await step("you").isVisible()).toBe(true);
    expect(await step("project").isVisible()).toBe(false);
    expect(await visitor.locator("[aria-current=step]").textContent()).toMatch(/1\. Vous/);

    // an empty required field stops at this step
    await visitor.getByRole("button", { name: "Continuer" }).first().click();
    expect(await step("project").isVisible()).toBe(false);
    expect(await visitor.locator("#name-error").textContent()).toMatch(/Indiquez votre nom/);

    await visitor.getByLabel(/Votre nom/).fill("Rasoa Rakotomalala");
    await visitor.getByLabel(/Adresse e-mail/).fill(email);
    await visitor.getByLabel(/Organisation/).fill(org);
    await visitor.getByRole("button", { name: "Continuer" }).first().click();
    expect(await step("project").isVisible()).toBe(true);

    // a reload keeps what was typed and where we were
    await visitor.reload({ waitUntil: "domcontentloaded" });
    expect(await step("project").isVisible()).toBe(true);
    expect(await visitor.getByLabel(/Votre nom/).inputValue()).toBe("Rasoa Rakotomalala");

    await visitor.getByLabel("Plateforme AgriTech").check();
    await step("project").getByRole("button", { name: "Continuer" }).click();
    await visitor
      .getByLabel(/Objectifs/)
      .fill("Suivre la collecte de lait auprès de 120 éleveurs. Payer les éleveurs par mobile money.");
    await visitor
      .getByLabel(/Fonctionnalités indispensables/)
      .fill("Application hors ligne pour les collecteurs\nPaiement MVola\nTableau de bord des volumes");
    await step("needs").getByRole("button", { name: "Continuer" }).click();
    await visitor.getByLabel("15 000 à 40 000 €").check();
    await visitor.getByLabel("3 à 6 mois").check();
    await screenshot(visitor, "intake-step-4");

    // the network fails: a clear message, nothing lost; then it goes through
    await context().setOffline(true);
    await visitor.getByTestId("intake-submit").click();
    await visitor
      .getByRole("alert")
      .filter({ hasText: /réponses sont conservées/ })
      .waitFor();
    expect(await visitor.getByLabel("3 à 6 mois").isChecked()).toBe(true);
    await context().setOffline(false);
    await visitor.getByTestId("intake-submit").click();
    await visitor.getByTestId("intake-done").waitFor({ state: "visible" });
    expect(await visitor.getByTestId("intake-done").textContent()).toContain(email);

    // --- staff: the lead with its analysis; edit and send the proposal
    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    const list = await staff.request.get(siteUrl(`/api/app/crm/leads?q=${encodeURIComponent(stamp)}`));
    const rows = (
      (await list.json()) as { rows: Array<{ id: string; tenant_subdomain: string; title: string }> }
    ).rows;
    expect(rows).toHaveLength(1);
    const lead = rows[0];
    if (!lead) throw new Error("no lead");
    await staff.goto(siteUrl(`/crm/leads/${lead.tenant_subdomain}/${lead.id}`), {
      waitUntil: "domcontentloaded",
    });
    await staff.getByTestId("lead-intake-link").click();
    await staff.waitForURL(/\/intake$/);
    expect(await staff.getByTestId("analyser").textContent()).toMatch(/builtin/);
    const analysis = (await staff.getByTestId("analysis").textContent()) ?? "";
    expect(analysis).toMatch(/Module : Paiement en ligne/);
    expect(analysis).toMatch(/Module : Fonctionnement hors ligne/);
    expect(await staff.getByTestId("tenant-state").textContent()).toMatch(/Demande en attente/);

    const lines = staff.getByTestId("proposal-line");
    const lineCount = await lines.count();
    expect(lineCount).toBeGreaterThanOrEqual(4);
    await lines.first().getByLabel("Prix (€ HT)").fill("1 234,50");
    const extra = staff.getByTestId("proposal-new-line");
    await extra.getByLabel(/Nouvelle ligne/).fill("Formation des collecteurs");
    await extra.getByLabel("Jours").fill("2");
    await extra.getByLabel("Prix (€ HT)").fill("1000");
    await staff.getByTestId("proposal-save").click();
    await staff.waitForURL(/notice=saved/);
    expect(await staff.getByTestId("proposal-line").count()).toBe(lineCount + 1);
    const total = (await staff.getByTestId("proposal-total").textContent()) ?? "";
    await screenshot(staff, "crm-lead-intake");
    await staff.getByTestId("proposal-send").click();
    await staff.waitForURL(/notice=sent/);
    expect(await staff.getByTestId("proposal-status").textContent()).toMatch(/Envoyée au client/);

    // --- the invitation email, read from the outbox by an admin
    const admin = await freshPage(context());
    await signIn(admin, DEMO.admin);
    const outbox = await admin.request.get(siteUrl(`/api/app/crm/outbox?q=${encodeURIComponent(email)}`));
    const mails = ((await outbox.json()) as { items: Array<{ id: string; kind: string }> }).items;
    const invitationMail = mails.find((m) => m.kind === "intake.invitation");
    if (!invitationMail) throw new Error(`no invitation mail in ${JSON.stringify(mails)}`);
    await admin.goto(siteUrl(`/crm/outbox/${invitationMail.id}`), { waitUntil: "domcontentloaded" });
    const body = (await admin.getByTestId("outbox-body").textContent()) ?? "";
    const link = /https?:\/\/\S+\/invitation\?token=[\w%-]+/.exec(body)?.[0];
    if (!link) throw new Error(`no link in: ${body}`);
    expect(new URL(link).hostname).toMatch(/^cooperative-lait-vakinankaratra-[a-z0-9-]+\.localhost$/);

    // --- the client: magic link → password → their new subdomain → the proposal → accept
    const client = await freshPage(context());
    await client.goto(link, { waitUntil: "domcontentloaded" });
    await client.getByLabel(/Nouveau mot de passe/).fill(PASSWORD);
    await client.getByLabel(/Confirmez le mot de passe/).fill(PASSWORD);
    await client.getByRole("button", { name: "Activer mon compte" }).click();
    await client.waitForURL((u) => u.hostname === new URL(link).hostname && u.pathname === "/");
    expect(await client.getByTestId("tenant-name").textContent()).toContain(org);
    await client.getByTestId("portal-proposal-link").click();
    await client.waitForURL(/\/proposal$/);
    expect(await client.getByTestId("proposal-status").textContent()).toMatch(/Envoyée/);
    expect(await client.getByTestId("proposal-total").textContent()).toBe(total);
    expect(await client.getByTestId("proposal-line").count()).toBe(lineCount + 1);

    // printable: the site chrome and the forms are hidden on paper
    await client.emulateMedia({ media: "print" });
    expect(await client.locator("[data-print]").isVisible()).toBe(false);
    expect(await client.getByTestId("proposal-accept").isVisible()).toBe(false);
    expect(await client.getByTestId("proposal-total").isVisible()).toBe(true);
    await client.emulateMedia({ media: "screen" });

    // accepting needs the explicit confirmation and the client's typed name (a simple e-signature)
    await client.getByTestId("proposal-signer").fill("Rasoa Rakotomalala");
    await client.getByLabel(/je l'accepte/).check();
    await client.getByTestId("proposal-accept").click();
    await client.waitForURL(/notice=accepted/);
    expect(await client.getByTestId("proposal-status").textContent()).toMatch(/Acceptée/);
    await screenshot(client, "portal-proposal-accepted");
    await client.goto(new URL("/", link).href, { waitUntil: "domcontentloaded" });
    expect(await client.getByTestId("project-status").textContent()).toBe("En cours");

    // the English print view of the same proposal
    await client.goto(new URL("/en/proposal", link).href, { waitUntil: "domcontentloaded" });
    expect(await client.getByTestId("proposal-status").textContent()).toBe("Accepted");
    expect(await client.getByRole("button", { name: "Print / save as PDF" }).count()).toBe(1);

    // staff see the lead won and the space live (the pages share one context: sign in again)
    const again = await freshPage(context());
    await signIn(again, DEMO.staff);
    await again.goto(siteUrl(`/crm/leads/${lead.tenant_subdomain}/${lead.id}/intake`), {
      waitUntil: "domcontentloaded",
    });
    expect(await again.getByTestId("tenant-state").textContent()).toMatch(/Projet ouvert/);
  }, 120_000); // one journey through four people and a dozen pages

  it("the English form exists and links back to French", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/en/intake"), { waitUntil: "domcontentloaded" });
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Describe your project");
    expect(await page.getByRole("button", { name: "Continue" }).first().isVisible()).toBe(true);
    expect(await page.locator('link[rel=alternate][hreflang="fr"]').getAttribute("href")).toMatch(
      /\/intake$/,
    );
  });
});

describe("without JavaScript", () => {
  it("every step shows, the page validates with the shared schema, keeps the answers and then sends", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(siteUrl("/en/intake"), { waitUntil: "domcontentloaded" });
      for (const id of ["you", "project", "needs", "budget"]) {
        expect(await page.locator(`#step-${id}`).isVisible()).toBe(true);
      }
      const noJsEmail = `nojs.${stamp}@example.test`;
      await page.getByLabel(/Your name/).fill("No Script");
      await page.getByLabel(/Email address/).fill(noJsEmail);
      await page.getByLabel(/Organisation/).fill(`No Script Ltd ${stamp}`);
      await page.getByLabel("Branding").check();
      await page.getByLabel(/Goals/).fill("Logo");
      await page.getByLabel("I don't know yet").check();
      await page.getByLabel("Flexible").check();
      await page.getByTestId("intake-submit").click();
      await page.waitForLoadState("domcontentloaded");
      expect(await page.locator("#goals-error").textContent()).toMatch(/10 to 2000 characters/);
      expect(await page.getByLabel(/Your name/).inputValue()).toBe("No Script");
      expect(await page.getByLabel("Branding").isChecked()).toBe(true);
      await page.getByLabel(/Goals/).fill("A new logo and brand guidelines for our shop.");
      await page.getByTestId("intake-submit").click();
      await page.getByTestId("intake-done").waitFor({ state: "visible" });
      expect(await page.getByTestId("intake-done").textContent()).toContain(noJsEmail);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
