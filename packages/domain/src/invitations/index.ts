// Invitations: creating one (create.ts), accepting one (accept.ts), their schemas.
export * from "./accept.ts";
export * from "./create.ts";
export * from "./schemas.ts";
