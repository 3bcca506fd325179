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

import { countClientAttempt, THROTTLE } from "../auth/throttle.ts";
import { BOOTCAMP_SUBDOMAIN } from "../bootcamp/access.ts";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, newTenantId, newToken, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { analyseWithFallback, builtinAnalyser, type IntakeAnalyser } from "./analyser.ts";
import { agencyStatements, type Ids, type Provisioning, projectStatements } from "./provision-batch.ts";
import { submitterStatements } from "./provision-submitter.ts";
import { type Intake, intakeInput } from "./schema.ts";
import { subdomainFrom } from "./subdomains.ts";

/** Submissions per client address (IP, or IPv6 /64) within the sign-in throttle's window (15 minutes). */
export const INTAKE_THROTTLE = { perIp: 5, windowSeconds: THROTTLE.windowSeconds } as const;

export type IntakeResult =
  | { status: "ignored" }
  | {
      status: "created" | "replayed";
      leadId: string;
      tenantId: string;
      subdomain: string;
      analyser: string;
    };

const randomSuffix = (n: number) =>
  newToken(n)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x");

async function freeSubdomain(db: D1Database, wanted: string): Promise<string> {
  const { results } = await db
    .prepare("SELECT subdomain FROM tenants WHERE subdomain = ?1 OR subdomain LIKE ?2 ESCAPE '\\'")
    .bind(wanted, `${wanted.replace(/[\\%_]/g, (m) => `\\${m}`)}-%`)
    .all<{ subdomain: string }>();
  const taken = new Set(results.map((r) => r.subdomain));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; n < 1000; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
  return `${wanted}-${randomSuffix(4)}`;
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

/** Everything one intake provisions, in order; the lead's id for the answer. */
async function provisionStatements(
  p: Provisioning,
): Promise<{ statements: D1PreparedStatement[]; leadId: string }> {
  const ids: Ids = {
    lead: newId(),
    intake: newId(),
    client: newId(),
    contact: newId(),
    agencyClient: newId(),
    agencyContact: newId(),
    project: newId(),
    proposal: newId(),
    invitation: newId(),
  };
  const statements = [
    ...projectStatements(p, ids),
    ...agencyStatements(p, ids),
    ...(await submitterStatements(p, ids)),
  ];
  return { statements, leadId: ids.lead };
}

/**
 * Runs the provisioning batch, with a new subdomain if another intake took this one meanwhile (twice at
 * most); the same form sent twice at once answers what the winning request created.
 */
async function provision(
  p: Omit<Provisioning, "tenantId">,
  adjustBatch: ((statements: D1PreparedStatement[]) => D1PreparedStatement[]) | undefined,
): Promise<IntakeResult> {
  let subdomain = p.subdomain;
  for (let attempt = 0; ; attempt++) {
    const tenantId = newTenantId(p.now);
    const { statements, leadId } = await provisionStatements({ ...p, tenantId, subdomain });
    try {
      await p.db.batch(adjustBatch ? adjustBatch(statements) : statements);
      return { status: "created", leadId, tenantId, subdomain, analyser: p.outcome.analyser };
    } catch (err) {
      const msg = String(err);
      if (/UNIQUE/i.test(msg) && /idempotency_key/.test(msg)) {
        const again = await replay(p.db, p.agencyId, p.intake.idempotency_key, p.hash);
        if (again) return again;
      }
      if (/UNIQUE/i.test(msg) && /subdomain/.test(msg) && attempt < 2) {
        subdomain = `${subdomainFrom(p.intake.organisation).slice(0, 33)}-${randomSuffix(6)}`;
        continue;
      }
      throw err;
    }
  }
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
  const intake = parse(intakeInput, input ?? {}, "project request");
  if (intake.website) return { status: "ignored" };

  const db = ctx.db;
  const agencyId = await agencyTenantId(db);
  const hash = await payloadHash(intake);
  const replayed = await replay(db, agencyId, intake.idempotency_key, hash);
  if (replayed) return replayed;

  const now = ctx.now();
  await countClientAttempt(db, {
    scope: "intake",
    ip,
    limit: INTAKE_THROTTLE.perIp,
    nowS: Math.floor(now.getTime() / 1000),
    message: "Too many project requests from your network. Try again later.",
  });

  const outcome = await analyseWithFallback(intake, analyser);
  const existing = await db
    .prepare("SELECT id, status FROM users WHERE email = ?")
    .bind(intake.email)
    .first<{ id: number; status: string }>();
  const subdomain = await freeSubdomain(db, subdomainFrom(intake.organisation));
  return provision(
    {
      db,
      intake,
      outcome,
      hash,
      agencyId,
      subdomain,
      siteOrigin,
      existingAccount: existing !== null && existing.status !== "invited",
      now,
    },
    adjustBatch,
  );
}
