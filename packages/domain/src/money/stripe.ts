/**
 * The Stripe adapter of `PaymentProvider` (decision 028): Checkout sessions through the official `stripe`
 * package in its fetch mode (stack-recipes-wave2 §5), webhooks verified with SubtleCrypto on the raw body.
 * EUR amounts are cents and MGA is one of Stripe's zero-decimal currencies: an invoice's minor units are
 * Stripe's amounts as they are. Tests point `apiUrl` at a local fake of Stripe's API.
 */
import type Stripe from "stripe";
import { DomainError } from "../kernel/errors.ts";
import { type InvoiceCurrency, invoiceCurrencies } from "../vocabulary/money.ts";
import type { PaymentProvider, VerifiedPayment } from "./payments.ts";

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Tests and local development only: a fake of Stripe's API (http://127.0.0.1:PORT). */
  apiUrl?: string;
  timeoutMs?: number;
};

const isCurrency = (c: string): c is InvoiceCurrency => (invoiceCurrencies as readonly string[]).includes(c);

export function stripeProvider(config: StripeConfig): PaymentProvider {
  const api = config.apiUrl ? new URL(config.apiUrl) : null;
  // loaded on first use: only a worker that takes a card payment evaluates the library
  let loaded:
    | Promise<{ stripe: Stripe; crypto: ReturnType<typeof Stripe.createSubtleCryptoProvider> }>
    | undefined;
  const client = () =>
    (loaded ??= import("stripe").then(({ default: StripeLib }) => ({
      stripe: new StripeLib(config.secretKey, {
        httpClient: StripeLib.createFetchHttpClient(),
        maxNetworkRetries: 0,
        timeout: config.timeoutMs ?? 10_000,
        ...(api
          ? {
              host: api.hostname,
              port: Number(api.port || 80),
              protocol: api.protocol === "https:" ? "https" : "http",
            }
          : {}),
      }),
      crypto: StripeLib.createSubtleCryptoProvider(),
    })));
  return {
    id: "stripe",
    async startCheckout({ invoice, successUrl, cancelUrl, lang }) {
      const name = `${lang === "fr" ? "Facture" : "Invoice"} ${invoice.number ?? ""}`.trim();
      const { stripe } = await client();
      try {
        const session = await stripe.checkout.sessions.create(
          {
            mode: "payment",
            success_url: successUrl,
            cancel_url: cancelUrl,
            client_reference_id: invoice.id,
            locale: lang,
            metadata: { tenant_id: invoice.tenant_id, invoice_id: invoice.id },
            payment_intent_data: { metadata: { tenant_id: invoice.tenant_id, invoice_id: invoice.id } },
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: invoice.currency.toLowerCase(),
                  unit_amount: invoice.balance_minor,
                  product_data: { name },
                },
              },
            ],
          },
          { idempotencyKey: `checkout-${invoice.id}-${invoice.paid_minor}` },
        );
        if (!session.url) throw new Error("no checkout url");
        return { ref: session.id, url: session.url };
      } catch (err) {
        // a timeout, a refusal or a network failure: readable, nothing recorded
        throw new DomainError(
          "UNPROCESSABLE",
          "The card payment service did not answer: try again in a moment, or pay by bank transfer.",
          { cause: err },
        );
      }
    },
    async verifyCallback(rawBody, headers): Promise<VerifiedPayment | null> {
      const signature = headers.get("stripe-signature") ?? "";
      const { stripe, crypto } = await client();
      let event: Stripe.Event;
      try {
        event = await stripe.webhooks.constructEventAsync(
          rawBody,
          signature,
          config.webhookSecret,
          undefined,
          crypto,
        );
      } catch {
        throw new DomainError("VALIDATION", "The webhook's signature does not match.");
      }
      if (
        event.type !== "checkout.session.completed" &&
        event.type !== "checkout.session.async_payment_succeeded"
      )
        return null;
      const s = event.data.object;
      const currency = (s.currency ?? "").toUpperCase();
      const tenantId = s.metadata?.tenant_id;
      const invoiceId = s.metadata?.invoice_id;
      if (s.payment_status !== "paid" || !tenantId || !invoiceId || !isCurrency(currency) || !s.amount_total)
        return null;
      return {
        ref: s.id,
        tenantId,
        invoiceId,
        amountMinor: s.amount_total,
        currency,
        paidOn: new Date(event.created * 1000).toISOString().slice(0, 10),
      };
    },
  };
}
