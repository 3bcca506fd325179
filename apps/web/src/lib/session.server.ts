/**
 * The signed-in user for a page, read from the API with the request's cookie (the API re-reads it from D1),
 * and the language of the app. Pages never decide permissions from this: it only picks what to show, and the
 * API refuses anything the user may not do.
 */
import type { ApiClient, MeResponse } from "@fataplus/api-client";
import { opensCrm } from "@fataplus/domain/vocabulary";
import type { AstroGlobal } from "astro";
import { type AppT, appT } from "../i18n/app";
import type { Lang } from "../i18n/ui";
import { serverApiClient } from "./api.server";
import { marketingOrigin } from "./tenant-host";

export const LANG_COOKIE = "fp_lang";

export type Session = { api: ApiClient; me: MeResponse; lang: Lang; t: AppT };

export function langOf(astro: AstroGlobal, me: MeResponse | null): Lang {
  const picked = astro.cookies.get(LANG_COOKIE)?.value;
  if (picked === "fr" || picked === "en") return picked;
  return me?.user.locale === "en" ? "en" : "fr";
}

export async function currentSession(astro: AstroGlobal): Promise<Session | null> {
  const api = serverApiClient(astro.request, astro.locals.tenant);
  const me = await api.me();
  if (!me) return null;
  const lang = langOf(astro, me);
  return { api, me, lang, t: appT(lang) };
}

export function loginRedirect(astro: AstroGlobal): Response {
  const url = new URL(astro.request.url);
  const next = `${url.pathname}${url.search}`;
  return astro.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
}

/** A CRM page's session, or the response to send instead (sign in first; clients have no CRM). */
export async function requireCrm(astro: AstroGlobal): Promise<Session | Response> {
  astro.response.headers.set("cache-control", "no-store");
  // The CRM lives on the main site; on a project's subdomain every API call would be bound to that project.
  if (astro.locals.tenant) {
    const url = new URL(astro.request.url);
    return astro.redirect(
      `${marketingOrigin(url.href, astro.locals.tenant)}${url.pathname}${url.search}`,
      303,
    );
  }
  const session = await currentSession(astro);
  if (!session) return loginRedirect(astro);
  // Who opens the CRM is the domain's rule (the CRM's routes apply it again on every call).
  if (!opensCrm(session.me)) return astro.redirect("/", 303);
  return session;
}

export const isAgencyAdmin = (s: Session) => s.me.user.role === "admin";
