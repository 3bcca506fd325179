/**
 * Payments behind one interface (decision 028). A provider starts a payment of an invoice's balance (Stripe
 * Checkout: a page to send the client to) and verifies its callbacks; recording what it verified is always
 * `recordProviderPayment`: the payment row once per provider reference, the invoice's paid amount and status,
 * and the audit row, in one batch, each after the one before it wrote (a replayed webhook writes nothing). With
 * no provider configured the offline default holds: the agency records transfers by hand (invoices.ts).
 */
import { auditRow } from "../kernel/audit.ts";
import type { Ctx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { hasCapability } from "../kernel/roles.ts";
import type { InvoiceCurrency } from "../vocabulary/money.ts";
import { type Invoice, invoiceFromRow, loadInvoiceRow, paymentStatements, todayOf } from "./store.ts";

export type ProviderId = "stripe" | "mvola" | "orange_money";

/** A payment a provider confirmed (its signature or its own status answer checked). */
export type VerifiedPayment = {
  ref: string;
  tenantId: string;
  invoiceId: string;
  amountMinor: number;
  currency: InvoiceCurrency;
  paidOn: string;
};

export interface PaymentProvider {
  id: ProviderId;
  /** Start paying an invoice's balance: where to send the client, and the provider's reference. */
  startCheckout(input: {
    invoice: Invoice;
    successUrl: string;
    cancelUrl: string;
    lang: "fr" | "en";
  }): Promise<{ ref: string; url: string }>;
  /**
   * A callback, verified: the payment it confirms, or null when it confirms none (another event type). A
   * callback that fails verification throws DomainError VALIDATION and changes nothing.
   */
  verifyCallback(rawBody: string, headers: Headers): Promise<VerifiedPayment | null>;
}

/** The client (or the agency for them) starts paying an open invoice's balance with the provider. */
export async function startInvoicePayment({
  ctx,
  input,
  provider,
  portalUrl,
}: {
  ctx: Ctx;
  input: { id: string };
  provider: PaymentProvider | null;
  /** The project's invoices page in its portal (where the client comes back). */
  portalUrl: string;
}): Promise<{ url: string }> {
  if (!hasCapability(ctx.role, "money.read"))
    throw new DomainError("FORBIDDEN", "No access to this project's invoices.");
  const row = await loadInvoiceRow(ctx.db, ctx.tenant.id, String(input.id ?? ""));
  if (!row || row.status === "draft") throw new DomainError("NOT_FOUND", "No such invoice in this project.");
  if (!provider) {
    throw new DomainError("UNPROCESSABLE", "Card payment is not available: pay by bank transfer.");
  }
  const invoice = invoiceFromRow(row, todayOf(ctx.now()));
  if (invoice.kind !== "invoice" || invoice.balance_minor <= 0 || row.status === "cancelled") {
    throw new DomainError("CONFLICT", "This invoice has nothing left to pay.");
  }
  const lang = invoice.locale;
  const started = await provider.startCheckout({
    invoice,
    successUrl: `${portalUrl}?paid=${encodeURIComponent(invoice.number ?? "")}`,
    cancelUrl: portalUrl,
    lang,
  });
  await ctx.db.batch([
    auditRow(ctx.db, {
      tenantId: ctx.tenant.id,
      actorType: ctx.actor.type,
      actorId: ctx.actor.type === "system" ? null : String(ctx.actor.userId),
      action: "invoice.checkout",
      entity: "invoices",
      entityId: invoice.id,
      data: { provider: provider.id, ref: started.ref, amount_minor: invoice.balance_minor },
      at: nowIso(ctx.now()),
    }),
  ]);
  return { url: started.url };
}

/**
 * Record a payment a provider verified: once per reference, only on an open invoice of that tenant, in its
 * currency, within its balance. `recorded: false` for a replay (or a payment the invoice can't take, which the
 * agency sees in the provider's dashboard and settles by hand).
 */
export async function recordProviderPayment({
  db,
  provider,
  payment,
  now,
}: {
  db: D1Database;
  provider: ProviderId;
  payment: VerifiedPayment;
  now: Date;
}): Promise<{ recorded: boolean }> {
  const at = nowIso(now);
  const results = await db.batch([
    ...paymentStatements(db, {
      id: newId(),
      tenantId: payment.tenantId,
      invoiceId: payment.invoiceId,
      provider,
      providerRef: payment.ref,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      receivedOn: payment.paidOn,
      note: null,
      recordedBy: null,
      at,
    }),
    auditRow(db, {
      tenantId: payment.tenantId,
      actorType: "system",
      actorId: null,
      action: "invoice.payment",
      entity: "invoices",
      entityId: payment.invoiceId,
      data: { provider, ref: payment.ref, amount_minor: payment.amountMinor },
      at,
      when: { sql: "changes() = 1" },
    }),
  ]);
  return { recorded: results[0]?.meta.changes === 1 };
}
