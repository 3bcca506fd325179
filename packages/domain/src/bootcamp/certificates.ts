/**
 * Certificates. Finishing a course = every lesson of the course completed and every assignment's submission
 * released by an instructor. The certificate copies what it shows (holder, course, date) at issue time; its id
 * is the public, unguessable reference: "FPC-" + 24 symbols of a 32-letter alphabet (120 random bits,
 * decision 010), looked up by primary key.
 */
import { z } from "zod";
import { auditRow } from "../kernel/audit.ts";
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso, randomSymbols } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { actingUserId, bootcampRole } from "./access.ts";

export const CERTIFICATE_ID_PATTERN = /^FPC-[A-HJ-NP-Z2-9]{24}$/;
export const newCertificateId = (): string => `FPC-${randomSymbols(24)}`;

/** The statements that issue the certificate of an enrolment if (and only if) its course is finished. */
export function certificateStatements(ctx: Ctx, enrolmentId: string): D1PreparedStatement[] {
  const t = ctx.tenant.id;
  const ts = nowIso(ctx.now());
  const id = newCertificateId();
  // One INSERT … SELECT decides in SQL, inside the caller's batch: nothing to race with.
  const finished = `
    e.status IN ('active', 'completed')
    AND EXISTS (SELECT 1 FROM bootcamp_lessons l WHERE l.tenant_id = e.tenant_id AND l.course_id = h.course_id AND l.archived_at IS NULL)
    AND (SELECT count(*) FROM bootcamp_lessons l WHERE l.tenant_id = e.tenant_id AND l.course_id = h.course_id AND l.archived_at IS NULL)
      = (SELECT count(*) FROM bootcamp_progress p JOIN bootcamp_lessons l ON l.tenant_id = p.tenant_id AND l.id = p.lesson_id
         WHERE p.tenant_id = e.tenant_id AND p.enrolment_id = e.id AND l.course_id = h.course_id AND l.archived_at IS NULL)
    AND NOT EXISTS (SELECT 1 FROM bootcamp_assignments a WHERE a.tenant_id = e.tenant_id AND a.course_id = h.course_id AND a.archived_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM bootcamp_submissions s WHERE s.tenant_id = e.tenant_id AND s.enrolment_id = e.id
        AND s.assignment_id = a.id AND s.marking_state = 'released' AND s.open = 0))`;
  return [
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_certificates (id, tenant_id, enrolment_id, holder_name, course_title, issued_at)
         SELECT ?, e.tenant_id, e.id, coalesce(u.name, e.name), c.title, ?
         FROM bootcamp_enrolments e
           JOIN bootcamp_cohorts h ON h.tenant_id = e.tenant_id AND h.id = e.cohort_id
           JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
           LEFT JOIN users u ON u.id = e.user_id
         WHERE e.tenant_id = ? AND e.id = ? AND ${finished}
         ON CONFLICT (tenant_id, enrolment_id) DO NOTHING`,
      )
      .bind(id, ts, t, enrolmentId),
    ctx.db
      .prepare(
        `UPDATE bootcamp_enrolments SET status = 'completed', completed_at = ?
         WHERE tenant_id = ? AND id = ? AND status = 'active'
           AND EXISTS (SELECT 1 FROM bootcamp_certificates c WHERE c.tenant_id = ? AND c.enrolment_id = ?)`,
      )
      .bind(ts, t, enrolmentId, t, enrolmentId),
    // issued by the rule, whoever's action completed the course: a system row, only if the INSERT issued it
    auditRow(ctx.db, {
      tenantId: t,
      actorType: "system",
      actorId: null,
      action: "bootcamp.certificate.issue",
      entity: "bootcamp_certificates",
      entityId: id,
      at: ts,
      when: { sql: "EXISTS (SELECT 1 FROM bootcamp_certificates WHERE id = ?)", binds: [id] },
    }),
  ];
}

export type Certificate = { id: string; holder_name: string; course_title: string; issued_at: string };

export type VerifiedCertificate = Certificate & {
  status: "valid" | "revoked";
  /** When it was revoked (null while valid). The reason stays with staff. */
  revoked_at: string | null;
};

/**
 * Public verification: exactly what the certificate shows, and whether it is still valid or was revoked (and
 * when). Anything that is not a certificate id and an unknown id answer "not found" without more detail.
 */
export async function verifyCertificate({
  db,
  id,
}: {
  db: D1Database;
  id: string;
}): Promise<VerifiedCertificate> {
  if (!CERTIFICATE_ID_PATTERN.test(id)) throw new DomainError("NOT_FOUND", "No certificate has this id.");
  const row = await db
    .prepare(
      "SELECT id, holder_name, course_title, issued_at, revoked_at FROM bootcamp_certificates WHERE id = ?",
    )
    .bind(id)
    .first<Certificate & { revoked_at: string | null }>();
  if (!row) throw new DomainError("NOT_FOUND", "No certificate has this id.");
  return { ...row, status: row.revoked_at ? "revoked" : "valid" };
}

/** The printable certificate: its holder (a learner of this tenant) or the bootcamp's staff. */
export async function getCertificate({ ctx, input }: VerbArgs): Promise<Certificate> {
  const { id } = parse(z.object({ id: z.string().max(40) }), input, "certificate");
  const userId = actingUserId(ctx);
  const staff = bootcampRole(ctx) === "staff";
  const row = await ctx.db
    .prepare(
      `SELECT c.id, c.holder_name, c.course_title, c.issued_at FROM bootcamp_certificates c
       JOIN bootcamp_enrolments e ON e.tenant_id = c.tenant_id AND e.id = c.enrolment_id
       WHERE c.tenant_id = ? AND c.id = ? AND c.revoked_at IS NULL AND (? = 1 OR e.user_id = ?)`,
    )
    .bind(ctx.tenant.id, id, staff ? 1 : 0, userId)
    .first<Certificate>();
  if (!row) throw new DomainError("NOT_FOUND", "No such certificate.");
  return row;
}
