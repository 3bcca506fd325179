/** Invitations' input schemas and limits. */
import { z } from "zod";
import { tenantRoles } from "../kernel/roles.ts";
import { emailAddress } from "../kernel/schemas.ts";

export const INVITATION_TTL_DAYS = 7;

export const passwordSchema = z
  .string()
  .min(12, "must be at least 12 characters long")
  .max(512, "must be at most 512 characters long");

export const createInvitationInput = z.strictObject({
  email: emailAddress(),
  role: z.enum(tenantRoles),
});

export const acceptInvitationInput = z.strictObject({
  token: z.string().min(20).max(200),
  /** Required for a new account; an existing account joins through its own session instead. */
  password: passwordSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  /** The invitation page's language: a refused password's reason, and a new account's users.locale. */
  locale: z.enum(["fr", "en"]).optional(),
});

/** The detail that tells the invitation page to ask the person to sign in first. */
export const ACCOUNT_EXISTS = "ACCOUNT_EXISTS";
