/** The invitation page: choose a password, then the API accepts the invitation (the domain's invitations/). */

import { authApi, isApiError } from "@fataplus/api-client";
import type { AstroGlobal } from "astro";
import type { AppT } from "../i18n/app";
import { serverApiClient } from "./api.server";
import { currentSession } from "./session.server";

export type InvitationState = {
  lang: "fr" | "en";
  token: string;
  error: string | null;
  done: { email: string } | null;
  /** The signed-in account, which can join with this invitation instead of creating one. */
  signedInAs: string | null;
  /** The invitation is for an existing account: sign in with it, then come back (this path). */
  signInFirst: string | null;
};

export async function invitationPage(
  astro: AstroGlobal,
  lang: "fr" | "en",
  t: AppT,
): Promise<InvitationState | Response> {
  astro.response.headers.set("cache-control", "no-store");
  astro.response.headers.set("referrer-policy", "no-referrer");
  const url = new URL(astro.request.url);
  const session = await currentSession(astro).catch(() => null);
  const state: InvitationState = {
    lang,
    token: (url.searchParams.get("token") ?? "").slice(0, 200),
    error: null,
    done: null,
    signedInAs: session?.me.user.email ?? null,
    signInFirst: null,
  };
  if (astro.request.method !== "POST") {
    if (!state.token) state.error = t("invite.missing");
    return state;
  }
  const data = await astro.request.formData();
  const token = String(data.get("token") ?? "").slice(0, 200);
  const join = data.get("join") === "1" && session !== null;
  const password = String(data.get("password") ?? "");
  const confirm = String(data.get("confirm") ?? "");
  state.token = token;
  const fail = (error: string, status: number) => {
    astro.response.status = status;
    return { ...state, error };
  };
  if (!join && password.length < 12) return fail(t("invite.short"), 400);
  if (!join && password !== confirm) return fail(t("invite.mismatch"), 400);
  let accepted: { email: string };
  try {
    // With the session cookie: an existing account joins through its own session.
    accepted = await authApi(serverApiClient(astro.request, astro.locals.tenant)).acceptInvitation(
      join ? { token } : { token, password, locale: lang },
    );
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.status === 409) {
      // The address already has an account: it joins through its own session, never through the token alone.
      astro.response.status = 409;
      return {
        ...state,
        error: t("invite.existing"),
        signInFirst: `${url.pathname}?token=${encodeURIComponent(token)}`,
      };
    }
    // A password the strength rule refuses: the API says why, in this page's language.
    const weak = error.status === 400 ? error.fields.password : undefined;
    if (weak) return fail(weak, 400);
    if ([400, 401, 404, 410].includes(error.status)) return fail(t("invite.invalid"), 400);
    return fail(t("login.unavailable"), 503);
  }
  // On a project's subdomain (the intake's magic link), a new account is signed in at once and lands in the
  // portal: the password was just chosen here, so this is the same sign-in the login page would do.
  if (!join && astro.locals.tenant) {
    const visitor = serverApiClient(astro.request, astro.locals.tenant, { anonymous: true });
    const signedIn = await visitor.login({ email: accepted.email, password }).catch(() => null);
    if (signedIn) {
      const headers = new Headers({ location: lang === "en" ? "/en/" : "/", "cache-control": "no-store" });
      for (const c of signedIn.cookies) headers.append("set-cookie", c);
      return new Response(null, { status: 303, headers });
    }
  }
  return { ...state, done: { email: accepted.email } };
}
