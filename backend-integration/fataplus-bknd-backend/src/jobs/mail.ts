/**
 * Mail delivery for the worker (decision 012): verbs queue mail in their own D1 batch; this sends it after the
 * commit, through the mailer the configuration picks. Runs after every successful request that queued mail
 * (src/http/scoped-d1.ts sees the INSERT; waitUntil, so the answer doesn't wait) and on the cron trigger, which
 * retries what failed.
 */
import { createHttpMailer, deliverPending, type Mailer, outboxOnlyMailer } from "@fataplus/domain";
import type { AppConfig } from "../config.ts";

export function mailerFor(config: AppConfig): Mailer {
  return config.mail.provider === "resend"
    ? createHttpMailer({ apiKey: config.mail.apiKey, from: config.mail.from })
    : outboxOnlyMailer;
}

export async function deliverQueuedMail(env: Env, config: AppConfig): Promise<void> {
  try {
    const report = await deliverPending({ db: env.DB, mailer: mailerFor(config) });
    if (report.failed > 0 || report.retried > 0) console.warn("mail delivery", report);
  } catch (err) {
    // Never surfaces to a caller: the rows stay queued and the next run picks them up.
    console.error("mail delivery failed", err instanceof Error ? err.message : err);
  }
}
