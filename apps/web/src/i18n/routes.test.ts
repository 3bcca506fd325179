import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CASE_STUDIES } from "../components/marketing/case-studies";
import {
  caseStudyPath,
  counterpartPath,
  langOfPath,
  normalizePath,
  PRODUCT_PAGES,
  PUBLIC_PAGES,
  pageAt,
  STATIC_PAGES,
} from "./routes";
import { sitemapXml } from "./sitemap";
import { LANGS } from "./ui";

const pagesDir = join(import.meta.dirname, "../pages");

/** The source file Astro builds a path from: `/en/about/` → en/about.astro or en/about/index.astro. */
function pageFileExists(path: string): boolean {
  const trimmed = path.replace(/^\/|\/$/g, "");
  if (trimmed === "" || trimmed === "en") return existsSync(join(pagesDir, trimmed, "index.astro"));
  return existsSync(join(pagesDir, `${trimmed}.astro`)) || existsSync(join(pagesDir, trimmed, "index.astro"));
}

describe("public page table", () => {
  it("lists the home, the four sections and every case study, once each", () => {
    expect(PUBLIC_PAGES.map((p) => p.key)).toEqual([
      "home",
      "services",
      "work",
      "about",
      "contact",
      ...CASE_STUDIES.map((s) => `work/${s.slug.fr}`),
    ]);
    const all = PUBLIC_PAGES.flatMap((p) => LANGS.map((l) => p.paths[l]));
    expect(new Set(all).size).toBe(all.length);
  });

  it("puts English under /en/ and French at the root, with a trailing slash", () => {
    for (const page of PUBLIC_PAGES) {
      expect(page.paths.en.startsWith("/en/"), page.paths.en).toBe(true);
      expect(page.paths.fr.startsWith("/en/"), page.paths.fr).toBe(false);
      for (const lang of LANGS) {
        expect(page.paths[lang].endsWith("/")).toBe(true);
        expect(langOfPath(page.paths[lang])).toBe(lang);
      }
    }
  });

  it("has a page file for every section path in both languages", () => {
    for (const paths of Object.values(STATIC_PAGES))
      for (const lang of LANGS) expect(pageFileExists(paths[lang]), paths[lang]).toBe(true);
    expect(existsSync(join(pagesDir, "realisations/[slug].astro"))).toBe(true);
    expect(existsSync(join(pagesDir, "en/work/[slug].astro"))).toBe(true);
  });

  it("gives case studies distinct slugs in each language under the work section", () => {
    for (const lang of LANGS) {
      const slugs = CASE_STUDIES.map((s) => s.slug[lang]);
      expect(new Set(slugs).size).toBe(slugs.length);
      for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
    const study = CASE_STUDIES[0];
    if (!study) throw new Error("no case study");
    expect(caseStudyPath(study.slug, "fr")).toBe(`/realisations/${study.slug.fr}/`);
    expect(caseStudyPath(study.slug, "en")).toBe(`/en/work/${study.slug.en}/`);
  });
});

describe("language switch", () => {
  it("maps each page to its counterpart and back", () => {
    for (const page of PUBLIC_PAGES) {
      expect(counterpartPath(page.paths.fr, "en")).toBe(page.paths.en);
      expect(counterpartPath(page.paths.en, "fr")).toBe(page.paths.fr);
      expect(counterpartPath(counterpartPath(page.paths.fr, "en"), "fr")).toBe(page.paths.fr);
      // Same language: stays on the page.
      expect(counterpartPath(page.paths.fr, "fr")).toBe(page.paths.fr);
    }
  });

  it("maps the French and English slugs of a section, not just the /en prefix", () => {
    expect(counterpartPath("/realisations/", "en")).toBe("/en/work/");
    expect(counterpartPath("/a-propos/", "en")).toBe("/en/about/");
    expect(counterpartPath("/en/about/", "fr")).toBe("/a-propos/");
    expect(counterpartPath("/realisations/tracabilite-vanille-sava/", "en")).toBe(
      "/en/work/sava-vanilla-traceability/",
    );
  });

  it("accepts paths without the trailing slash, with index.html, a query or a hash", () => {
    expect(counterpartPath("/services", "en")).toBe("/en/services/");
    expect(counterpartPath("/en", "fr")).toBe("/");
    expect(counterpartPath("/a-propos/index.html", "en")).toBe("/en/about/");
    expect(counterpartPath("/contact?ref=x", "en")).toBe("/en/contact/");
    expect(pageAt("/en/work#top")?.key).toBe("work");
  });

  it("adds or removes the /en prefix on pages it does not know (built elsewhere)", () => {
    expect(counterpartPath("/bootcamp", "en")).toBe("/en/bootcamp");
    expect(counterpartPath("/en/bootcamp", "fr")).toBe("/bootcamp");
    expect(counterpartPath("/en/intake/", "fr")).toBe("/intake/");
    expect(counterpartPath("/enquete", "en")).toBe("/en/enquete");
  });

  it("tells English paths from French ones by the /en segment only", () => {
    expect(langOfPath("/en")).toBe("en");
    expect(langOfPath("/en/contact/")).toBe("en");
    expect(langOfPath("/enquete/")).toBe("fr");
    expect(langOfPath("/")).toBe("fr");
  });

  it("normalises paths", () => {
    expect(normalizePath("services")).toBe("/services/");
    expect(normalizePath("//en//work")).toBe("/en/work/");
    expect(normalizePath("/index.html")).toBe("/");
  });
});

describe("sitemap", () => {
  const xml = sitemapXml("https://fata.plus");

  it("has one <url> per page (the intake and bootcamp included) and language, with both languages and x-default", () => {
    const urls = xml.match(/<url>[\s\S]*?<\/url>/g) ?? [];
    const pages = [...PUBLIC_PAGES, ...PRODUCT_PAGES];
    expect(PRODUCT_PAGES.map((p) => p.key)).toEqual(["intake", "bootcamp"]);
    expect(urls).toHaveLength(pages.length * LANGS.length);
    for (const page of pages) {
      for (const lang of LANGS) {
        const loc = `https://fata.plus${page.paths[lang]}`;
        const entry = urls.find((u) => u.includes(`<loc>${loc}</loc>`));
        expect(entry, loc).toBeDefined();
        expect(entry).toContain(`hreflang="fr" href="https://fata.plus${page.paths.fr}"`);
        expect(entry).toContain(`hreflang="en" href="https://fata.plus${page.paths.en}"`);
        expect(entry).toContain(`hreflang="x-default" href="https://fata.plus${page.paths.fr}"`);
      }
    }
  });

  it("declares the sitemap and xhtml namespaces", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"');
    expect(xml).toContain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
  });

  it("escapes XML special characters in URLs", () => {
    const out = sitemapXml("https://fata.plus", [{ key: "x", paths: { fr: "/a?b=1&c=2", en: "/en/a" } }]);
    expect(out).toContain("<loc>https://fata.plus/a?b=1&amp;c=2</loc>");
    expect(out).not.toContain("&c=2");
  });
});
