/**
 * Money's API (decision 028): a project's invoices (`/api/app/portal/invoices*`, on a project's subdomain or
 * with a `forTenant` client) and the agency's view (`/api/app/crm/invoices`, staff). PDFs and the CSV are
 * links the browser downloads through the site's /api proxy, not calls of this client.
 */
import type {
  getInvoice,
  issueInvoice,
  listAgencyInvoices,
  listInvoices,
  startInvoicePayment,
} from "@fataplus/domain";
import { z } from "zod";
import type { ApiClient } from "./client";
import type { QueryValues } from "./http";
import { anyArray, anyObject, type Out, shaped } from "./schemas";

const P = "/api/app/portal/invoices";

export function moneyApi(api: ApiClient) {
  const r = api.request;
  return {
    invoices: (query: { before?: string } = {}) =>
      r({
        method: "GET",
        path: P,
        query,
        schema: shaped<Out<typeof listInvoices>>(z.looseObject({ rows: anyArray })),
      }),
    invoice: (id: string) =>
      r({
        method: "GET",
        path: `${P}/${encodeURIComponent(id)}`,
        schema: shaped<Out<typeof getInvoice>>(z.looseObject({ invoice: anyObject })),
      }),
    issue: (id: string, version: number) =>
      r({
        method: "POST",
        path: `${P}/${encodeURIComponent(id)}/issue`,
        body: { version },
        schema: shaped<Out<typeof issueInvoice>>(z.looseObject({ invoice: anyObject })),
      }),
    /** Pay the balance by card: the provider's checkout page to send the client to. */
    checkout: (id: string) =>
      r({
        method: "POST",
        path: `${P}/${encodeURIComponent(id)}/checkout`,
        schema: shaped<Out<typeof startInvoicePayment>>(z.looseObject({ url: z.string() })),
      }),
    agencyInvoices: (query: QueryValues = {}) =>
      r({
        method: "GET",
        path: "/api/app/crm/invoices",
        query,
        schema: shaped<Out<typeof listAgencyInvoices>>(
          z.looseObject({ rows: anyArray, totals: anyArray, months: anyArray }),
        ),
      }),
  };
}

export type MoneyApi = ReturnType<typeof moneyApi>;
