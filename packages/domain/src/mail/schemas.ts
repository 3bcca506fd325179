/** The outbox's schemas: a queued message, and the admins' outbox query. */
import { z } from "zod";
import { emailAddress } from "../kernel/schemas.ts";
import { outboxStatuses } from "../vocabulary/crm.ts";

export const MAIL_KINDS_PATTERN = /^[a-z][a-z0-9_.-]{0,59}$/;

/** The longest subject the outbox takes. */
export const MAX_SUBJECT_LENGTH = 200;

export const mailMessage = z.strictObject({
  /** The project the message concerns, or null for agency-wide mail. Used to filter the outbox only. */
  tenantId: z.string().min(1).max(40).nullable(),
  to: emailAddress(),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(MAX_SUBJECT_LENGTH)
    .refine((s) => !/[\r\n]/.test(s), "must be one line"),
  text: z.string().min(1).max(20_000),
  html: z.string().max(100_000).optional(),
  /** What the mail is, e.g. "invitation", "request.reminder": dotted lower-case words. */
  kind: z.string().regex(MAIL_KINDS_PATTERN, "must be lower-case words joined by . _ or -"),
});

export type MailMessage = z.input<typeof mailMessage>;

export { outboxStatuses };

export const listOutboxInput = z.strictObject({
  status: z.enum(outboxStatuses).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
