/**
 * Money in a real browser (decision 028): staff add an optional line to a proposal and send it; the client
 * ticks the option (the total follows), types their name, ticks the terms and accepts; the acceptance record
 * downloads; the deposit invoice is drafted, staff issue it from /crm/invoices (it takes its number), and the
 * client downloads its PDF from the portal's invoices.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl } from "./stack.ts";

const context = useBrowserContext();
const stamp = Date.now().toString(36);
const email = `money.${stamp}@example.test`;
const PASSWORD = "Un-mot-de-passe-solide-2026";

describe("proposal → signed acceptance → deposit invoice → PDF", () => {
  it("the chain, in French", async () => {
    // --- an intake, posted as the form's script does
    const visitor = await freshPage(context());
    await visitor.goto(siteUrl("/"), { waitUntil: "domcontentloaded" });
    const status = await visitor.evaluate(
      async (body) =>
        (
          await fetch("/api/intake", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).status,
      {
        locale: "fr",
        idempotency_key: `money-e2e-${stamp}-000000`,
        name: "Voahirana Rabe",
        email,
        organisation: `Épicerie Argent ${stamp}`,
        project_type: "website",
        goals: "Un site pour présenter nos produits et prendre des commandes.",
        budget: "lt_5k",
        timeline: "flexible",
      },
    );
    expect(status).toBe(201);

    // --- staff: add an optional line and send the proposal
    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    const list = await staff.request.get(siteUrl(`/api/app/crm/leads?q=${encodeURIComponent(stamp)}`));
    const lead = ((await list.json()) as { rows: Array<{ id: string; tenant_subdomain: string }> }).rows[0];
    if (!lead) throw new Error("no lead");
    await staff.goto(siteUrl(`/crm/leads/${lead.tenant_subdomain}/${lead.id}/intake`), {
      waitUntil: "domcontentloaded",
    });
    const baseTotal = (await staff.getByTestId("proposal-total").textContent()) ?? "";
    const extra = staff.getByTestId("proposal-new-line");
    await extra.getByLabel(/Nouvelle ligne/).fill("Maintenance 12 mois");
    await extra.getByLabel("Jours").fill("4");
    await extra.getByLabel("Prix (€ HT)").fill("1600");
    await extra.getByTestId("proposal-optional").check();
    await staff.getByTestId("proposal-save").click();
    await staff.waitForURL(/notice=saved/);
    // an optional line is not in the total until the client chooses it
    expect(await staff.getByTestId("proposal-total").textContent()).toBe(baseTotal);
    await staff.getByTestId("proposal-send").click();
    await staff.waitForURL(/notice=sent/);

    // --- the invitation, from the outbox
    const admin = await freshPage(context());
    await signIn(admin, DEMO.admin);
    const outbox = await admin.request.get(siteUrl(`/api/app/crm/outbox?q=${encodeURIComponent(email)}`));
    const mails = ((await outbox.json()) as { items: Array<{ id: string; kind: string }> }).items;
    const invitation = mails.find((m) => m.kind === "intake.invitation");
    if (!invitation) throw new Error("no invitation mail");
    await admin.goto(siteUrl(`/crm/outbox/${invitation.id}`), { waitUntil: "domcontentloaded" });
    const link = /https?:\/\/\S+\/invitation\?token=[\w%-]+/.exec(
      (await admin.getByTestId("outbox-body").textContent()) ?? "",
    )?.[0];
    if (!link) throw new Error("no link");

    // --- the client: account, proposal, option ticked, typed name, terms, accept
    const client = await freshPage(context());
    await client.goto(link, { waitUntil: "domcontentloaded" });
    await client.getByLabel(/Nouveau mot de passe/).fill(PASSWORD);
    await client.getByLabel(/Confirmez le mot de passe/).fill(PASSWORD);
    await client.getByRole("button", { name: "Activer mon compte" }).click();
    await client.waitForURL((u) => u.hostname === new URL(link).hostname && u.pathname === "/");
    await client.getByTestId("portal-proposal-link").click();
    await client.waitForURL(/\/proposal$/);
    const chosen = client.getByTestId("proposal-chosen-total");
    expect(await chosen.textContent()).toBe(baseTotal);
    await client.getByTestId("proposal-option").check();
    expect(await chosen.textContent()).not.toBe(baseTotal);
    const withOption = (await chosen.textContent()) ?? "";
    // no name: the browser's own check stops it; a one-letter name is refused by the page, the tick kept
    await client.getByTestId("proposal-signer").fill("V");
    await client.getByTestId("proposal-terms").check();
    await client.getByTestId("proposal-signer").evaluate((el) => el.removeAttribute("minlength"));
    await client.getByTestId("proposal-accept").click();
    await client.getByTestId("form-error").waitFor();
    expect(await client.getByTestId("form-error").textContent()).toMatch(/nom complet/);
    expect(await client.getByTestId("proposal-option").isChecked()).toBe(true);
    await client.getByTestId("proposal-signer").fill("Voahirana Rabe");
    await client.getByTestId("proposal-terms").check();
    await client.getByTestId("proposal-accept").click();
    await client.waitForURL(/notice=accepted/);
    expect(await client.getByTestId("proposal-status").textContent()).toMatch(/Acceptée/);
    expect(await client.getByTestId("proposal-total").textContent()).toBe(withOption);
    const [record] = await Promise.all([
      client.waitForEvent("download"),
      client.getByTestId("acceptance-record").click(),
    ]);
    expect(record.suggestedFilename()).toMatch(/^acceptance-[0-9a-f]{12}\.pdf$/);
    expect(
      readFileSync(await record.path())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    await screenshot(client, "money-proposal-accepted");
    // the deposit is a draft: the client sees no invoice yet
    await client.goto(new URL("/factures", client.url()).href, { waitUntil: "domcontentloaded" });
    await client.getByTestId("invoices-empty").waitFor();

    // --- staff issue the deposit from the agency's invoices
    const again = await freshPage(context());
    await signIn(again, DEMO.staff);
    await again.goto(siteUrl("/crm/invoices?status=draft"), { waitUntil: "domcontentloaded" });
    const row = again.getByTestId("invoice-row").filter({ hasText: `Épicerie Argent ${stamp}` });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/Acompte/);
    await row.getByTestId("issue-confirm").check();
    await row.getByTestId("invoice-issue").click();
    await again.getByTestId("notice").waitFor();
    const number = /FA-\d{4}-\d{4,}/.exec((await again.getByTestId("notice").textContent()) ?? "")?.[0];
    if (!number) throw new Error("no number in the notice");
    await again.goto(siteUrl("/crm/invoices"), { waitUntil: "domcontentloaded" });
    expect(await again.getByTestId("total-issued").isVisible()).toBe(true);
    expect(await again.getByTestId("revenue-EUR").isVisible()).toBe(true);
    await screenshot(again, "money-crm-invoices");

    // --- the client downloads the invoice's PDF from the portal
    const reader = await freshPage(context());
    const portal = new URL(link);
    await reader.goto(new URL("/login", portal.origin).href, { waitUntil: "domcontentloaded" });
    await reader.getByLabel(/e-mail|email/i).fill(email);
    await reader.getByLabel(/mot de passe|password/i).fill(PASSWORD);
    await Promise.all([
      reader.waitForURL((u) => !u.pathname.endsWith("/login"), { timeout: 15_000 }),
      reader.getByRole("button", { name: /se connecter|sign in/i }).click(),
    ]);
    await reader.goto(new URL("/factures", portal.origin).href, { waitUntil: "domcontentloaded" });
    const invoice = reader.getByTestId("invoice-row").filter({ hasText: number });
    expect(await invoice.count()).toBe(1);
    expect(await invoice.getByTestId("invoice-status").textContent()).toBe("Émise");
    const [download] = await Promise.all([
      reader.waitForEvent("download"),
      invoice.getByTestId("invoice-pdf").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    await screenshot(reader, "money-portal-invoices");
    // no card provider in this stack: the offline default says to pay by transfer, the list stays
    await invoice.getByTestId("invoice-pay").click();
    await reader.getByTestId("form-error").waitFor();
    expect(await reader.getByTestId("form-error").textContent()).toMatch(/virement/);
    expect(await reader.getByTestId("invoice-row").filter({ hasText: number }).count()).toBe(1);
  }, 150_000);
});
