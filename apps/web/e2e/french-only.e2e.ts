/**
 * No English on a French page: the French screens of the CRM, the portal and the bootcamp, and the API's
 * refusals shown on them, contain no sentence of the English catalogues (the dictionaries' English side where
 * it differs from the French, and the error catalogue's English sentences).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { accountT } from "../src/i18n/account";
import { accountSessionsT } from "../src/i18n/account-sessions";
import { appT } from "../src/i18n/app";
import { bootcampT } from "../src/i18n/bootcamp";
import { crmT } from "../src/i18n/crm";
import { clT } from "../src/i18n/crm-clients-leads";
import { ptT } from "../src/i18n/crm-projects-tasks";
import { englishSentences } from "../src/i18n/errors";
import { intakeT } from "../src/i18n/intake";
import { moneyT } from "../src/i18n/money";
import { notificationsT } from "../src/i18n/notifications";
import { outboxT } from "../src/i18n/outbox";
import { portalT } from "../src/i18n/portal";
import { teamT } from "../src/i18n/team";
import { ui } from "../src/i18n/ui";
import { usageT } from "../src/i18n/usage";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();

type Strings = (lang: "fr" | "en") => Record<string, string>;
const dictionaries: Strings[] = [
  appT.strings,
  crmT.strings,
  clT.strings,
  ptT.strings,
  portalT.strings,
  bootcampT.strings,
  intakeT.strings,
  moneyT.strings,
  notificationsT.strings,
  outboxT.strings,
  teamT.strings,
  usageT.strings,
  accountT.strings,
  accountSessionsT.strings,
  (lang) => ui[lang],
];

/**
 * The English side of every catalogue, as the literal pieces a page could show: placeholders split the
 * sentence, and only pieces long enough to be English prose (a space, 14 characters or more) count, so
 * a shared word ("Portfolio", "Email") is no false alarm.
 */
function englishPieces(): string[] {
  const pieces = new Set<string>();
  const add = (text: string) => {
    for (const piece of text.split(/\{\w+\}/)) {
      const p = piece.trim();
      if (p.length >= 14 && p.includes(" ")) pieces.add(p);
    }
  };
  for (const strings of dictionaries) {
    const fr = strings("fr");
    for (const [key, en] of Object.entries(strings("en"))) if (en !== fr[key]) add(en);
  }
  for (const s of englishSentences()) add(s);
  return [...pieces];
}

const english = englishPieces();

async function englishOn(page: Page, url: string): Promise<string[]> {
  if (page.url() !== url) await page.goto(url, { waitUntil: "domcontentloaded" });
  const text = await page.evaluate(() => document.body.innerText);
  return english.filter((piece) => text.includes(piece)).map((piece) => `${url}: "${piece}"`);
}

describe("French everywhere", () => {
  it("the catalogue of English pieces is not empty (the check checks something)", () => {
    expect(english.length).toBeGreaterThan(200);
    expect(english).toContain("Sign in first.");
  });

  it("the CRM's French screens show no English sentence", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    await context().addCookies([{ name: "fp_lang", value: "fr", url: siteUrl("/") }]);
    const found: string[] = [];
    for (const path of [
      "/crm",
      "/crm/clients",
      "/crm/leads",
      "/crm/notes",
      "/crm/projects",
      "/crm/projects/acme",
      "/crm/bootcamp",
      "/crm/notifications",
    ])
      found.push(...(await englishOn(page, siteUrl(path))));
    expect(found).toEqual([]);
    await page.close();
  });

  it("a refusal of the API on a French page is in French (a course without title or slug)", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    await context().addCookies([{ name: "fp_lang", value: "fr", url: siteUrl("/") }]);
    await page.goto(siteUrl("/crm/bootcamp"), { waitUntil: "domcontentloaded" });
    // past the browser's own checks, as a script or an old browser would send it
    await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('form[aria-labelledby="new-course-h"]');
      if (form) form.noValidate = true;
    });
    await page.locator("#c-title").fill(" ");
    await Promise.all([
      page.waitForLoadState("domcontentloaded"),
      page.locator('form[aria-labelledby="new-course-h"] button[type="submit"]').click(),
    ]);
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain("Certains champs sont à corriger.");
    expect(text).toContain("Ce champ est obligatoire.");
    expect(await englishOn(page, page.url())).toEqual([]);
    await page.close();
  });

  it("the client's portal in French shows no English sentence", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.clientAcme, tenantUrl("acme", "/login"));
    expect(await englishOn(page, tenantUrl("acme", "/"))).toEqual([]);
    await page.close();
  });
});
