// Passwords (docs/decisions/023-password-reset-and-strength.md): the strength rule (strength.ts), reset links
// by e-mail (reset.ts), changing one's own password (change.ts), their schemas.
export * from "./change.ts";
export * from "./reset.ts";
export * from "./schemas.ts";
export * from "./strength.ts";
