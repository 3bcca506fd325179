/** The invitation page: choose a password, then the API accepts the invitation (packages/domain/src/invitations). */

import { env } from "cloudflare:workers";
import type { AstroGlobal } from "astro";
import type { AppT } from "../i18n/app";
import { forwardToApi } from "./proxy";
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
  const res = await forwardToApi(
    env.API,
    new Request(`${url.origin}/api/auth/invitations/accept`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: astro.request.headers.get("cookie") ?? "" },
      body: JSON.stringify(join ? { token } : { token, password }),
    }),
    astro.locals.tenant,
  );
  if (res.status === 409) {
    // The address already has an account: it joins through its own session, never through the token alone.
    astro.response.status = 409;
    return {
      ...state,
      error: t("invite.existing"),
      signInFirst: `${url.pathname}?token=${encodeURIComponent(token)}`,
    };
  }
  if (res.status === 400 || res.status === 404 || res.status === 410 || res.status === 401)
    return fail(t("invite.invalid"), 400);
  if (!res.ok) return fail(t("login.unavailable"), 503);
  const body = (await res.json()) as { email: string };
  // On a project's subdomain (the intake's magic link), a new account is signed in at once and lands in the
  // portal: the password was just chosen here, so this is the same sign-in the login page would do.
  if (!join && astro.locals.tenant) {
    const signIn = await forwardToApi(
      env.API,
      new Request(`${url.origin}/api/auth/login`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(astro.request.headers.get("cf-connecting-ip")
            ? { "cf-connecting-ip": astro.request.headers.get("cf-connecting-ip") ?? "" }
            : {}),
        },
        body: JSON.stringify({ email: body.email, password }),
      }),
      astro.locals.tenant,
    );
    if (signIn.ok) {
      const headers = new Headers({ location: lang === "en" ? "/en/" : "/", "cache-control": "no-store" });
      for (const c of signIn.headers.getSetCookie()) headers.append("set-cookie", c);
      return new Response(null, { status: 303, headers });
    }
  }
  return { ...state, done: { email: body.email } };
}
