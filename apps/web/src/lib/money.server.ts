/**
 * Server side of money's pages (decision 028): the portal's invoices (/factures, /en/invoices, on a project's
 * subdomain) and the CRM's /crm/invoices (agency staff). Each is one call of the typed client with the user's
 * cookie; the CRM page's "issue" is a plain form posted to itself (POST-redirect-GET).
 */
import { isApiError, moneyApi } from "@fataplus/api-client";
import type { Invoice } from "@fataplus/domain";
import type { AstroGlobal } from "astro";
import { apiErrorText } from "../i18n/errors";
import { moneyT } from "../i18n/money";
import { currentSession, loginRedirect } from "./session.server";

export type PortalInvoicesState = {
  lang: "fr" | "en";
  tenantName: string;
  rows: Invoice[];
  next: string | null;
  refusal: string | null;
  /** The client pays (partners and the agency see no button). */
  canPay: boolean;
  notice: string | null;
  error: string | null;
};

export async function portalInvoicesPage(
  astro: AstroGlobal,
  lang: "fr" | "en",
): Promise<PortalInvoicesState | Response> {
  const t = moneyT(lang);
  astro.response.headers.set("cache-control", "no-store");
  const tenant = astro.locals.tenant;
  if (!tenant) return astro.redirect(lang === "en" ? "/en/" : "/", 303);
  const session = await currentSession(astro).catch(() => null);
  if (!session) return loginRedirect(astro);
  const mine = session.me.tenants.find((x) => x.subdomain === tenant);
  const url = new URL(astro.request.url);
  const before = url.searchParams.get("before") ?? undefined;
  const paid = url.searchParams.get("paid");
  const base = {
    lang,
    tenantName: mine?.name ?? tenant,
    canPay: mine?.role === "client",
    notice: paid ? t("paidNotice", { number: paid }) : null,
    error: null as string | null,
  };
  const api = moneyApi(session.api);
  if (astro.request.method === "POST") {
    const data = await astro.request.formData();
    try {
      const { url: checkout } = await api.checkout(String(data.get("id") ?? ""));
      // the provider's own page (Stripe Checkout): the client comes back to ?paid=<number>
      return astro.redirect(checkout, 303);
    } catch (error) {
      if (!isApiError(error) || error.status >= 500) throw error;
      base.error =
        error.status === 422 ? t("payUnavailable") : apiErrorText(lang, error, t("payUnavailable"));
      astro.response.status = error.status;
    }
  }
  try {
    const page = await api.invoices(before ? { before } : {});
    return { ...base, rows: page.rows, next: page.next, refusal: null };
  } catch (error) {
    if (!(isApiError(error) && [400, 403].includes(error.status))) throw error;
    astro.response.status = error.status;
    return { ...base, rows: [], next: null, refusal: t("forbidden") };
  }
}

/** A date for reading: 2026-12-04 → "4 déc. 2026" / "4 Dec 2026". */
export const dayOf = (iso: string, lang: "fr" | "en") =>
  new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${iso.slice(0, 10)}T00:00:00Z`),
  );

export const statusBadge: Record<string, string> = {
  draft: "bg-stone-200 text-stone-800",
  issued: "bg-sky-100 text-sky-900",
  partly_paid: "bg-amber-100 text-amber-900",
  paid: "bg-green-100 text-green-900",
  overdue: "bg-red-100 text-red-900",
  cancelled: "bg-stone-100 text-stone-600 line-through",
};
