/**
 * The password pages' server side (no JavaScript needed): asking for a reset link, the reset page, and the
 * account page's change of password. Each posts to the API through the service binding and shows its answer;
 * the API decides (docs/decisions/023-password-reset-and-strength.md).
 */
import { isApiError, passwordsApi } from "@fataplus/api-client";
import type { AstroGlobal } from "astro";
import { z } from "zod";
import { appT } from "../i18n/app";
import { PASSWORD_PATHS, passwordsT } from "../i18n/passwords";
import type { Lang } from "../i18n/ui";
import { serverApiClient } from "./api.server";

const MIN_LENGTH = 12;
const minutesOf = (seconds: number | null) => Math.max(1, Math.ceil((seconds ?? 60) / 60));
const unavailable = (lang: Lang) => appT(lang)("login.unavailable");

const email = z.string().trim().min(3).max(254).email();

export type ForgotState = { lang: Lang; email: string; error: string | null; sent: string | null };

/** "Mot de passe oublié ?": the form, and after a POST the same message whether or not the address exists. */
export async function forgotPage(astro: AstroGlobal, lang: Lang): Promise<ForgotState> {
  astro.response.headers.set("cache-control", "no-store");
  const t = passwordsT(lang);
  const url = new URL(astro.request.url);
  const state: ForgotState = {
    lang,
    email: (url.searchParams.get("email") ?? "").slice(0, 254),
    error: null,
    sent: null,
  };
  if (astro.request.method !== "POST") return state;
  const data = await astro.request.formData();
  state.email = String(data.get("email") ?? "").slice(0, 254);
  const parsed = email.safeParse(state.email);
  if (!parsed.success) {
    astro.response.status = 400;
    return { ...state, error: t("forgot.invalid") };
  }
  try {
    // As the visitor (their address goes along for the API's throttle), on this host's project if any.
    const visitor = serverApiClient(astro.request, astro.locals.tenant, { anonymous: true });
    await passwordsApi(visitor).requestReset({ email: parsed.data, locale: lang });
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 429) {
      astro.response.status = 429;
      return { ...state, error: t("forgot.tooMany", { minutes: minutesOf(error.retryAfter) }) };
    }
    if (error.status === 400) {
      astro.response.status = 400;
      return { ...state, error: t("forgot.invalid") };
    }
    astro.response.status = 503;
    return { ...state, error: unavailable(lang) };
  }
  return { ...state, sent: t("forgot.sent", { email: parsed.data }) };
}

export type ResetState = { lang: Lang; token: string; valid: boolean; error: string | null };

/**
 * The reset page: checks the link first (an unknown, used or expired one gets a page that says so, with a way
 * to ask for a new one); after a successful POST, the sign-in page with a notice and the address filled in.
 */
export async function resetPage(astro: AstroGlobal, lang: Lang): Promise<ResetState | Response> {
  astro.response.headers.set("cache-control", "no-store");
  astro.response.headers.set("referrer-policy", "no-referrer");
  const t = passwordsT(lang);
  const url = new URL(astro.request.url);
  const api = passwordsApi(serverApiClient(astro.request, astro.locals.tenant, { anonymous: true }));
  const isPost = astro.request.method === "POST";
  const data = isPost ? await astro.request.formData() : null;
  const token = String((data ? data.get("token") : url.searchParams.get("token")) ?? "").slice(0, 200);
  const state: ResetState = { lang, token, valid: true, error: null };
  const invalid = (status: number): ResetState => {
    astro.response.status = status;
    return { ...state, valid: false };
  };
  if (token.length < 20) return invalid(404);
  if (!data) {
    try {
      await api.checkReset(token);
      return state;
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.status === 404 || error.status === 400) return invalid(404);
      astro.response.status = 503;
      return { ...state, error: unavailable(lang) };
    }
  }
  const password = String(data.get("password") ?? "");
  const confirm = String(data.get("confirm") ?? "");
  const fail = (error: string, status = 400): ResetState => {
    astro.response.status = status;
    return { ...state, error };
  };
  if (password.length < MIN_LENGTH) return fail(t("reset.short"));
  if (password !== confirm) return fail(t("reset.mismatch"));
  let done: { email: string };
  try {
    done = await api.confirmReset({ token, password, locale: lang });
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 404) return invalid(404);
    const reason = error.status === 400 ? error.fields.password : undefined;
    if (reason) return fail(reason);
    if (error.status === 400) return invalid(404);
    return fail(unavailable(lang), 503);
  }
  const login = `${PASSWORD_PATHS.login[lang]}?reset=1&email=${encodeURIComponent(done.email)}`;
  return new Response(null, { status: 303, headers: { location: login, "cache-control": "no-store" } });
}

export type ChangeNotice = { ok: boolean; message: string };

/**
 * The account page's change of password (a POST to PASSWORD_PATHS.change): on success, back to the account page
 * with this device's fresh session cookie (every other session has ended); on a refusal, the notice to show
 * with the form again (the reason is never put in a URL).
 */
export async function changePasswordPost(astro: AstroGlobal, lang: Lang): Promise<Response | ChangeNotice> {
  astro.response.headers.set("cache-control", "no-store");
  const t = passwordsT(lang);
  const account = PASSWORD_PATHS.account[lang];
  if (astro.request.method !== "POST")
    return new Response(null, { status: 303, headers: { location: `${account}#password` } });
  const data = await astro.request.formData();
  const current = String(data.get("current_password") ?? "");
  const next = String(data.get("new_password") ?? "");
  const confirm = String(data.get("confirm") ?? "");
  const refuse = (message: string, status = 400): ChangeNotice => {
    astro.response.status = status;
    return { ok: false, message };
  };
  if (!current) return refuse(t("account.wrongCurrent"));
  if (next.length < MIN_LENGTH) return refuse(t("reset.short"));
  if (next !== confirm) return refuse(t("reset.mismatch"));
  try {
    const api = passwordsApi(serverApiClient(astro.request, astro.locals.tenant));
    const { cookies } = await api.change({ current_password: current, new_password: next, locale: lang });
    const headers = new Headers({
      location: `${account}?password=changed#password`,
      "cache-control": "no-store",
    });
    for (const c of cookies) headers.append("set-cookie", c);
    return new Response(null, { status: 303, headers });
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 401)
      return new Response(null, { status: 303, headers: { location: PASSWORD_PATHS.login[lang] } });
    if (error.status === 429)
      return refuse(t("forgot.tooMany", { minutes: minutesOf(error.retryAfter) }), 429);
    const fields = error.fields;
    if (fields.current_password) return refuse(t("account.wrongCurrent"));
    if (fields.new_password) return refuse(fields.new_password);
    return refuse(unavailable(lang), 503);
  }
}

/** The account page's notice after a successful change (`?password=changed`). */
export function changeNotice(url: URL, lang: Lang): ChangeNotice | null {
  return url.searchParams.get("password") === "changed"
    ? { ok: true, message: passwordsT(lang)("account.changed") }
    : null;
}
