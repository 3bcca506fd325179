/**
 * PLACEHOLDER until the e-mail outbox (migration 0005) lands on main: the same signature as the lead's
 * `queueMail`, a no-op statement here. `git merge main` replaces this file with the real outbox.
 */
export type MailMessage = {
  tenantId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
};

export function queueMail(
  db: D1Database,
  _message: MailMessage,
  _now: Date = new Date(),
): D1PreparedStatement {
  return db.prepare("SELECT 1");
}
