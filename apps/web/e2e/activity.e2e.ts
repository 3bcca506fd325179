import { formatInZone } from "@fataplus/domain/vocabulary";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { DEMO, screenshot, signIn, siteUrl } from "./stack.ts";

/**
 * Activity people can read and times in their own zone (decision 030): a project manager who picked
 * Europe/Paris and one who follows the agency (Antananarivo) see the same event of acme's activity at their own
 * clock time, each saying its zone; the activity reads as sentences with names and links; a lead that came
 * through the intake shows, in its timeline, its creation, its move to the proposal stage and the proposal sent.
 */
let browser: Browser;
let paris: BrowserContext;
let agency: BrowserContext;
const run = Date.now().toString(36);

beforeAll(async () => {
  browser = await launchChromium();
  paris = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  agency = await browser.newContext({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await paris?.close();
  await agency?.close();
  await browser?.close();
});

/** A same-origin API call from the page (its session cookie, its Origin). */
async function callApi(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(p as string, {
        method: m as string,
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(b === undefined ? {} : { body: JSON.stringify(b) }),
      });
      return {
        status: res.status,
        body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
      };
    },
    [method, path, body] as const,
  );
}

/** The activity line of acme's project page that names `title`, with its time as shown and as stored. */
async function lineAbout(page: Page, title: string) {
  await page.goto(siteUrl("/crm/projects/acme"), { waitUntil: "domcontentloaded" });
  const line = page.locator("[data-testid=activity] li", { hasText: title });
  await line.waitFor();
  const time = line.locator("time");
  return {
    sentence: ((await line.getByTestId("activity-sentence").textContent()) ?? "").replace(/\s+/g, " ").trim(),
    shown: ((await time.textContent()) ?? "").trim(),
    at: (await time.getAttribute("datetime")) ?? "",
    href: await line.getByRole("link", { name: title }).getAttribute("href"),
  };
}

describe("activity and time zones", () => {
  it("two readers see the same event at their own clock time, as a sentence with names and a link", async () => {
    const sam = await paris.newPage();
    await signIn(sam, DEMO.staff);
    await sam.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    const section = sam.getByTestId("time-zone-section");
    await section.getByLabel("Mon fuseau horaire").selectOption("Europe/Paris");
    await Promise.all([
      sam.waitForURL(/time_zone=saved/),
      section.getByRole("button", { name: "Enregistrer" }).click(),
    ]);
    expect(await sam.getByTestId("time-zone-current").textContent()).toMatch(/Europe\/Paris/);
    await screenshot(sam, "account-time-zone");

    const paul = await agency.newPage();
    await signIn(paul, DEMO.pmAcme);
    await paul.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    expect(await paul.getByTestId("time-zone-current").textContent()).toMatch(/Indian\/Antananarivo/);

    // Sam creates a task in acme; both open acme's project page
    const title = `Maquette fuseaux ${run}`;
    const projects = await callApi(sam, "GET", "/api/data/projects?tenant=acme&limit=1");
    const projectId = ((projects.body?.data ?? []) as Array<{ id: string }>)[0]?.id;
    const created = await callApi(sam, "POST", "/api/data/tasks?tenant=acme", {
      project_id: projectId,
      title,
    });
    expect(created.status).toBe(201);

    const forSam = await lineAbout(sam, title);
    const forPaul = await lineAbout(paul, title);
    expect(forSam.at).toBe(forPaul.at);
    expect(forSam.sentence).toBe(`Sam Staff a créé la tâche ${title}`);
    expect(forPaul.sentence).toBe(`Sam Staff a créé la tâche ${title}`);
    expect(forSam.href).toBe("/crm/projects/acme/tasks");
    // the same instant, each at their own clock time, each saying its zone
    expect(forSam.shown).toBe(
      formatInZone(forSam.at, { locale: "fr", timeZone: "Europe/Paris", style: "time" }),
    );
    expect(forPaul.shown).toBe(
      formatInZone(forPaul.at, { locale: "fr", timeZone: "Indian/Antananarivo", style: "time" }),
    );
    expect(forSam.shown).toMatch(/UTC\+[12]$/);
    expect(forPaul.shown).toMatch(/UTC\+3$/);
    expect(forSam.shown).not.toBe(forPaul.shown);
    // no e-mail address in the sentences
    expect(await paul.getByTestId("activity").textContent()).not.toMatch(/@fata\.plus/);
    await screenshot(paul, "crm-project-activity");

    // Sam follows the agency again (other journeys expect the demo's zones)
    await sam.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    await section.getByLabel("Mon fuseau horaire").selectOption("");
    await Promise.all([
      sam.waitForURL(/time_zone=saved/),
      section.getByRole("button", { name: "Enregistrer" }).click(),
    ]);
    expect(await sam.getByTestId("time-zone-current").textContent()).toMatch(/Indian\/Antananarivo/);
    // the same section in English
    await sam.goto(siteUrl("/en/account"), { waitUntil: "domcontentloaded" });
    const english = sam.getByTestId("time-zone-section");
    expect(await english.getByRole("heading", { name: "Time zone" }).count()).toBe(1);
    expect(await english.getByLabel("My time zone").inputValue()).toBe("");
    expect(((await sam.getByTestId("time-zone-current").textContent()) ?? "").trim()).toMatch(
      /^Your times are shown in Indian\/Antananarivo: it is \d{2}:\d{2} UTC\+3\.$/,
    );
  });

  it("a lead from the intake shows its creation, its stage change and the proposal sent", async () => {
    const sam = await paris.newPage();
    await sam.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
    const stamp = `Chronologie ${run}`;
    const intake = await callApi(sam, "POST", "/api/intake", {
      locale: "fr",
      idempotency_key: `activity-e2e-${run}-0000000000`,
      name: "Hery Rakoto",
      email: `hery.${run}@example.test`,
      organisation: stamp,
      project_type: "website",
      goals: "Un site pour vendre la vanille de la coopérative en ligne.",
      budget: "5k_15k",
      timeline: "flexible",
      website: "",
    });
    expect(intake.status).toBe(201);
    const list = await callApi(sam, "GET", `/api/app/crm/leads?q=${encodeURIComponent(stamp)}`);
    const lead = (
      (list.body?.rows ?? []) as Array<{ id: string; tenant_subdomain: string; title: string }>
    )[0];
    if (!lead) throw new Error(`no lead: ${JSON.stringify(list)}`);
    const detail = await callApi(sam, "GET", `/api/app/crm/leads/${lead.id}/intake`);
    const version = (detail.body?.proposal as { version?: number } | undefined)?.version;
    const sent = await callApi(sam, "POST", `/api/app/crm/leads/${lead.id}/proposal/send`, { version });
    expect(sent.status).toBe(200);

    await sam.goto(siteUrl(`/crm/leads/${lead.tenant_subdomain}/${lead.id}`), {
      waitUntil: "domcontentloaded",
    });
    const timeline = sam.getByTestId("timeline");
    await timeline.waitFor();
    const sentences = (await timeline.getByTestId("activity-sentence").allTextContents()).map((s) =>
      s.replace(/\s+/g, " ").trim(),
    );
    expect(sentences).toContain(`Sam Staff a passé le prospect ${lead.title} à « Proposition »`);
    expect(sentences.some((s) => /^Sam Staff a envoyé la proposition /.test(s))).toBe(true);
    expect(sentences.some((s) => /^Fataplus a envoyé l'e-mail .*proposition/i.test(s))).toBe(true);
    expect(sentences[sentences.length - 1]).toBe(`Le formulaire de demande a créé le prospect ${lead.title}`);
    await screenshot(sam, "crm-lead-timeline");
  });
});
