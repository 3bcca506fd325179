/**
 * Server side of the intake's signed-in pages: the lead's intake page in the CRM (analysis, proposal editor,
 * accept/reject) and the portal's proposal page. Both post plain forms to themselves (no JavaScript needed);
 * each action is one call of the typed client with the user's cookie, and the page redirects after success
 * (POST-redirect-GET).
 */
import { type ApiError, type IntakeLead, isApiError, portalApi } from "@fataplus/api-client";
import type { AstroGlobal } from "astro";
import { apiErrorText } from "../i18n/errors";
import { intakeT } from "../i18n/intake";
import { dateOf } from "./proposal-form";
import { currentSession, loginRedirect } from "./session.server";

export { dateOf, MAX_LINES, proposalBodyFrom } from "./proposal-form";
export type { IntakeLead };

/** The paths named by an API error's details (`[{ path, message }]`). */
function detailPaths(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.map((d) => (d && typeof d === "object" && "path" in d ? String(d.path) : ""));
}

/** Runs one call; a refusal comes back as its ApiError instead of being thrown. */
export async function attempt<T>(
  call: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: ApiError }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (!isApiError(error)) throw error;
    return { ok: false, error };
  }
}

/** The portal's proposal page: sign-in first; POST answers (accept with confirmation, or changes with a note). */
export async function proposalPage(astro: AstroGlobal, lang: "fr" | "en") {
  const t = intakeT(lang);
  astro.response.headers.set("cache-control", "no-store");
  const tenant = astro.locals.tenant;
  if (!tenant) return astro.redirect(lang === "en" ? "/en/" : "/", 303);
  const session = await currentSession(astro).catch(() => null);
  if (!session) return loginRedirect(astro);
  const mine = session.me.tenants.find((x) => x.subdomain === tenant);
  const portal = portalApi(session.api);
  const url = new URL(astro.request.url);
  let error: string | null = null;
  /** What the client typed and ticked, kept when the answer is refused. */
  let signed: { name: string; options: number[] } | null = null;
  if (astro.request.method === "POST") {
    const data = await astro.request.formData();
    const decision = String(data.get("decision") ?? "");
    const note = String(data.get("note") ?? "")
      .trim()
      .slice(0, 2000);
    const version = Number(data.get("version") ?? 0);
    const signer = String(data.get("signer_name") ?? "")
      .trim()
      .slice(0, 200);
    const options = data
      .getAll("option")
      .map((o) => Number(o))
      .filter((n) => Number.isInteger(n) && n >= 0 && n < 30);
    if (decision === "accept" && data.get("confirm") !== "1") error = t("p.decideErr");
    else if (decision === "accept" && signer.length < 2) error = t("p.signerErr");
    else if (decision === "changes" && !note) error = t("p.noteErr");
    else {
      const res = await attempt(() =>
        portal.respond(
          decision === "accept"
            ? { decision, version, signer_name: signer, terms: true, options }
            : { decision, version, note },
        ),
      );
      if (res.ok) {
        return astro.redirect(
          `${url.pathname}?notice=${decision === "accept" ? "accepted" : "changes"}`,
          303,
        );
      }
      const expired = detailPaths(res.error.details).includes("valid_until");
      error = expired
        ? t("p.expiredOn", { date: dateOf(String(data.get("valid_until") ?? ""), lang) })
        : detailPaths(res.error.details).includes("signer_name")
          ? t("p.signerErr")
          : res.error.status === 409
            ? t("p.expired")
            : apiErrorText(lang, res.error, t("p.expired"));
    }
    signed = { name: signer, options };
    astro.response.status = 400;
  }
  const got = await attempt(() => portal.proposal());
  if (!got.ok && got.error.status === 403) astro.response.status = 403;
  const n = url.searchParams.get("notice");
  return {
    lang,
    tenantName: mine?.name ?? tenant,
    proposal: got.ok ? got.value.proposal : null,
    canAnswer: mine?.role === "client",
    notice: n === "accepted" ? t("p.acceptedNotice") : n === "changes" ? t("p.changesNotice") : null,
    error,
    signed,
  };
}
