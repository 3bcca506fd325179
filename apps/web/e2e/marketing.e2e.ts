import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterpartPath, PRODUCT_PAGES, PUBLIC_PAGES, pagePath } from "../src/i18n/routes";
import { LANGS, type Lang } from "../src/i18n/ui";
import { launchChromium } from "./browser.ts";

/**
 * The public marketing site in both languages, on the running stack (WEB_URL): every page answers with its
 * language, SEO tags and language switch, ships no JavaScript; the switch keeps the page; 404 and sitemap.
 * Screenshots of the home page go to test-results/screenshots/ (git-ignored).
 */
const WEB_URL = new URL(process.env.WEB_URL ?? "http://localhost:4321");
const SITE = "https://fata.plus"; // astro.config.mjs `site`: canonical and alternate URLs are absolute on it
const SCREENSHOTS = join(import.meta.dirname, "../../../test-results/screenshots");
const url = (path: string) => new URL(path, WEB_URL).href;

let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

interface Visit {
  page: Page;
  status: number | undefined;
  html: string;
  scripts: string[];
}

/** Opens a page and records the scripts it requests. */
async function visit(path: string): Promise<Visit> {
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
  });
  const response = await page.goto(url(path), { waitUntil: "load" });
  const html = (await response?.text()) ?? "";
  return { page, status: response?.status(), html, scripts };
}

const attr = (page: Page, selector: string, name: string) => page.getAttribute(selector, name);
const meta = (page: Page, property: string) => attr(page, `meta[property="${property}"]`, "content");
const metaName = (page: Page, name: string) => attr(page, `meta[name="${name}"]`, "content");

const cases = PUBLIC_PAGES.flatMap((p) => LANGS.map((lang) => ({ key: p.key, lang, paths: p.paths })));

describe("every public page, in both languages", () => {
  const titles = new Map<string, string>();

  it.each(cases)(
    "$lang $key: 200, lang, title, description, canonical, hreflang, Open Graph, no JS",
    async ({ lang, paths }) => {
      const path = paths[lang];
      const other: Lang = lang === "fr" ? "en" : "fr";
      const { page, status, html, scripts } = await visit(path);
      expect(status).toBe(200);
      expect(await attr(page, "html", "lang")).toBe(lang);

      const title = await page.title();
      expect(title).toMatch(/Fataplus/);
      expect(titles.has(title), `title "${title}" is used twice`).toBe(false);
      titles.set(title, path);
      const description = await metaName(page, "description");
      expect(description?.length ?? 0).toBeGreaterThan(50);

      expect(await attr(page, 'link[rel="canonical"]', "href")).toBe(`${SITE}${path}`);
      expect(await attr(page, 'link[rel="alternate"][hreflang="fr"]', "href")).toBe(`${SITE}${paths.fr}`);
      expect(await attr(page, 'link[rel="alternate"][hreflang="en"]', "href")).toBe(`${SITE}${paths.en}`);
      expect(await attr(page, 'link[rel="alternate"][hreflang="x-default"]', "href")).toBe(
        `${SITE}${paths.fr}`,
      );
      expect(await page.locator('meta[name="robots"]').count()).toBe(0);

      expect(await meta(page, "og:title")).toBe(title);
      expect(await meta(page, "og:description")).toBe(description);
      expect(await meta(page, "og:url")).toBe(`${SITE}${path}`);
      expect(await meta(page, "og:image")).toBe(`${SITE}/og.png`);
      expect(await meta(page, "og:locale")).toBe(lang === "fr" ? "fr_FR" : "en_GB");
      expect(await metaName(page, "twitter:card")).toBe("summary_large_image");

      // Landmarks and headings: one h1, a main, a skip link to it.
      expect(await page.locator("h1").count()).toBe(1);
      expect(await page.locator("main#main").count()).toBe(1);
      expect(await attr(page, "body > a:first-child", "href")).toBe("#main");

      // The switch goes to this very page in the other language.
      const toggle = page.getByTestId("language-switch");
      expect(await toggle.getAttribute("href")).toBe(paths[other]);
      expect(await toggle.getAttribute("hreflang")).toBe(other);

      // Zero JavaScript: no <script> in the HTML and none requested.
      expect(html).not.toMatch(/<script/i);
      expect(scripts).toEqual([]);
      await page.close();
    },
  );
});

