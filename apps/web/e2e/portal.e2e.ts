/**
 * The client portal with two browser contexts at once (a project manager in the CRM, the client on the
 * project's subdomain): a requested file goes back and forth, messages arrive live both ways (also after the
 * socket drops), the client approves a document, can't see an internal one, and a signed link stops working
 * once it has expired (the API's test clock, never honoured in production, instead of a sleep).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { DEMO, fetchAt, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const API_URL = process.env.API_URL ?? "http://localhost:8787";
const stamp = Date.now().toString(36);
const pdf = (text: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );

let browser: Browser;
let pmContext: BrowserContext;
let clientContext: BrowserContext;
let pm: Page;
let client: Page;
const crmPortal = siteUrl("/crm/projects/acme/portal");
const portal = tenantUrl("acme");

beforeAll(async () => {
  browser = await launchChromium();
  pmContext = await browser.newContext({ acceptDownloads: true });
  clientContext = await browser.newContext({ acceptDownloads: true });
  pm = await pmContext.newPage();
  client = await clientContext.newPage();
  await signIn(pm, DEMO.pmAcme);
  await signIn(client, DEMO.clientAcme);
  await pm.goto(crmPortal, { waitUntil: "networkidle" });
  await client.goto(portal, { waitUntil: "networkidle" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const live = (page: Page) => page.locator("[data-live-status][data-state=live]").waitFor({ timeout: 15_000 });
const item = (page: Page, testId: string, text: string) => page.getByTestId(testId).filter({ hasText: text });

async function reload(page: Page) {
  await page.reload({ waitUntil: "networkidle" });
}

describe("the portal, from both sides at once", () => {
  it("the PM requests a file, the client uploads it, the PM accepts it", async () => {
    const title = `Photos du terrain ${stamp}`;
    const form = pm.locator("form[data-endpoint='/api/app/portal/requests']");
    await form.getByLabel(/intitulé/i).fill(title);
    await form.getByLabel(/échéance/i).fill("2030-06-30");
    await Promise.all([pm.waitForEvent("load"), form.getByRole("button", { name: /^demander$/i }).click()]);
    expect(await item(pm, "request-item", title).getByTestId("request-status").textContent()).toMatch(
      /à fournir/i,
    );

    await reload(client);
    const mine = item(client, "request-item", title);
    await mine
      .locator("input[type=file]")
      .setInputFiles({ name: "terrain.pdf", mimeType: "application/pdf", buffer: pdf(title) });
    await Promise.all([
      client.waitForEvent("load"),
      mine.getByRole("button", { name: /envoyer le fichier/i }).click(),
    ]);
    expect(await item(client, "request-item", title).getByTestId("request-status").textContent()).toMatch(
      /envoyé/i,
    );
    await screenshot(client, "portal-request-submitted");

    await reload(pm);
    const review = item(pm, "request-item", title);
    expect(await review.getByTestId("request-status").textContent()).toMatch(/envoyé/i);
    expect(await review.getByRole("button", { name: /voir le fichier/i }).textContent()).toContain(
      "terrain.pdf",
    );
    await Promise.all([pm.waitForEvent("load"), review.getByRole("button", { name: /^accepter$/i }).click()]);
    expect(await item(pm, "request-item", title).getByTestId("request-status").textContent()).toMatch(
      /accepté/i,
    );
    await reload(client);
    expect(await item(client, "request-item", title).getByTestId("request-status").textContent()).toMatch(
      /accepté/i,
    );
  });

  it("a message sent by one side appears live on the other, also after the socket dropped", async () => {
    await reload(pm);
    await reload(client);
    await Promise.all([live(pm), live(client)]);
    const hello = `Bonjour de la cliente ${stamp}`;
    await client.getByLabel(/votre message/i).fill(hello);
    await client.getByRole("button", { name: /^envoyer$/i }).click();
    await pm.getByTestId("thread").getByText(hello).waitFor({ timeout: 10_000 });

    const reply = `Réponse du chef de projet ${stamp}`;
    await pm.getByLabel(/votre message/i).fill(reply);
    await pm.getByRole("button", { name: /^envoyer$/i }).click();
    await client.getByTestId("thread").getByText(reply).waitFor({ timeout: 10_000 });

    // The client's socket drops; a message sent meanwhile still arrives (catch-up from the last seq), once.
    await client.evaluate(() => (window as unknown as { __portalDrop: () => void }).__portalDrop());
    const missed = `Pendant la coupure ${stamp}`;
    await pm.getByLabel(/votre message/i).fill(missed);
    await pm.getByRole("button", { name: /^envoyer$/i }).click();
    await client.getByTestId("thread").getByText(missed).waitFor({ timeout: 20_000 });
    await live(client);
    expect(await client.getByTestId("thread").getByText(missed).count()).toBe(1);
    const seqs = await client.$$eval("[data-thread] [data-seq]", (els) =>
      els.map((e) => Number((e as HTMLElement).dataset.seq)),
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await screenshot(client, "portal-messages-live");
  });

  it("the client approves a document; an internal document never shows on the portal", async () => {
    const shared = `Charte graphique ${stamp}`;
    const internal = `Marge interne ${stamp}`;
    const upload = pm.locator("form[data-upload]").last();
    await upload
      .locator("input[type=file]")
      .setInputFiles({ name: "charte.pdf", mimeType: "application/pdf", buffer: pdf(shared) });
    await upload.getByLabel(/titre/i).fill(shared);
    await upload.getByLabel(/visibilité/i).selectOption("client");
    await Promise.all([
      pm.waitForEvent("load"),
      upload.getByRole("button", { name: /déposer un document/i }).click(),
    ]);
    const again = pm.locator("form[data-upload]").last();
    await again
      .locator("input[type=file]")
      .setInputFiles({ name: "marge.pdf", mimeType: "application/pdf", buffer: pdf(internal) });
    await again.getByLabel(/titre/i).fill(internal);
    await Promise.all([
      pm.waitForEvent("load"),
      again.getByRole("button", { name: /déposer un document/i }).click(),
    ]);
    await Promise.all([
      pm.waitForEvent("load"),
      item(pm, "document-item", shared)
        .getByRole("button", { name: /demander l'approbation/i })
        .click(),
    ]);

    await reload(client);
    expect(await client.content()).not.toContain(internal);
    expect(await client.getByTestId("document-title").filter({ hasText: shared }).count()).toBe(1);
    const approval = item(client, "approval-item", shared);
    expect(await approval.getByTestId("approval-status").textContent()).toMatch(/en attente/i);
    await Promise.all([
      client.waitForEvent("load"),
      approval.getByRole("button", { name: /^approuver$/i }).click(),
    ]);
    expect(await item(client, "approval-item", shared).getByTestId("approval-status").textContent()).toMatch(
      /approuvé/i,
    );
    await reload(pm);
    expect(await item(pm, "approval-item", shared).getByTestId("approval-status").textContent()).toMatch(
      /approuvé/i,
    );
    await screenshot(client, "portal-approved");
    await screenshot(pm, "crm-portal");
  });

  it("a signed download link works, then stops working once expired (test clock)", async () => {
    const doc = client
      .getByTestId("document-item")
      .filter({ hasText: /charte graphique/i })
      .first();
    const [download] = await Promise.all([
      client.waitForEvent("download"),
      doc.getByRole("button", { name: /télécharger/i }).click(),
    ]);
    const url = new URL(download.url());
    expect(url.pathname).toMatch(/^\/api\/files\//);
    expect(download.suggestedFilename()).toBe("charte.pdf");

    const direct = `${API_URL}${url.pathname}`;
    const now = await fetchAt(direct, { headers: { "x-fataplus-tenant": "acme" } });
    expect(now.status).toBe(200);
    expect(now.headers.get("content-disposition")).toMatch(/^attachment/);
    const later = new Date(Date.now() + 16 * 60_000).toISOString();
    const expired = await fetchAt(direct, {
      headers: { "x-fataplus-tenant": "acme", "x-fataplus-test-now": later },
    });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
    // on another project's host the same link is refused
    const foreign = await fetchAt(tenantUrl("globex", url.pathname), {});
    expect(foreign.status).toBe(403);
    // the site never forwards the test clock: through it the link still works
    const viaSite = await fetchAt(url.href, { headers: { "x-fataplus-test-now": later } });
    expect(viaSite.status).toBe(200);
  });
});
