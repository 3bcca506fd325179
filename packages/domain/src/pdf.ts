/**
 * `@fataplus/domain/pdf`: the PDFs of money (decision 028), apart from the main entry so that only the worker
 * bundles pdf-lib.
 */
export { acceptancePdf, invoicePdf, printable } from "./money/pdf.ts";
