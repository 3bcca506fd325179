/**
 * Submitting an intake (the public `POST /api/intake`). In order:
 *  1. validate with the shared zod schema; a filled honeypot is answered like a success and creates nothing;
 *  2. a replay of the same idempotency key answers the first result (a different body under the same key: 409);
 *  3. per-IP rate limit (the auth_throttle counters, like sign-in throttling);
 *  4. analyse (the configured analyser, falling back to the built-in one);
 *  5. provision everything in ONE D1 batch, so a failure leaves nothing half-made: the project tenant (stage
 *     `intake`), its client organisation, project, default phases and draft proposal; the lead and the intake
 *     in the agency workspace; a project manager picked round-robin among staff; the submitter's client
 *     membership and invitation, and the invitation email in the outbox.
 *
 * The submitter is anonymous, so the address typed is only a claim: a new address gets an account that stays
 * `invited` (no password, cannot sign in) until the mailbox's owner opens the link; an address that already has
 * an account gets NO membership, only an invitation its owner accepts from their own session (decision 003).
 */

import { clientKey, THROTTLE } from "../auth/login.ts";
import { BOOTCAMP_SUBDOMAIN } from "../bootcamp/catalogue.ts";
import { INVITATION_TTL_DAYS } from "../invitations/index.ts";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError, validationError } from "../kernel/errors.ts";
import { newId, newTenantId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { mailSubject, queueMail, visitorTextForMail } from "../mail/index.ts";
import { subdomainFrom } from "../vocabulary/subdomains.ts";
import { analyseWithFallback, builtinAnalyser, type IntakeAnalyser } from "./analyser.ts";
import { PROFILES } from "./builtin.ts";
import { draftFromAnalysis, totalOf } from "./proposal-draft.ts";
import { type Intake, intakeInput } from "./schema.ts";

/** Submissions per client address (IP, or IPv6 /64) within the sign-in throttle's window (15 minutes). */
export const INTAKE_THROTTLE = { perIp: 5, windowSeconds: THROTTLE.windowSeconds } as const;

/** Where a tenant's files live in R2: a key prefix, derived from the id (R2 has no folders to create). */
export const storagePrefix = (tenantId: string) => `tenants/${tenantId}/`;

export type IntakeResult =
  | { status: "ignored" }
  | {
      status: "created" | "replayed";
      leadId: string;
      tenantId: string;
      subdomain: string;
      analyser: string;
    };

export { subdomainFrom };

async function freeSubdomain(db: D1Database, wanted: string): Promise<string> {
  const { results } = await db
    .prepare("SELECT subdomain FROM tenants WHERE subdomain = ?1 OR subdomain LIKE ?2 ESCAPE '\\'")
    .bind(wanted, `${wanted.replace(/[\\%_]/g, (m) => `\\${m}`)}-%`)
    .all<{ subdomain: string }>();
  const taken = new Set(results.map((r) => r.subdomain));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; n < 1000; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
  return `${wanted}-${newToken(4)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
}

/** The agency's own workspace: the oldest active agency-kind tenant that is not the bootcamp's (decision 010). */
async function agencyTenantId(db: D1Database): Promise<string> {
  const row = await db
    .prepare(
      "SELECT id FROM tenants WHERE kind = 'agency' AND status = 'active' AND subdomain <> ? ORDER BY created_at LIMIT 1",
    )
    .bind(BOOTCAMP_SUBDOMAIN)
    .first<{ id: string }>();
  if (!row) throw new DomainError("INTERNAL", "The agency workspace is not set up.");
  return row.id;
}

const payloadHash = (intake: Intake) => {
  const { idempotency_key: _k, website: _w, ...rest } = intake;
  return sha256Hex(JSON.stringify(rest));
};

async function replay(db: D1Database, agencyId: string, key: string, hash: string) {
  const row = await db
    .prepare(
      `SELECT i.lead_id, i.project_tenant_id, i.payload_hash, i.analyser, t.subdomain FROM intakes i
       JOIN tenants t ON t.id = i.project_tenant_id WHERE i.tenant_id = ? AND i.idempotency_key = ?`,
    )
    .bind(agencyId, key)
    .first<{
      lead_id: string;
      project_tenant_id: string;
      payload_hash: string;
      analyser: string;
      subdomain: string;
    }>();
  if (!row) return null;
  if (row.payload_hash !== hash) {
    throw new DomainError("CONFLICT", "This form was already sent with different answers. Reload the page.", {
      details: [{ path: "idempotency_key", message: "already used with different answers" }],
    });
  }
  return {
    status: "replayed" as const,
    leadId: row.lead_id,
    tenantId: row.project_tenant_id,
    subdomain: row.subdomain,
    analyser: row.analyser,
  };
}

async function countSubmission(db: D1Database, ip: string, nowS: number) {
  const key = `intake:${clientKey(ip)}`;
  const row = await db
    .prepare(
      `INSERT INTO auth_throttle (key, window_start, failures) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
       RETURNING failures, window_start`,
    )
    .bind(key, nowS, INTAKE_THROTTLE.windowSeconds)
    .first<{ failures: number; window_start: number }>();
  if (row && row.failures > INTAKE_THROTTLE.perIp) {
    throw new DomainError("RATE_LIMITED", "Too many project requests from your network. Try again later.", {
      retryAfterSeconds: Math.max(1, row.window_start + INTAKE_THROTTLE.windowSeconds - nowS),
    });
  }
}

function invitationMail(opts: { intake: Intake; link: string; existingAccount: boolean; expires: string }): {
  subject: string;
  text: string;
} {
  const { intake, link, existingAccount } = opts;
  const day = opts.expires.slice(0, 10);
  // What the visitor typed is repeated only when it can't be a link (anyone can submit the form for any address).
  const name = visitorTextForMail(intake.name);
  const org = visitorTextForMail(intake.organisation);
  if (intake.locale === "en") {
    return {
      subject: mailSubject(
        org ? `Your project request for ${org} — Fataplus` : "Your project request — Fataplus",
      ),
      text: [
        name ? `Hello ${name},` : "Hello,",
        "",
        "Thank you for describing your project. We have prepared a project space for it, where you will find our proposal.",
        existingAccount
          ? "You already have a Fataplus account: sign in with it, then open this link to join the project:"
          : "Open this link to choose your password and enter your project space:",
        link,
        "",
        `The link works once, until ${day}. If you did not send this request, ignore this email.`,
        "",
        "Fataplus",
      ].join("\n"),
    };
  }
  return {
    subject: mailSubject(
      org ? `Votre demande de projet pour ${org} — Fataplus` : "Votre demande de projet — Fataplus",
    ),
    text: [
      name ? `Bonjour ${name},` : "Bonjour,",
      "",
      "Merci d'avoir décrit votre projet. Nous lui avons préparé un espace, où vous trouverez notre proposition.",
      existingAccount
        ? "Vous avez déjà un compte Fataplus : connectez-vous avec, puis ouvrez ce lien pour rejoindre le projet :"
        : "Ouvrez ce lien pour choisir votre mot de passe et entrer dans votre espace projet :",
      link,
      "",
      `Le lien fonctionne une fois, jusqu'au ${day}. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.`,
      "",
      "Fataplus",
    ].join("\n"),
  };
}

