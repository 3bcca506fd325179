/**
 * `@fataplus/domain/payments`: the payment providers' adapters (decision 028), apart from the main entry so
 * that only the worker bundles their libraries.
 */
export { type StripeConfig, stripeProvider } from "./money/stripe.ts";
