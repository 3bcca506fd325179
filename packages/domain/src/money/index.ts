// Money (decision 028): invoices and credit notes of a project, payments, the agency's view.
export * from "./agency.ts";
export * from "./invoices.ts";
export * from "./payments.ts";
export * from "./reminders.ts";
export * from "./schemas.ts";
export {
  type AgencyBilling,
  INVOICE_COLUMNS,
  type Invoice,
  invoiceFromRow,
  type PaymentRecord,
  paymentStatements,
} from "./store.ts";
