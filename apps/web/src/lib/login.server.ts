/**
 * The sign-in form's POST, handled by the page itself (no JavaScript needed): the credentials go to the API
 * through the service binding, the API's Set-Cookie comes back to the browser, and the user lands where
 * landing.ts says. A client signing in on the main site is handed off to their project's subdomain with a
 * one-time code (the session cookie is per host).
 */

import { crmApi, isApiError } from "@fataplus/api-client";
import type { AstroGlobal } from "astro";
import { z } from "zod";
import type { AppT } from "../i18n/app";
import { isSsoRequired, ssoT } from "../i18n/sso";
import { serverApiClient } from "./api.server";
import { landingFor, safeNext } from "./landing";
import { tenantOrigin } from "./tenant-host";

export type LoginOutcome =
  | { redirect: string; cookies: string[] }
  | { error: string; status: number; email: string };

const form = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(512) });

export async function handleLogin(
  astro: AstroGlobal,
  t: AppT,
  lang: "fr" | "en" = "fr",
): Promise<LoginOutcome> {
  const data = await astro.request.formData();
  const email = String(data.get("email") ?? "").slice(0, 254);
  const next = safeNext(String(data.get("next") ?? ""));
  const parsed = form.safeParse({ email, password: data.get("password") ?? "" });
  if (!parsed.success) return { error: t("login.invalid"), status: 400, email };

  const tenant = astro.locals.tenant;
  // As the visitor (their address goes along for the API's sign-in throttle), without an older session.
  const visitor = serverApiClient(astro.request, tenant, { anonymous: true });
  let session: Awaited<ReturnType<typeof visitor.login>>;
  try {
    session = await visitor.login(parsed.data);
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 429) {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
      return { error: t("login.locked", { minutes }), status: 429, email };
    }
    if (error.status === 401 || error.status === 400) return { error: t("login.wrong"), status: 401, email };
    if (isSsoRequired(error)) return { error: ssoT(lang)("fail.sso_required"), status: 403, email };
    return { error: t("login.unavailable"), status: 503, email };
  }
  const { cookies } = session;

  // Who is this, and where do they go? Asked with the fresh token, through the same binding.
  const api = visitor.withHeaders({ authorization: `Bearer ${session.token}` });
  const me = await api.me();
  if (!me) return { error: t("login.unavailable"), status: 503, email };
  const landing = landingFor(me, tenant, next);
  if (landing.kind === "path") return { redirect: landing.path, cookies };
  if (landing.kind === "nothing") return { error: t("login.noProject"), status: 403, email };
  const { code, subdomain } = await crmApi(api).handoff(landing.subdomain);
  const target = tenantOrigin(astro.request.url, tenant, subdomain);
  return { redirect: `${target}/auth/handoff?code=${encodeURIComponent(code)}`, cookies };
}

export type LoginPageState = {
  lang: "fr" | "en";
  error: string | null;
  email: string;
  next: string;
  notice: string | null;
};

/** The sign-in page's state for GET, or the redirect after a successful POST. */
export async function loginPage(
  astro: AstroGlobal,
  lang: "fr" | "en",
  t: AppT,
): Promise<LoginPageState | Response> {
  astro.response.headers.set("cache-control", "no-store");
  const url = new URL(astro.request.url);
  const state: LoginPageState = {
    lang,
    error: null,
    email: (url.searchParams.get("email") ?? "").slice(0, 254),
    next: safeNext(url.searchParams.get("next")) ?? "",
    notice: url.searchParams.has("expired")
      ? t("login.expired")
      : url.searchParams.has("signedout")
        ? t("login.signedOut")
        : null,
  };
  if (astro.request.method !== "POST") return state;
  const outcome = await handleLogin(astro, t, lang);
  if ("redirect" in outcome) {
    const headers = new Headers({ location: outcome.redirect, "cache-control": "no-store" });
    for (const c of outcome.cookies) headers.append("set-cookie", c);
    return new Response(null, { status: 303, headers });
  }
  astro.response.status = outcome.status;
  return { ...state, error: outcome.error, email: outcome.email, notice: null };
}
