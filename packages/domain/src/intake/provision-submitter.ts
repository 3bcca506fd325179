/** The submitter's side of an intake's provisioning batch (internal; see ./provision-batch.ts). */
import { INVITATION_TTL_DAYS } from "../invitations/index.ts";
import { newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { queueMail } from "../mail/index.ts";
import { type Ids, type Provisioning, systemAudit } from "./provision-batch.ts";
import { invitationMail } from "./provision-mail.ts";
import { portalOrigin } from "./subdomains.ts";

/** The submitter's account (unclaimed if new), client membership, invitation and invitation e-mail. */
export async function submitterStatements(p: Provisioning, ids: Ids): Promise<D1PreparedStatement[]> {
  const { db, intake, tenantId } = p;
  const at = nowIso(p.now);
  const token = newToken();
  const expires = nowIso(new Date(p.now.getTime() + INVITATION_TTL_DAYS * 86_400_000));
  const link = `${portalOrigin(p.siteOrigin, p.subdomain)}/${intake.locale === "en" ? "en/" : ""}invitation?token=${encodeURIComponent(token)}`;
  const mail = invitationMail({ intake, link, existingAccount: p.existingAccount, expires });
  return [
    // A new address gets an unclaimed (`invited`) account and its client membership …
    db
      .prepare(
        `INSERT INTO users (email, strategy, strategy_value, role, name, locale, status, created_at)
         VALUES (?, 'password', NULL, 'member', ?, ?, 'invited', ?) ON CONFLICT (email) DO NOTHING`,
      )
      .bind(intake.email, intake.name, intake.locale, at),
    // … made by this very batch (no membership yet): an unclaimed account that already has a project gets no
    // second one from whoever types its address again; its owner joins by accepting the invitation.
    db
      .prepare(
        `INSERT INTO memberships (tenant_id, user_id, role, created_at)
         SELECT ?, u.id, 'client', ? FROM users u WHERE u.email = ? AND u.status = 'invited'
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
      )
      .bind(tenantId, at, intake.email),
    // … and everyone gets the invitation (an existing account joins only from its own session).
    db
      .prepare(
        "INSERT INTO invitations (id, tenant_id, email, role, token_hash, invited_by, expires_at, created_at) VALUES (?, ?, ?, 'client', ?, NULL, ?, ?)",
      )
      .bind(ids.invitation, tenantId, intake.email, await sha256Hex(token), expires, at),
    systemAudit(p, tenantId, "invitation.create", "invitations", ids.invitation, {
      email: intake.email,
      role: "client",
    }),
    queueMail(db, {
      tenantId,
      to: intake.email,
      subject: mail.subject,
      text: mail.text,
      kind: "intake.invitation",
    }),
  ];
}
