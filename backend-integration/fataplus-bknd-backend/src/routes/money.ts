/**
 * Money's routes (decision 028). In a project (tenant header or ?tenant=), for its client (read, issued only)
 * and the agency (everything); never for a partner:
 *   GET    /api/app/portal/invoices                 the project's invoices and credit notes
 *   POST   /api/app/portal/invoices                 draft one (agency)
 *   GET    /api/app/portal/invoices/:id             one, with its payments
 *   GET    /api/app/portal/invoices/:id/pdf         its PDF (?lang=fr|en; default the invoice's language)
 *   PUT    /api/app/portal/invoices/:id             edit a draft (agency)
 *   DELETE /api/app/portal/invoices/:id             throw a draft away (agency)
 *   POST   /api/app/portal/invoices/:id/issue       number it and issue it (agency)
 *   POST   /api/app/portal/invoices/:id/cancel      cancel it by a credit note (agency)
 *   POST   /api/app/portal/invoices/:id/payments    record a payment received by hand (agency)
 *   POST   /api/app/portal/invoices/:id/checkout    pay the balance by card: a Stripe Checkout URL
 * Public, signed by the provider:
 *   POST   /api/webhooks/stripe                     a Checkout session paid → the payment, recorded once
 *   GET    /api/app/portal/proposal/acceptance      the signed acceptance (JSON; /acceptance.pdf: its record)
 * Across projects, agency staff only:
 *   GET    /api/app/crm/invoices                    a period's invoices, totals by status, revenue by month
 *   GET    /api/app/crm/invoices.csv                the period for the accountant
 *   GET/PUT /api/app/crm/billing                    the agency's legal identity on its invoices (PUT: admins)
 */
