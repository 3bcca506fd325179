/** The second factor: TOTP with recovery codes, the sign-in challenge and the agency's policy (decision 024). */
export * from "./challenge.ts";
export * from "./factor.ts";
export * from "./policy.ts";
export type { MfaCtx, SecondFactor } from "./store.ts";
export { RECOVERY_CODE_COUNT } from "./store.ts";
export * from "./totp.ts";
