/**
 * What a money verb accepts: an invoice's lines, parties and terms, a payment. Amounts are integers in the
 * invoice currency's minor unit, quantities integers in thousandths; nothing here is ever a float.
 */
import { z } from "zod";
import {
  type InvoiceLine,
  invoiceCurrencies,
  vatMentionKeys,
  vatMentions,
  vatRates,
} from "../vocabulary/money.ts";

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullable().optional();

/** A party on an invoice: the agency (seller) or the client (buyer), with its legal identifiers. */
export const partySchema = z.strictObject({
  name: text(200).min(1, "is required"),
  address: optionalText(500),
  country: z.enum(["MG", "FR", "other"]).nullable().optional(),
  /** Madagascar: Numéro d'identification fiscale and statistical number. */
  nif: optionalText(40),
  stat: optionalText(40),
  /** France: SIRET (14 digits) and intra-EU VAT number. */
  siret: z
    .string()
    .trim()
    .regex(/^\d{14}$/, "must be 14 digits")
    .nullable()
    .optional()
    .or(z.literal("").transform(() => null)),
  vat_number: optionalText(20),
  email: optionalText(200),
  /** The seller's bank details (IBAN, BIC, or a Malagasy bank's RIB), printed for payment by transfer. */
  bank_details: optionalText(500),
});
export type Party = z.infer<typeof partySchema>;

export const invoiceLineSchema = z.strictObject({
  description: text(500).min(1, "is required"),
  quantity_milli: z.number().int().min(1).max(10_000_000),
  unit_price_minor: z.number().int().min(0).max(100_000_000_000),
  vat_bp: z.union(vatRates.map((r) => z.literal(r))),
});

export const invoiceDraftInput = z
  .strictObject({
    project_id: z.string().trim().min(1).max(64).optional(),
    currency: z.enum(invoiceCurrencies),
    locale: z.enum(["fr", "en"]).default("fr"),
    due_days: z.number().int().min(0).max(365).default(30),
    payment_terms: optionalText(500),
    /** Required when a line is at 0 %: a key of `vatMentions`, or the mention's own text. */
    vat_mention: optionalText(300),
    buyer: partySchema,
    lines: z.array(invoiceLineSchema).min(1, "add at least one line").max(50),
    notes: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.lines.some((l) => l.vat_bp === 0) && !v.vat_mention) {
      ctx.addIssue({
        code: "custom",
        path: ["vat_mention"],
        message: "a line without VAT needs its legal mention",
      });
    }
  });
export type InvoiceDraftInput = z.infer<typeof invoiceDraftInput>;

/** The mention as printed: a known key in the invoice's language, else the text typed. */
export function vatMentionText(mention: string | null | undefined, lang: "fr" | "en"): string | null {
  if (!mention) return null;
  return (vatMentionKeys as readonly string[]).includes(mention)
    ? vatMentions[mention as keyof typeof vatMentions][lang]
    : mention;
}

export const versionInput = z.strictObject({ version: z.number().int().min(1) });

export const cancelInput = z.strictObject({
  version: z.number().int().min(1),
  reason: text(500).min(1, "say why the invoice is cancelled"),
});

export const paymentInput = z.strictObject({
  amount_minor: z.number().int().min(1).max(100_000_000_000),
  received_on: z.iso.date("must be a date (YYYY-MM-DD)"),
  reference: text(200).min(1).optional(),
  note: optionalText(500),
});

export type { InvoiceLine };