import {
  cancelInvoice,
  createInvoice,
  DomainError,
  deleteInvoiceDraft,
  exportInvoicesCsv,
  getAcceptanceRecord,
  getAgencyBilling,
  getInvoice,
  issueInvoice,
  listAgencyInvoices,
  listInvoices,
  portalOrigin,
  recordPayment,
  recordProviderPayment,
  startInvoicePayment,
  updateAgencyBilling,
  updateInvoice,
} from "@fataplus/domain";
import { stripeProvider } from "@fataplus/domain/payments";
import { acceptancePdf, invoicePdf } from "@fataplus/domain/pdf";
import { requestNow } from "../config.ts";
import { type AppContext, type AppServer, identityCtx, tenantCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";
import { filtersOf, handle, jsonBody, param } from "../http/handler.ts";

const P = "/api/app/portal";

/** The tenant context with the request's clock (tests move it with the test-clock header, never in production). */
const ctxOf = (c: AppContext) => ({ ...tenantCtx(c), now: () => requestNow(c.get("config"), c.req.raw) });
const crmOf = (c: AppContext) => ({ ...identityCtx(c), now: () => requestNow(c.get("config"), c.req.raw) });
const idBody = async (c: AppContext) => ({ id: param(c, "id"), body: await jsonBody(c) });
const langOf = (c: AppContext, fallback: "fr" | "en"): "fr" | "en" => {
  const l = new URL(c.req.url).searchParams.get("lang");
  return l === "fr" || l === "en" ? l : fallback;
};

function download(body: Uint8Array | string, type: string, name: string): Response {
  return new Response(body, {
    headers: {
      "content-type": type,
      "content-disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/** The configured card provider, or null (the offline default: transfers recorded by hand). */
const cardProvider = (c: AppContext) => {
  const stripe = c.get("config").stripe;
  return stripe ? stripeProvider(stripe) : null;
};

export function registerPaymentWebhooks(server: AppServer): void {
  server.post("/api/webhooks/stripe", async (c) => {
    try {
      const provider = cardProvider(c);
      if (!provider) throw new DomainError("NOT_FOUND", "Card payments are not configured.");
      const raw = await c.req.raw.text();
      if (raw.length > 262_144) throw new DomainError("PAYLOAD_TOO_LARGE", "The webhook is too large.");
      const payment = await provider.verifyCallback(raw, c.req.raw.headers);
      if (!payment) return c.json({ received: true, recorded: false }, 200);
      const { recorded } = await recordProviderPayment({
        db: c.env.DB,
        provider: provider.id,
        payment,
        now: new Date(),
      });
      // a replay (or a payment the invoice can't take) is acknowledged: the provider stops retrying
      return c.json({ received: true, recorded }, 200);
    } catch (err) {
      return toResponse(err);
    }
  });
}

export function registerMoneyRoutes(server: AppServer): void {
  server.post(
    `${P}/invoices/:id/checkout`,
    handle(async (c) => {
      const ctx = ctxOf(c);
      const portal = portalOrigin(c.get("config").siteUrl, ctx.tenant.subdomain);
      return startInvoicePayment({
        ctx,
        input: { id: param(c, "id") },
        provider: cardProvider(c),
        portalUrl: `${portal}/factures`,
      });
    }),
  );
  server.get(
    `${P}/invoices`,
    handle((c) => listInvoices({ ctx: ctxOf(c), input: filtersOf(c) })),
  );
  server.post(
    `${P}/invoices`,
    handle(async (c) => createInvoice({ ctx: ctxOf(c), input: await jsonBody(c) }), 201),
  );
  server.get(
    `${P}/invoices/:id`,
    handle((c) => getInvoice({ ctx: ctxOf(c), input: { id: param(c, "id") } })),
  );
  server.get(`${P}/invoices/:id/pdf`, async (c) => {
    try {
      const { invoice } = await getInvoice({ ctx: ctxOf(c), input: { id: param(c, "id") } });
      const pdf = await invoicePdf(invoice, langOf(c, invoice.locale));
      return download(pdf, "application/pdf", `${invoice.number ?? `draft-${invoice.id.slice(0, 8)}`}.pdf`);
    } catch (err) {
      return toResponse(err);
    }
  });
  server.put(
    `${P}/invoices/:id`,
    handle(async (c) => updateInvoice({ ctx: ctxOf(c), input: await idBody(c) })),
  );
  server.delete(
    `${P}/invoices/:id`,
    handle(async (c) => deleteInvoiceDraft({ ctx: ctxOf(c), input: await idBody(c) })),
  );
  server.post(
    `${P}/invoices/:id/issue`,
    handle(async (c) => issueInvoice({ ctx: ctxOf(c), input: await idBody(c) })),
  );
  server.post(
    `${P}/invoices/:id/cancel`,
    handle(async (c) => cancelInvoice({ ctx: ctxOf(c), input: await idBody(c) })),
  );
  server.post(
    `${P}/invoices/:id/payments`,
    handle(async (c) => recordPayment({ ctx: ctxOf(c), input: await idBody(c) }), 201),
  );
  server.get(
    `${P}/proposal/acceptance`,
    handle((c) => getAcceptanceRecord({ ctx: ctxOf(c) })),
  );
  server.get(`${P}/proposal/acceptance.pdf`, async (c) => {
    try {
      const record = await getAcceptanceRecord({ ctx: ctxOf(c) });
      const pdf = await acceptancePdf(record, langOf(c, record.proposal.locale));
      return download(
        pdf,
        "application/pdf",
        `acceptance-${record.acceptance.content_hash.slice(0, 12)}.pdf`,
      );
    } catch (err) {
      return toResponse(err);
    }
  });

  server.get(
    "/api/app/crm/invoices",
    handle((c) => listAgencyInvoices({ ctx: crmOf(c), input: filtersOf(c) })),
  );
  server.get("/api/app/crm/invoices.csv", async (c) => {
    try {
      const csv = await exportInvoicesCsv({ ctx: crmOf(c), input: filtersOf(c) });
      const q = filtersOf(c);
      return download(csv, "text/csv; charset=utf-8", `invoices-${q.from ?? "year"}-${q.to ?? ""}.csv`);
    } catch (err) {
      return toResponse(err);
    }
  });
  server.get(
    "/api/app/crm/billing",
    handle((c) => getAgencyBilling({ ctx: crmOf(c) })),
  );
  server.put(
    "/api/app/crm/billing",
    handle(async (c) => updateAgencyBilling({ ctx: crmOf(c), input: await jsonBody(c) })),
  );
}
