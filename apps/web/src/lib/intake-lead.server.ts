/**
 * Server side of the intake's signed-in pages: the lead's intake page in the CRM (analysis, proposal editor,
 * accept/reject) and the portal's proposal page. Both post plain forms to themselves (no JavaScript needed);
 * each action is one API call with the user's cookie, and the page redirects after success (POST-redirect-GET).
 */
import { env } from "cloudflare:workers";
import type { Analysis, Proposal } from "@fataplus/domain";
import type { AstroGlobal } from "astro";
import { intakeT } from "../i18n/intake";
import { forwardToApi } from "./proxy";

export { dateOf, eurosToCents, MAX_LINES, moneyOf, proposalBodyFrom } from "./proposal-form";

import { currentSession, loginRedirect } from "./session.server";

export type IntakeLead = {
  lead: {
    id: string;
    title: string;
    contact_name: string | null;
    email: string | null;
    stage: string;
    value_cents: number | null;
    created_at: string;
  };
  intake: {
    id: string;
    locale: "fr" | "en";
    answers: Record<string, unknown>;
    analysis: Analysis;
    analyser: string;
    analyser_note: string | null;
    decided_at: string | null;
  };
  tenant: { id: string; name: string; subdomain: string; status: string; stage: string };
  projectManager: { id: number; name: string | null; email: string } | null;
  invitation: { accepted: boolean; expires_at: string } | null;
  proposal: Proposal | null;
};

type ApiAnswer<T> = {
  status: number;
  body: T | null;
  error: { code?: string; message?: string; details?: Array<{ path: string; message: string }> } | null;
  retryAfter: string | null;
};

/** One JSON call to the API as the signed-in user (cookie forwarded), on this host's tenant or none. */
export async function apiCall<T>(
  astro: AstroGlobal,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const url = new URL(astro.request.url);
  const res = await forwardToApi(
    env.API,
    new Request(`${url.origin}${path}`, {
      method,
      headers: {
        accept: "application/json",
        cookie: astro.request.headers.get("cookie") ?? "",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    astro.locals.tenant,
  );
  const json = (await res.json().catch(() => null)) as (T & { error?: ApiAnswer<T>["error"] }) | null;
  return {
    status: res.status,
    body: res.ok ? json : null,
    error: res.ok ? null : (json?.error ?? null),
    retryAfter: res.headers.get("retry-after"),
  };
}

/** The portal's proposal page: sign-in first; POST answers (accept with confirmation, or changes with a note). */
export async function proposalPage(astro: AstroGlobal, lang: "fr" | "en") {
  const t = intakeT(lang);
  astro.response.headers.set("cache-control", "no-store");
  const tenant = astro.locals.tenant;
  if (!tenant) return astro.redirect(lang === "en" ? "/en/" : "/", 303);
  const session = await currentSession(astro).catch(() => null);
  if (!session) return loginRedirect(astro);
  const mine = (session.me.tenants ?? []).find((x) => x.subdomain === tenant);
  const url = new URL(astro.request.url);
  let error: string | null = null;
  if (astro.request.method === "POST") {
    const data = await astro.request.formData();
    const decision = String(data.get("decision") ?? "");
    const note = String(data.get("note") ?? "")
      .trim()
      .slice(0, 2000);
    const version = Number(data.get("version") ?? 0);
    if (decision === "accept" && data.get("confirm") !== "1") error = t("p.decideErr");
    else if (decision === "changes" && !note) error = t("p.noteErr");
    else {
      const res = await apiCall(astro, "POST", "/api/app/portal/proposal/respond", {
        decision,
        version,
        ...(decision === "changes" ? { note } : {}),
      });
      if (res.status === 200) {
        return astro.redirect(
          `${url.pathname}?notice=${decision === "accept" ? "accepted" : "changes"}`,
          303,
        );
      }
      error = res.status === 409 ? t("p.expired") : (res.error?.message ?? t("p.expired"));
    }
    astro.response.status = 400;
  }
  const got = await apiCall<{ proposal: Proposal }>(astro, "GET", "/api/app/portal/proposal");
  if (got.status === 403) astro.response.status = 403;
  const n = url.searchParams.get("notice");
  return {
    lang,
    tenantName: mine?.name ?? tenant,
    proposal: got.body?.proposal ?? null,
    canAnswer: mine?.role === "client",
    notice: n === "accepted" ? t("p.acceptedNotice") : n === "changes" ? t("p.changesNotice") : null,
    error,
  };
}
