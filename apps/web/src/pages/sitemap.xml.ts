import type { APIRoute } from "astro";
import { sitemapXml } from "../i18n/sitemap";

// Built once, served as a static file.
export const prerender = true;

export const GET: APIRoute = ({ site }) =>
  new Response(sitemapXml(site ?? "https://fata.plus"), {
    headers: { "content-type": "application/xml; charset=utf-8" },
  });
