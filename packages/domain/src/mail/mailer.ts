/**
 * How queued mail leaves: one `Mailer`. The development outbox keeps it (nothing leaves the machine); the
 * HTTP provider (Resend's REST API: plain fetch, so it works from Workers) sends it, for production.
 */
import { z } from "zod";

export type OutgoingMail = { id: string; to: string; subject: string; text: string; html: string | null };

/** A failed send. `retryable` false means the provider refused the message itself (bad address, bad key…). */
export class MailDeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = "MailDeliveryError";
    this.retryable = retryable;
  }
}

export interface Mailer {
  /** Recorded on each row it handles. */
  readonly name: string;
  /** True when the outbox row itself is the delivery (development): rows end as `stored`, not `sent`. */
  readonly keepsInOutbox: boolean;
  send(mail: OutgoingMail): Promise<{ providerMessageId: string | null }>;
}

/** The offline default: nothing leaves the machine; the row in D1 is the message. */
export const outboxOnlyMailer: Mailer = {
  name: "outbox",
  keepsInOutbox: true,
  send: async () => ({ providerMessageId: null }),
};

export type HttpMailerOptions = {
  apiKey: string;
  /** The sender, e.g. "Fataplus <hello@fata.plus>" (a domain verified with the provider). */
  from: string;
  /** Resend's endpoint by default; tests point it at a local fake server. */
  endpoint?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

const providerAnswer = z.object({ id: z.string().min(1).max(200) });

/**
 * Resend's REST API (POST /emails with a bearer key). The outbox row id is sent as the Idempotency-Key, so a
 * retry after a timeout can't send the same message twice. 429 and 5xx are retryable; other 4xx are not.
 */
export function createHttpMailer(options: HttpMailerOptions): Mailer {
  const endpoint = options.endpoint ?? "https://api.resend.com/emails";
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: "resend",
    keepsInOutbox: false,
    async send(mail) {
      let res: Response;
      try {
        res = await doFetch(endpoint, {
          method: "POST",
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": mail.id,
          },
          body: JSON.stringify({
            from: options.from,
            to: [mail.to],
            subject: mail.subject,
            text: mail.text,
            ...(mail.html ? { html: mail.html } : {}),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
        throw new MailDeliveryError(
          timedOut ? `no answer within ${timeoutMs} ms` : "the provider could not be reached",
          true,
        );
      }
      const body = await res.text();
      if (!res.ok) {
        const retryable = res.status === 429 || res.status >= 500;
        throw new MailDeliveryError(`provider answered ${res.status}: ${body.slice(0, 200)}`, retryable);
      }
      let parsed: z.infer<typeof providerAnswer>;
      try {
        parsed = providerAnswer.parse(JSON.parse(body));
      } catch {
        // Accepted (2xx) but unreadable: treat as sent rather than risk a duplicate; keep what we got.
        return { providerMessageId: null };
      }
      return { providerMessageId: parsed.id };
    },
  };
}