describe("language switch", () => {
  it("keeps the page: /services/ → English services → back to French", async () => {
    const { page } = await visit("/services/");
    await page.getByTestId("language-switch").click();
    await page.waitForURL(url("/en/services/"));
    expect(await attr(page, "html", "lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toContain("Design, build, hand over.");

    await page.getByTestId("language-switch").click();
    await page.waitForURL(url("/services/"));
    expect(await attr(page, "html", "lang")).toBe("fr");
    await page.close();
  });

  it("maps French slugs to English ones (work, case study, about)", async () => {
    for (const path of ["/realisations/", "/realisations/tracabilite-vanille-sava/", "/a-propos/"]) {
      const { page } = await visit(path);
      await page.getByTestId("language-switch").click();
      await page.waitForURL(url(counterpartPath(path, "en")));
      expect(await attr(page, "html", "lang")).toBe("en");
      await page.close();
    }
  });

  it("works from the keyboard", async () => {
    const { page } = await visit("/en/contact/");
    await page.getByTestId("language-switch").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(url("/contact/"));
    expect(await attr(page, "html", "lang")).toBe("fr");
    await page.close();
  });
});

describe("home page", () => {
  it.each(LANGS)("%s: hero, services, selected work, bootcamp, intake, contact", async (lang) => {
    const { page, status } = await visit(pagePath("home", lang));
    expect(status).toBe(200);
    const main = page.locator("main");
    expect(await main.locator("h1").textContent()).toMatch(lang === "fr" ? /du champ/ : /from the field/);
    expect(await main.locator("section[aria-labelledby=services-heading] li h3").count()).toBe(4);
    const workLinks = main.locator("section[aria-labelledby=work-heading] article h3 a");
    expect(await workLinks.count()).toBe(3);
    expect(await workLinks.first().getAttribute("href")).toMatch(
      lang === "fr" ? /^\/realisations\/.+\/$/ : /^\/en\/work\/.+\/$/,
    );
    expect(await page.getByTestId("bootcamp-link").getAttribute("href")).toBe(
      lang === "fr" ? "/bootcamp" : "/en/bootcamp",
    );
    expect(await page.getByTestId("hero-intake").getAttribute("href")).toBe(
      lang === "fr" ? "/intake" : "/en/intake",
    );
    expect(await page.getByTestId("intake-cta").getAttribute("href")).toBe(
      lang === "fr" ? "/intake" : "/en/intake",
    );
    expect(await main.locator('a[href="mailto:contact@fata.plus"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId("contact-details").textContent()).toContain("Antananarivo");

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `home-${lang}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, `home-${lang}-mobile.png`), fullPage: false });
    await page.close();
  });

  it("starts keyboard navigation on the skip link, which leads to the main content", async () => {
    const { page } = await visit("/");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Aller au contenu");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.close();
  });
});

describe("layout on a client portal", () => {
  it("keeps the agency's navigation, canonical and hreflang off a tenant subdomain", async () => {
    const portal = new URL("/", WEB_URL);
    portal.hostname = `acme.${WEB_URL.hostname}`;
    const page = await context.newPage();
    const response = await page.goto(portal.href);
    expect(response?.status()).toBeLessThan(500);
    expect(await page.locator('nav a[href="/services/"]').count()).toBe(0);
    expect(await page.locator('link[rel="canonical"]').count()).toBe(0);
    expect(await page.locator('link[rel="alternate"][hreflang]').count()).toBe(0);
    // Anonymous visitors may be sent on to the sign-in page: the switch maps whatever page they are on.
    const here = new URL(page.url()).pathname;
    expect(await page.getByTestId("language-switch").getAttribute("href")).toBe(counterpartPath(here, "en"));
    await page.close();
  });
});

describe("contact page", () => {
  it.each(LANGS)("%s: details and a mailto link", async (lang) => {
    const { page } = await visit(pagePath("contact", lang));
    expect(await page.getByTestId("contact-mailto").getAttribute("href")).toBe("mailto:contact@fata.plus");
    const details = await page.getByTestId("contact-details").textContent();
    expect(details).toContain("contact@fata.plus");
    expect(details).toContain("Madagascar");
    await page.close();
  });
});

describe("404, sitemap, robots, assets", () => {
  it.each(["/cette-page-n-existe-pas", "/en/no-such-page/", "/realisations/inconnue/"])(
    "%s answers 404 with the bilingual not-found page, kept out of search engines",
    async (path) => {
      const { page, status } = await visit(path);
      expect(status).toBe(404);
      expect(await page.locator("h1").textContent()).toBe("Page introuvable");
      expect(await page.getByText("Page not found").count()).toBe(1);
      expect(await metaName(page, "robots")).toBe("noindex");
      expect(await page.locator('link[rel="canonical"]').count()).toBe(0);
      await page.close();
    },
  );

  it("redirects a section path without its trailing slash to the page", async () => {
    const { page, status } = await visit("/a-propos");
    expect(status).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/a-propos/");
    await page.close();
  });

  it("lists every public page (and the intake and bootcamp) in both languages in the sitemap, and each of them answers 200", async () => {
    const response = await fetch(url("/sitemap.xml"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/xml/);
    const xml = await response.text();
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1] ?? "");
    const expected = [...PUBLIC_PAGES, ...PRODUCT_PAGES].flatMap((p) =>
      LANGS.map((lang) => `${SITE}${p.paths[lang]}`),
    );
    expect(locs.sort()).toEqual(expected.sort());
    for (const loc of locs) {
      const res = await fetch(url(new URL(loc).pathname), { redirect: "manual" });
      expect(res.status, loc).toBe(200);
    }
  });

  it("serves robots.txt pointing to the sitemap, and the Open Graph image", async () => {
    const robots = await fetch(url("/robots.txt"));
    expect(robots.status).toBe(200);
    expect(await robots.text()).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    const og = await fetch(url("/og.png"));
    expect(og.status).toBe(200);
    expect(og.headers.get("content-type")).toBe("image/png");
  });
});
