/**
 * The public pages of the marketing site and their URL in each language. One table drives the language
 * switch (each page links to its counterpart), the hreflang alternates, the canonical URLs and the sitemap.
 *
 * URLs end with a slash: prerendered pages are written as `<path>/index.html` and the asset server
 * redirects `/services` to `/services/`, so the slash form is the canonical one.
 */
import { CASE_STUDIES } from "../components/marketing/case-studies";
import { LANGS, type Lang } from "./ui";

export type PageKey = "home" | "services" | "work" | "about" | "contact";

/** A public page in both languages. */
export interface Page {
  /** `home`, `services`… or `work/<fr slug>` for a case study. */
  key: string;
  paths: Record<Lang, string>;
}

export const STATIC_PAGES: Record<PageKey, Record<Lang, string>> = {
  home: { fr: "/", en: "/en/" },
  services: { fr: "/services/", en: "/en/services/" },
  work: { fr: "/realisations/", en: "/en/work/" },
  about: { fr: "/a-propos/", en: "/en/about/" },
  contact: { fr: "/contact/", en: "/en/contact/" },
};

/** Routes built by other parts of the product, linked from the marketing pages. */
export const PRODUCT_ROUTES = {
  intake: { fr: "/intake", en: "/en/intake" },
  bootcamp: { fr: "/bootcamp", en: "/en/bootcamp" },
} as const satisfies Record<string, Record<Lang, string>>;

export function pagePath(key: PageKey, lang: Lang): string {
  return STATIC_PAGES[key][lang];
}

export function caseStudyPath(slug: Record<Lang, string>, lang: Lang): string {
  return `${STATIC_PAGES.work[lang]}${slug[lang]}/`;
}

/** Every public page (home, the four sections, each case study), in both languages. */
export const PUBLIC_PAGES: readonly Page[] = [
  ...(Object.keys(STATIC_PAGES) as PageKey[]).map((key) => ({ key, paths: STATIC_PAGES[key] })),
  ...CASE_STUDIES.map((study) => ({
    key: `work/${study.slug.fr}`,
    paths: { fr: caseStudyPath(study.slug, "fr"), en: caseStudyPath(study.slug, "en") },
  })),
];

/** The public product pages (intake form, bootcamp catalogue): in the sitemap, built outside the marketing site. */
export const PRODUCT_PAGES: readonly Page[] = (
  Object.keys(PRODUCT_ROUTES) as Array<keyof typeof PRODUCT_ROUTES>
).map((key) => ({ key, paths: PRODUCT_ROUTES[key] }));

/** `/services` → `/services/`, `/en` → `/en/`, drops `index.html`, the query and the hash. */
export function normalizePath(pathname: string): string {
  let path = pathname.split(/[?#]/, 1)[0] ?? "/";
  if (!path.startsWith("/")) path = `/${path}`;
  path = path.replace(/\/index\.html$/, "/").replace(/\/{2,}/g, "/");
  return path.endsWith("/") ? path : `${path}/`;
}

/** The language a path is in: `/en` and everything under `/en/` is English, the rest French. */
export function langOfPath(pathname: string): Lang {
  return normalizePath(pathname).startsWith("/en/") ? "en" : "fr";
}

const BY_PATH: ReadonlyMap<string, Page> = new Map(
  PUBLIC_PAGES.flatMap((page) => LANGS.map((lang) => [page.paths[lang], page] as const)),
);

/** The public page at this path, or null when it is not one of ours (portal, CRM, intake…). */
export function pageAt(pathname: string): Page | null {
  return BY_PATH.get(normalizePath(pathname)) ?? null;
}

/**
 * Where the language switch goes from `pathname` to `target`: the counterpart of a known page; for any other
 * path (pages built elsewhere, e.g. `/bootcamp`), the same path with the `/en` prefix added or removed.
 */
export function counterpartPath(pathname: string, target: Lang): string {
  const page = pageAt(pathname);
  if (page) return page.paths[target];
  const path = pathname.split(/[?#]/, 1)[0] || "/";
  const from = langOfPath(path);
  if (from === target) return path;
  if (target === "en") return path === "/" ? "/en/" : `/en${path}`;
  const stripped = path.replace(/^\/en(?=\/|$)/, "");
  return stripped === "" ? "/" : stripped;
}
