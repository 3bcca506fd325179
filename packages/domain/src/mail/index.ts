/**
 * TEMPORARY stand-in for the lead's email outbox (packages/domain/src/mail on main), with the brief's
 * signature, so the intake branch builds and tests before main has it. Replaced by main's version on merge.
 */
export type MailMessage = {
  tenantId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
};

export function queueMail(db: D1Database, message: MailMessage): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO email_outbox (id, tenant, to_address, subject, text_body, html_body, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      crypto.randomUUID(),
      message.tenantId,
      message.to,
      message.subject,
      message.text,
      message.html ?? null,
      message.kind,
      new Date().toISOString(),
    );
}
