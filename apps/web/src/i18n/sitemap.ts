import { type Page, PRODUCT_PAGES, PUBLIC_PAGES } from "./routes";
import { LANGS } from "./ui";

const escapeXml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * sitemap.xml: one <url> per page and language, each listing every language version (and x-default, the
 * French page) as xhtml:link alternates, as search engines expect for multilingual sites.
 */
export function sitemapXml(
  site: URL | string,
  pages: readonly Page[] = [...PUBLIC_PAGES, ...PRODUCT_PAGES],
): string {
  const absolute = (path: string) => escapeXml(new URL(path, site).href);
  const urls = pages.flatMap((page) =>
    LANGS.map((lang) => {
      const links = [
        ...LANGS.map(
          (l) => `    <xhtml:link rel="alternate" hreflang="${l}" href="${absolute(page.paths[l])}"/>`,
        ),
        `    <xhtml:link rel="alternate" hreflang="x-default" href="${absolute(page.paths.fr)}"/>`,
      ];
      return `  <url>\n    <loc>${absolute(page.paths[lang])}</loc>\n${links.join("\n")}\n  </url>`;
    }),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ...urls,
    "</urlset>",
    "",
  ].join("\n");
}
