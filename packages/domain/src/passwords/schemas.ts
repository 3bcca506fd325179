/** The password verbs' inputs and limits (docs/decisions/023-password-reset-and-strength.md). */
import { z } from "zod";
import { passwordSchema } from "../invitations/schemas.ts";
import { emailAddress } from "../kernel/schemas.ts";

/** A reset link works this long after it is asked for. */
export const RESET_TTL_MINUTES = 30;

/**
 * Reset requests over the sign-in throttle's 15-minute window: per (address, client) and per client, answered
 * 429 past the limit (a client asking for many addresses, or for one again and again, slows only itself); and
 * per address from every client, past which no new link is made (the answer does not change): an attacker
 * cannot flood a mailbox, nor keep replacing the owner's latest link.
 */
export const RESET_LIMITS = { perAddressAndClient: 3, perClient: 20, mailsPerAddress: 5 } as const;

const lang = z.enum(["fr", "en"]);

export const requestResetInput = z.strictObject({
  email: emailAddress(),
  /** The language of the page the request comes from (the e-mail is in the account's own language). */
  locale: lang.optional(),
});

export const resetToken = z.string().trim().min(20).max(200);

export const checkResetInput = z.strictObject({ token: resetToken });

export const resetPasswordInput = z.strictObject({
  token: resetToken,
  password: passwordSchema,
  /** The language of a refusal's reason (default: the account's). */
  locale: lang.optional(),
});

export const changePasswordInput = z.strictObject({
  current_password: z.string().min(1, "is required").max(512),
  new_password: passwordSchema,
  locale: lang.optional(),
});
