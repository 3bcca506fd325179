/**
 * The sign-in form's POST, handled by the page itself (no JavaScript needed): the credentials go to the API
 * through the service binding, the API's Set-Cookie comes back to the browser, and the user lands where
 * landing.ts says. A client signing in on the main site is handed off to their project's subdomain with a
 * one-time code (the session cookie is per host).
 */

import { type ApiClient, crmApi, isApiError, mfaApi } from "@fataplus/api-client";
import type { AstroGlobal } from "astro";
import { z } from "zod";
import type { AppT } from "../i18n/app";
import { mfaT } from "../i18n/mfa";
import { isSsoRequired, ssoT } from "../i18n/sso";
import type { Lang } from "../i18n/ui";
import { serverApiClient } from "./api.server";
import { landingFor, safeNext } from "./landing";
import { firstMfaStep, type MfaStepState, secondStep } from "./mfa-step.server";
import { tenantOrigin } from "./tenant-host";

export type LoginOutcome =
  | { redirect: string; cookies: string[] }
  | { error: string; status: number; email: string; mfa?: MfaStepState }
  | { mfa: MfaStepState; email: string; status?: number; error?: string };

const form = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(512) });

/** The session is open: who is it, and where do they go? Asked with the fresh token, through the same binding. */
async function landing(
  astro: AstroGlobal,
  t: AppT,
  visitor: ApiClient,
  session: { token: string; cookies: string[] },
  next: string | null,
  email: string,
): Promise<LoginOutcome> {
  const tenant = astro.locals.tenant;
  const { cookies } = session;
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

export async function handleLogin(astro: AstroGlobal, t: AppT, lang: Lang = "fr"): Promise<LoginOutcome> {
  const data = await astro.request.formData();
  const email = String(data.get("email") ?? "").slice(0, 254);
  const next = safeNext(String(data.get("next") ?? ""));
  const tenant = astro.locals.tenant;
  // As the visitor (their address goes along for the API's sign-in throttle), without an older session.
  const visitor = serverApiClient(astro.request, tenant, { anonymous: true });
  // The second step of a sign-in with two-step verification (mfa-step.server.ts).
  if (data.get("step") === "mfa-mode") {
    const challenge = String(data.get("challenge") ?? "").slice(0, 200);
    const useRecovery = data.get("mode") === "recovery";
    return { mfa: { kind: "verify", challenge, useRecovery }, email };
  }
  if (data.get("step") === "mfa") {
    const outcome = await secondStep(data, visitor, email, lang);
    if (!("session" in outcome)) return outcome;
    const landed = await landing(astro, t, visitor, outcome.session, next, email);
    if (!outcome.recoveryCodes || !("redirect" in landed)) return landed;
    // enrolled during this sign-in: the recovery codes are shown once, then the person goes on
    return {
      mfa: {
        kind: "codes",
        codes: outcome.recoveryCodes,
        continueTo: landed.redirect,
        cookies: landed.cookies,
      },
      email,
    };
  }

  const parsed = form.safeParse({ email, password: data.get("password") ?? "" });
  if (!parsed.success) return { error: t("login.invalid"), status: 400, email };

  let step: Awaited<ReturnType<ReturnType<typeof mfaApi>["passwordStep"]>>;
  try {
    step = await mfaApi(visitor).passwordStep(parsed.data);
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
  if (step.kind === "challenge") return { mfa: await firstMfaStep(visitor, step.mfa, email), email };
  return landing(astro, t, visitor, step, next, email);
}

export type LoginPageState = {
  lang: "fr" | "en";
  error: string | null;
  email: string;
  next: string;
  notice: string | null;
  /** The second step of a sign-in (two-step verification), when the password was right. */
  mfa: MfaStepState | null;
};

/**
 * A single sign-on whose account has a second factor comes back here with its challenge (the API's SSO callback,
 * decision 024): the page opens at the second step. A challenge that is malformed, used or expired says so.
 */
async function withSsoChallenge(
  astro: AstroGlobal,
  state: LoginPageState,
  lang: Lang,
): Promise<LoginPageState> {
  const url = new URL(astro.request.url);
  const challenge = url.searchParams.get("mfa_challenge") ?? "";
  const step = url.searchParams.get("mfa_step");
  if (!challenge) return state;
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(challenge) || (step !== "verify" && step !== "enrol"))
    return { ...state, error: mfaT(lang)("step.expired") };
  const visitor = serverApiClient(astro.request, astro.locals.tenant, { anonymous: true });
  try {
    const mfa = await firstMfaStep(visitor, { challenge, step, expires_at: "" }, state.email);
    return { ...state, mfa };
  } catch (error) {
    if (!isApiError(error)) throw error;
    return { ...state, error: mfaT(lang)("step.expired") };
  }
}

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
        : url.searchParams.get("mfa") === "required"
          ? mfaT(lang)("step.adminForm")
          : null,
    mfa: null,
  };
  if (astro.request.method !== "POST") return withSsoChallenge(astro, state, lang);
  const outcome = await handleLogin(astro, t, lang);
  if ("redirect" in outcome) {
    const headers = new Headers({ location: outcome.redirect, "cache-control": "no-store" });
    for (const c of outcome.cookies) headers.append("set-cookie", c);
    return new Response(null, { status: 303, headers });
  }
  if (outcome.mfa?.kind === "codes") {
    // enrolled during this sign-in: the session starts now, the recovery codes are shown once before going on
    for (const c of outcome.mfa.cookies) astro.response.headers.append("set-cookie", c);
  }
  astro.response.status = outcome.status ?? 200;
  return {
    ...state,
    error: outcome.error ?? null,
    email: outcome.email,
    notice: null,
    mfa: outcome.mfa ?? null,
  };
}
