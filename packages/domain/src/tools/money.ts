/**
 * Money tools (issue 21, decision 028): `list_invoices`, the project's invoices and credit notes with their
 * status and balance. Read only; clients see issued ones only (the verb's rule), and partners never see money
 * (`money.read`).
 */
import { z } from "zod";
import { hasCapability } from "../kernel/roles.ts";
import { listInvoices } from "../money/invoices.ts";
import { defineTool, type ToolDescriptor } from "./descriptor.ts";
import { userText } from "./shapes.ts";
import { untrusted } from "./untrusted.ts";

const invoiceOut = z.object({
  id: z.string(),
  number: z.string().nullable().describe("FA-2026-0042 once issued; null for a draft."),
  kind: z.string().describe("invoice or credit_note"),
  status: z.string().describe("draft, issued, partly_paid, paid, overdue or cancelled"),
  currency: z.string(),
  issue_date: z.string().nullable(),
  due_date: z.string().nullable(),
  total_minor: z.number().describe("In minor units: cents for EUR, ariary for MGA."),
  paid_minor: z.number(),
  balance_minor: z.number(),
  buyer: userText("The client billed"),
});

export const listInvoicesTool = defineTool({
  name: "list_invoices",
  title: "List invoices",
  description:
    "Lists the project's invoices and credit notes, newest first, with number, status (overdue included), total, paid and balance in minor units. Clients see issued invoices only; partners have no access to money.",
  scope: "read",
  allowedFor: (role) => hasCapability(role, "money.read"),
  input: z.strictObject({
    before: z.string().max(60).optional().describe("The `next` of the previous page."),
  }),
  output: z.object({ items: z.array(invoiceOut), next: z.string().nullable() }),
  handler: async ({ ctx, input }) => {
    const page = await listInvoices({ ctx, input });
    return {
      items: page.rows.map((r) => ({ ...r, buyer: untrusted(r.buyer.name) })),
      next: page.next,
    };
  },
});

export const moneyTools: readonly ToolDescriptor[] = [listInvoicesTool];
