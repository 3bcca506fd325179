// Single sign-on through OpenID Connect providers (docs/decisions/025-sso.md).
export * from "./claims.ts";
export * from "./policy.ts";
export * from "./provider.ts";
export * from "./sign-in.ts";
export * from "./state.ts";
