/**
 * Notifications in the browser (decision 027), with the project manager of acme and its client in two contexts:
 * a client's upload makes the PM's bell rise live (no reload); a message the PM read in the open thread is never
 * e-mailed; several events become one digest e-mail in the outbox (the admin's "run now" with the API's test
 * clock, never honoured in production, instead of waiting 15 minutes); the digest's unsubscribe link works
 * signed out, and e-mails of that kind stop.
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
let adminContext: BrowserContext;
let pm: Page;
let client: Page;
let admin: Page;
const crmPortal = siteUrl("/crm/projects/acme/portal");
const portal = tenantUrl("acme");
/** The clock of the next "run now": it moves forward by an hour each time (the API's test clock). */
let clock = Date.now();

beforeAll(async () => {
  browser = await launchChromium();
  pmContext = await browser.newContext();
  clientContext = await browser.newContext();
  adminContext = await browser.newContext();
  pm = await pmContext.newPage();
  client = await clientContext.newPage();
  admin = await adminContext.newPage();
  await signIn(pm, DEMO.pmAcme);
  await signIn(client, DEMO.clientAcme);
  await signIn(admin, DEMO.admin);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const live = (page: Page) => page.locator("[data-live-status][data-state=live]").waitFor({ timeout: 15_000 });
const bellCount = async (page: Page) => {
  await page.locator("[data-bell][data-ready=true]").first().waitFor({ timeout: 15_000 });
  return Number(await page.getByTestId("notification-count").first().getAttribute("data-count"));
};

/** The cron's notification pass, now, as the agency admin, an hour later each time. */
async function runNotificationPass(): Promise<{ mailed: number }> {
  clock += 3600_000;
  const cookie = (await adminContext.cookies(siteUrl("/"))).map((c) => `${c.name}=${c.value}`).join("; ");
  const res = await fetchAt(`${API_URL}/api/app/agency/notifications/run`, {
    method: "POST",
    headers: {
      cookie,
      "content-type": "application/json",
      "x-fataplus-test-now": new Date(clock).toISOString(),
    },
    body: "{}",
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { mailed: number };
}

/** The outbox rows to an address, as the admin reads them at /crm/outbox. */
async function outboxTo(address: string): Promise<string[]> {
  await admin.goto(siteUrl(`/crm/outbox?q=${encodeURIComponent(address)}&pageSize=100`), {
    waitUntil: "domcontentloaded",
  });
  const rows = admin.getByRole("row").filter({ hasText: address });
  return rows.allTextContents();
}

async function send(page: Page, text: string) {
  const form = page.locator("form[data-message]");
  await form.getByRole("button", { name: /^envoyer$/i }).isEnabled();
  await form.getByLabel(/votre message/i).fill(text);
  const posted = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/app/portal/messages" && r.request().method() === "POST",
  );
  await form.getByRole("button", { name: /^envoyer$/i }).click();
  const res = await posted;
  expect(res.status(), await res.text()).toBe(201);
  await page.getByTestId("thread").getByText(text).waitFor({ timeout: 10_000 });
}

describe("notifications", () => {
  it("a client's upload makes the project manager's bell rise live, without a reload", async () => {
    // the PM asks for a file (through the site, as the CRM's form does)
    const title = `Plan du site ${stamp}`;
    const asked = await pm.request.post(siteUrl("/api/app/portal/requests?tenant=acme"), {
      headers: { origin: new URL(siteUrl("/")).origin },
      data: { title, due_date: "2030-06-30" },
    });
    expect(asked.status()).toBe(201);
    await pm.goto(crmPortal, { waitUntil: "networkidle" });
    await live(pm);
    const before = await bellCount(pm);

    await client.goto(portal, { waitUntil: "networkidle" });
    // the client was told of the request (their own bell, on the portal)
    expect(await bellCount(client)).toBeGreaterThan(0);
    const mine = client.getByTestId("request-item").filter({ hasText: title });
    await mine
      .locator("input[type=file]")
      .setInputFiles({ name: "plan.pdf", mimeType: "application/pdf", buffer: pdf(title) });
    await Promise.all([
      client.waitForEvent("load"),
      mine.getByRole("button", { name: /envoyer le fichier/i }).click(),
    ]);

    // the PM's page was not reloaded: the socket told the bell, which read its count again
    await pm.waitForFunction(
      (n) => Number(document.querySelector("[data-bell-count]")?.getAttribute("data-count")) > n,
      before,
      { timeout: 15_000 },
    );
    await screenshot(pm, "notifications-bell-live");

    // the list links to the exact request, and "mark all as read" empties the count
    await pm.getByTestId("notification-bell").first().click();
    await pm.waitForURL(/\/crm\/notifications/);
    const entry = pm.getByTestId("notifications").getByRole("link").filter({ hasText: title }).first();
    expect(await entry.getAttribute("href")).toMatch(/^\/crm\/projects\/acme\/portal#request-[0-9a-f-]{36}$/);
    await screenshot(pm, "notifications-list");
    await Promise.all([pm.waitForURL(/marked=1/), pm.getByTestId("mark-all-read").click()]);
    expect(await bellCount(pm)).toBe(0);
  });

  it("what the PM read in the open thread is never e-mailed; the rest becomes one digest", async () => {
    await runNotificationPass(); // anything earlier leaves first
    const earlier = (await outboxTo(DEMO.pmAcme)).length;

    // the PM has the thread open: the client's first message is read as it arrives
    await pm.goto(crmPortal, { waitUntil: "networkidle" });
    await client.goto(portal, { waitUntil: "networkidle" });
    await Promise.all([live(pm), live(client)]);
    const seen = `Vu en direct ${stamp}`;
    // the PM's view moves its read marker when the message arrives (and so reads its notification)
    const marked = pm.waitForResponse(
      (r) => r.url().includes("/api/app/portal/messages/read") && r.status() === 200,
      { timeout: 15_000 },
    );
    await send(client, seen);
    await pm.getByTestId("thread").getByText(seen).waitFor({ timeout: 10_000 });
    await marked;
    await pm.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });

    // three more while the PM is elsewhere
    const burst = [1, 2, 3].map((i) => `Rafale ${i} ${stamp}`);
    for (const text of burst) await send(client, text);

    const pass = await runNotificationPass();
    expect(pass.mailed).toBeGreaterThan(0);
    const rows = await outboxTo(DEMO.pmAcme);
    expect(rows.length).toBe(earlier + 1);
    // the newest row is the digest: open it
    await admin.getByRole("row").filter({ hasText: DEMO.pmAcme }).first().getByRole("link").first().click();
    await admin.waitForURL(/\/crm\/outbox\/[^/?]+$/);
    const body = (await admin.getByTestId("outbox-body").textContent()) ?? "";
    for (const text of burst) expect(body).toContain(text);
    expect(body).not.toContain(seen);
    expect(body).toMatch(/UTC\+3/);
    expect(body).toContain("/crm/projects/acme/portal#messages");
    await screenshot(admin, "notifications-digest");

    const link = /https?:\/\/\S+\/notifications\/desabonnement\?token=\S+/.exec(body)?.[0] ?? "";
    expect(link).not.toBe("");
    unsubscribeLink = link;
  });

  it("the digest's unsubscribe link works signed out; the PM's e-mails about messages stop", async () => {
    const stranger = await browser.newContext();
    const page = await stranger.newPage();
    const url = new URL(unsubscribeLink);
    await page.goto(siteUrl(`${url.pathname}${url.search}`), { waitUntil: "domcontentloaded" });
    await page.getByTestId("unsubscribe-confirm").click();
    await page.getByTestId("unsubscribe-done").waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("unsubscribe-done").textContent()).toMatch(/messages du fil/i);
    await screenshot(page, "notifications-unsubscribed");
    await stranger.close();

    // the account page shows the choice: in the app only
    await pm.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    const row = pm.getByTestId("notification-preferences").locator("tr[data-kind=message]");
    expect(await row.locator("input[value=app]").isChecked()).toBe(true);

    const before = (await outboxTo(DEMO.pmAcme)).length;
    await client.goto(portal, { waitUntil: "networkidle" });
    await live(client);
    await send(client, `Après le désabonnement ${stamp}`);
    await runNotificationPass();
    expect((await outboxTo(DEMO.pmAcme)).length).toBe(before);
  });
});

let unsubscribeLink = "";