/** The origin of a project's portal: `https://fata.plus` + `acme` → `https://acme.fata.plus`. */
export function portalOrigin(siteOrigin: string, subdomain: string): string {
  const url = new URL(siteOrigin);
  url.hostname = `${subdomain}.${url.hostname.replace(/^www\./, "")}`;
  return url.origin;
}

export async function submitIntake({
  ctx,
  input,
  ip,
  siteOrigin,
  analyser = builtinAnalyser,
  adjustBatch,
}: {
  ctx: SystemCtx;
  input: unknown;
  /** The client's address (cf-connecting-ip), for the rate limit. */
  ip: string;
  /** The public site's origin (from configuration, never from the request), for the links in emails. */
  siteOrigin: string;
  analyser?: IntakeAnalyser;
  /** Tests only: change the batch before it runs (e.g. put a failing statement in the middle). */
  adjustBatch?: (statements: D1PreparedStatement[]) => D1PreparedStatement[];
}): Promise<IntakeResult> {
  const parsed = intakeInput.safeParse(input ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues, "Invalid project request");
  const intake = parsed.data;
  if (intake.website) return { status: "ignored" };

  const db = ctx.db;
  const agencyId = await agencyTenantId(db);
  const hash = await payloadHash(intake);
  const replayed = await replay(db, agencyId, intake.idempotency_key, hash);
  if (replayed) return replayed;

  const now = ctx.now();
  await countSubmission(db, ip, Math.floor(now.getTime() / 1000));

  const outcome = await analyseWithFallback(intake, analyser);
  const { analysis } = outcome;
  const existing = await db
    .prepare("SELECT id, status FROM users WHERE email = ?")
    .bind(intake.email)
    .first<{ id: number; status: string }>();
  const existingAccount = existing !== null && existing.status !== "invited";

  const at = nowIso(now);
  const build = async (subdomain: string) => {
    const tenantId = newTenantId(now);
    const ids = {
      lead: newId(),
      intake: newId(),
      client: newId(),
      project: newId(),
      proposal: newId(),
      invitation: newId(),
    };
    const token = newToken();
    const expires = nowIso(new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000));
    const draft = draftFromAnalysis(intake, analysis, now);
    const profile = PROFILES[intake.project_type];
    const projectName = `${intake.organisation} — ${profile.label[intake.locale]}`.slice(0, 200);
    const audit = (tenant: string, action: string, entity: string, id: string, data: unknown) =>
      db
        .prepare(
          "INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at) VALUES (?, ?, 'system', NULL, ?, ?, ?, ?, ?)",
        )
        .bind(newId(), tenant, action, entity, id, JSON.stringify(data), at);
    const link = `${portalOrigin(siteOrigin, subdomain)}/${intake.locale === "en" ? "en/" : ""}invitation?token=${encodeURIComponent(token)}`;
    const mail = invitationMail({ intake, link, existingAccount, expires });

    const statements: D1PreparedStatement[] = [
      db
        .prepare(
          "INSERT INTO tenants (id, name, subdomain, kind, status, stage, created_at) VALUES (?, ?, ?, 'project', 'active', 'intake', ?)",
        )
        .bind(tenantId, intake.organisation, subdomain, at),
      audit(tenantId, "tenant.create", "tenants", tenantId, {
        subdomain,
        source: "intake",
        storage: storagePrefix(tenantId),
      }),
      db
        .prepare(
          "INSERT INTO clients (id, tenant_id, kind, name, email, phone, created_at, updated_at) VALUES (?, ?, 'organization', ?, ?, ?, ?, ?)",
        )
        .bind(ids.client, tenantId, intake.organisation, intake.email, intake.phone ?? null, at, at),
      db
        .prepare(
          `INSERT INTO projects (id, tenant_id, client_id, name, description, status, phase, estimate_cents, currency,
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'planned', 'discovery', ?, 'EUR', ?, ?)`,
        )
        .bind(
          ids.project,
          tenantId,
          ids.client,
          projectName,
          intake.goals.slice(0, 2000),
          analysis.budget_cents.max,
          at,
          at,
        ),
      ...analysis.phases.map((p, position) =>
        db
          .prepare(
            "INSERT INTO project_phases (id, tenant_id, project_id, position, phase, name, effort_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          )
          .bind(newId(), tenantId, ids.project, position, p.phase, p.name, p.effort_days, at),
      ),
      db
        .prepare(
          `INSERT INTO proposals (id, tenant_id, project_id, status, locale, currency, title, summary, items,
             assumptions, total_cents, valid_until, created_at, updated_at)
           VALUES (?, ?, ?, 'draft', ?, 'EUR', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          ids.proposal,
          tenantId,
          ids.project,
          intake.locale,
          draft.title,
          draft.summary ?? null,
          JSON.stringify(draft.items),
          JSON.stringify(draft.assumptions),
          totalOf(draft.items),
          draft.valid_until,
          at,
          at,
        ),
      db
        .prepare(
          `INSERT INTO leads (id, tenant_id, title, contact_name, email, stage, value_cents, source, notes, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'new', ?, 'intake', ?, ?, ?)`,
        )
        .bind(
          ids.lead,
          agencyId,
          projectName.slice(0, 300),
          intake.name,
          intake.email,
          analysis.budget_cents.max,
          analysis.summary.slice(0, 2000),
          at,
          at,
        ),
      db
        .prepare(
          `INSERT INTO intakes (id, tenant_id, lead_id, project_tenant_id, idempotency_key, payload_hash, locale, email,
             answers, analysis, analyser, analyser_note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          ids.intake,
          agencyId,
          ids.lead,
          tenantId,
          intake.idempotency_key,
          hash,
          intake.locale,
          intake.email,
          JSON.stringify({ ...intake, website: undefined }),
          JSON.stringify(analysis),
          outcome.analyser,
          outcome.note,
          at,
        ),
      audit(agencyId, "lead.create", "leads", ids.lead, {
        source: "intake",
        tenant: tenantId,
        analyser: outcome.analyser,
        fallback: outcome.note,
      }),
      // Round-robin: the active staff member whose last intake assignment is the oldest (never assigned first).
      db
        .prepare(
          `INSERT INTO memberships (tenant_id, user_id, role, created_at)
           SELECT ?1, u.id, 'project_manager', ?2 FROM users u
           WHERE u.role = 'staff' AND u.status = 'active'
           ORDER BY (SELECT max(i.created_at) FROM intakes i WHERE i.tenant_id = ?3 AND i.pm_user_id = u.id), u.id
           LIMIT 1`,
        )
        .bind(tenantId, at, agencyId),
      db
        .prepare(
          `UPDATE intakes SET pm_user_id =
             (SELECT user_id FROM memberships WHERE tenant_id = ?1 AND role = 'project_manager' LIMIT 1)
           WHERE tenant_id = ?2 AND id = ?3`,
        )
        .bind(tenantId, agencyId, ids.intake),
      // The submitter: a new address gets an unclaimed (`invited`) account and its client membership …
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
      audit(tenantId, "invitation.create", "invitations", ids.invitation, {
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
    return { statements, tenantId, leadId: ids.lead };
  };

  let subdomain = await freeSubdomain(db, subdomainFrom(intake.organisation));
  for (let attempt = 0; ; attempt++) {
    const { statements, tenantId, leadId } = await build(subdomain);
    try {
      await db.batch(adjustBatch ? adjustBatch(statements) : statements);
      return { status: "created", leadId, tenantId, subdomain, analyser: outcome.analyser };
    } catch (err) {
      const msg = String(err);
      if (/UNIQUE/i.test(msg) && /idempotency_key/.test(msg)) {
        // The same form sent twice at once: the other request won, answer what it created.
        const again = await replay(db, agencyId, intake.idempotency_key, hash);
        if (again) return again;
      }
      if (/UNIQUE/i.test(msg) && /subdomain/.test(msg) && attempt < 2) {
        subdomain = `${subdomainFrom(intake.organisation).slice(0, 33)}-${newToken(6)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "x")}`;
        continue;
      }
      throw err;
    }
  }
}
