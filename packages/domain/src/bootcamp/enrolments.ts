/**
 * Enrolments: a person applies from the public catalogue (applied), staff invite them (invited: an
 * invitation e-mail whose link creates the account, or, for someone who already has one, asks them to sign in
 * and join), and the enrolment becomes theirs the first time they open the bootcamp signed in with that
 * address (active). An invitation token alone never joins an existing account (decision 003).
 */
import type { z } from "zod";
import { clientKey, THROTTLE } from "../auth/login.ts";
import { prepareInvitation } from "../invitations/index.ts";
import { auditStatement } from "../kernel/audit.ts";
import type { Ctx, SystemCtx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { mailSubject, queueMail } from "../mail/index.ts";
import { assertStaff, isoDay } from "./access.ts";
import { cohortForTeam } from "./manage.ts";
import { applyInput, type EnrolmentStatus, enrolInput, idInput } from "./schemas.ts";

/** A verb's arguments: `input` is unknown, parsed by the verb with its schema `S`. */
type In<_S extends z.ZodType> = { ctx: Ctx; input: unknown };

export type EnrolmentRow = {
  id: string;
  cohort_id: string;
  email: string;
  name: string;
  user_id: number | null;
  status: EnrolmentStatus;
  motivation: string | null;
  invited_at: string | null;
  joined_at: string | null;
  completed_at: string | null;
  created_at: string;
};

/** Seats taken: invited, active and completed enrolments (applications do not hold a seat). */
const SEATS_TAKEN = `(SELECT count(*) FROM bootcamp_enrolments e WHERE e.tenant_id = h.tenant_id AND e.cohort_id = h.id
  AND e.status IN ('invited', 'active', 'completed'))`;

type CohortForEnrolment = { id: string; name: string; seats: number; taken: number; course_title: string };

async function cohortWithSeats(db: D1Database, tenantId: string, cohortId: string) {
  return db
    .prepare(
      `SELECT h.id, h.name, h.seats, h.status, h.start_date, c.status AS course_status, c.title AS course_title, ${SEATS_TAKEN} AS taken
       FROM bootcamp_cohorts h JOIN bootcamp_courses c ON c.tenant_id = h.tenant_id AND c.id = h.course_id
       WHERE h.tenant_id = ? AND h.id = ?`,
    )
    .bind(tenantId, cohortId)
    .first<CohortForEnrolment & { status: string; start_date: string; course_status: string }>();
}

/** Where the links in e-mails point: the site's origin, given by the route (never from user input). */
export type SiteLinks = { origin: string };

function invitationMail(opts: {
  ctx: Ctx;
  to: string;
  name: string;
  cohort: CohortForEnrolment;
  link: string;
  existing: boolean;
}) {
  const { ctx, to, name, cohort, link, existing } = opts;
  const action = existing
    ? "Connectez-vous avec votre compte pour commencer / Sign in with your account to start"
    : "Créez votre compte avec ce lien (valable 7 jours) / Create your account with this link (valid 7 days)";
  return queueMail(ctx.db, {
    tenantId: ctx.tenant.id,
    to,
    kind: "bootcamp.invitation",
    subject: mailSubject(`Bootcamp Fataplus : ${cohort.course_title} — ${cohort.name}`),
    text: [
      `Bonjour ${name},`,
      "",
      `Votre place dans la cohorte « ${cohort.name} » (${cohort.course_title}) est confirmée.`,
      `Your seat in the “${cohort.name}” cohort (${cohort.course_title}) is confirmed.`,
      "",
      `${action} :`,
      link,
      "",
      "— Fataplus Bootcamp",
    ].join("\n"),
  });
}

/**
 * Invites someone into a cohort: the enrolment (new or an application) becomes `invited`, and the invitation
 * e-mail goes into the outbox in the same batch. A person who is already a member of this tenant needs no
 * account: they are asked to sign in, and their enrolment is active at once.
 * Returns the invitation's accept path once, for staff to hand over by hand if the e-mail does not arrive.
 */
async function invite(
  ctx: Ctx,
  enrolment: { id: string | null; cohort_id: string; email: string; name: string },
  links: SiteLinks,
) {
  const cohort = await cohortWithSeats(ctx.db, ctx.tenant.id, enrolment.cohort_id);
  if (!cohort) throw new DomainError("NOT_FOUND", "No such cohort.");
  if (cohort.taken >= cohort.seats) throw new DomainError("CONFLICT", "This cohort is full.");
  const member = await ctx.db
    .prepare(
      "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.tenant_id = ? WHERE u.email = ?",
    )
    .bind(ctx.tenant.id, enrolment.email)
    .first<{ id: number }>();
  const ts = nowIso(ctx.now());
  const id = enrolment.id ?? newId();
  const statements: D1PreparedStatement[] = [];
  let acceptPath: string | null = null;
  let link = `${links.origin}/bootcamp/learn`;
  if (!member) {
    const inv = await prepareInvitation(ctx, enrolment.email, "client");
    statements.push(inv.statement);
    acceptPath = `/invitation?token=${encodeURIComponent(inv.token)}`;
    link = `${links.origin}${acceptPath}`;
  }
  const status = member ? "active" : "invited";
  if (enrolment.id === null) {
    statements.unshift(
      ctx.db
        .prepare(
          `INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, user_id, status, invited_at, joined_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          id,
          ctx.tenant.id,
          enrolment.cohort_id,
          enrolment.email,
          enrolment.name,
          member?.id ?? null,
          status,
          ts,
          member ? ts : null,
          ts,
        ),
    );
  } else {
    statements.unshift(
      ctx.db
        .prepare(
          `UPDATE bootcamp_enrolments SET status = ?, user_id = ?, invited_at = ?, joined_at = ?
           WHERE tenant_id = ? AND id = ? AND status = 'applied'`,
        )
        .bind(status, member?.id ?? null, ts, member ? ts : null, ctx.tenant.id, id),
    );
  }
  statements.push(
    invitationMail({
      ctx,
      to: enrolment.email,
      name: enrolment.name,
      cohort,
      link,
      existing: member !== null,
    }),
    auditStatement(ctx, "bootcamp.enrolment.invite", "bootcamp_enrolments", id, {
      cohort_id: enrolment.cohort_id,
      email: enrolment.email,
    }),
  );
  try {
    const results = await ctx.db.batch(statements);
    if (results[0]?.meta.changes !== 1)
      throw new DomainError("CONFLICT", "This application was already handled.");
  } catch (e) {
    if (/UNIQUE/i.test(String(e)))
      throw new DomainError("CONFLICT", "This person is already enrolled in this cohort.");
    throw e;
  }
  // The token claims the address (and an unclaimed account made for it by the intake, with its memberships):
  // like createInvitation, only the agency's own people, who deliver it by hand, are handed it.
  const handsOver = ctx.actor.type === "system" || ctx.actor.agencyRole !== "member";
  return { id, status, acceptPath: handsOver ? acceptPath : null };
}

/** Staff enrol someone directly (by e-mail). */
export async function enrolLearner({ ctx, input, links }: In<typeof enrolInput> & { links: SiteLinks }) {
  assertStaff(ctx);
  const data = parse(enrolInput, input, "enrolment");
  return invite(ctx, { id: null, ...data }, links);
}

/** Staff accept an application: the applicant gets their invitation. */
export async function inviteApplicant({ ctx, input, links }: In<typeof idInput> & { links: SiteLinks }) {
  assertStaff(ctx);
  const { id } = parse(idInput, input, "enrolment");
  const row = await ctx.db
    .prepare(
      "SELECT id, cohort_id, email, name, status FROM bootcamp_enrolments WHERE tenant_id = ? AND id = ?",
    )
    .bind(ctx.tenant.id, id)
    .first<{ id: string; cohort_id: string; email: string; name: string; status: string }>();
  if (!row) throw new DomainError("NOT_FOUND", "No such enrolment.");
  if (row.status !== "applied") throw new DomainError("CONFLICT", "This application was already handled.");
  return invite(ctx, row, links);
}

export async function withdrawEnrolment({ ctx, input }: In<typeof idInput>) {
  assertStaff(ctx);
  const { id } = parse(idInput, input, "enrolment");
  const [res] = await ctx.db.batch([
    ctx.db
      .prepare(
        "UPDATE bootcamp_enrolments SET status = 'withdrawn' WHERE tenant_id = ? AND id = ? AND status <> 'withdrawn'",
      )
      .bind(ctx.tenant.id, id),
    auditStatement(ctx, "bootcamp.enrolment.withdraw", "bootcamp_enrolments", id),
  ]);
  if (res?.meta.changes !== 1) throw new DomainError("NOT_FOUND", "No such enrolment.");
  return { ok: true };
}

export type CohortRoster = {
  cohort: Awaited<ReturnType<typeof cohortForTeam>>;
  lessons: number;
  assignments: number;
  enrolments: Array<EnrolmentRow & { lessons_done: number; released: number; certificate_id: string | null }>;
};

/** A cohort's enrolments with each learner's progress: staff, or the cohort's instructors. */
export async function getCohortRoster({ ctx, input }: In<typeof idInput>): Promise<CohortRoster> {
  const { id } = parse(idInput, input, "cohort");
  const cohort = await cohortForTeam(ctx, id);
  const t = ctx.tenant.id;
  const [counts, rows] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT (SELECT count(*) FROM bootcamp_lessons WHERE tenant_id = ? AND course_id = ?) AS lessons,
                (SELECT count(*) FROM bootcamp_assignments WHERE tenant_id = ? AND course_id = ?) AS assignments`,
      )
      .bind(t, cohort.course_id, t, cohort.course_id),
    ctx.db
      .prepare(
        `SELECT e.id, e.cohort_id, e.email, e.name, e.user_id, e.status, e.motivation, e.invited_at, e.joined_at,
                e.completed_at, e.created_at,
           (SELECT count(*) FROM bootcamp_progress p WHERE p.tenant_id = e.tenant_id AND p.enrolment_id = e.id) AS lessons_done,
           (SELECT count(*) FROM bootcamp_submissions s WHERE s.tenant_id = e.tenant_id AND s.enrolment_id = e.id AND s.marking_state = 'released') AS released,
           (SELECT id FROM bootcamp_certificates c WHERE c.tenant_id = e.tenant_id AND c.enrolment_id = e.id AND c.revoked_at IS NULL) AS certificate_id
         FROM bootcamp_enrolments e WHERE e.tenant_id = ? AND e.cohort_id = ? ORDER BY e.created_at LIMIT 1000`,
      )
      .bind(t, id),
  ]);
  const c = counts?.results[0] as { lessons: number; assignments: number } | undefined;
  return {
    cohort,
    lessons: c?.lessons ?? 0,
    assignments: c?.assignments ?? 0,
    enrolments: (rows?.results ?? []) as CohortRoster["enrolments"],
  };
}

/** Public applications per client (IP, or IPv6 /64) in the login throttle's 15-minute window. */
export const APPLY_LIMIT = 5;

async function countApplication(ctx: SystemCtx, clientIp: string): Promise<void> {
  const nowS = Math.floor(ctx.now().getTime() / 1000);
  const row = await ctx.db
    .prepare(
      `INSERT INTO auth_throttle (key, window_start, failures) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
       RETURNING failures, window_start`,
    )
    .bind(`bootcamp-apply:${clientKey(clientIp)}`, nowS, THROTTLE.windowSeconds)
    .first<{ failures: number; window_start: number }>();
  if (row && row.failures > APPLY_LIMIT)
    throw new DomainError("RATE_LIMITED", "Too many applications from your network: try again later.", {
      retryAfterSeconds: row.window_start + THROTTLE.windowSeconds - nowS,
    });
}

/**
 * A public application to a cohort of the bootcamp tenant. The answer is the same whether or not the address
 * already applied (nothing to learn about who applies); a full, closed or past cohort is refused.
 */
export async function applyToCohort({
  ctx,
  tenant,
  input,
  clientIp,
}: {
  ctx: SystemCtx;
  tenant: TenantRef;
  input: unknown;
  /** The applicant's address (cf-connecting-ip): at most APPLY_LIMIT applications per window from one client. */
  clientIp: string;
}) {
  const data = parse(applyInput, input, "application");
  await countApplication(ctx, clientIp);
  const cohort = await cohortWithSeats(ctx.db, tenant.id, data.cohort_id);
  if (cohort?.course_status !== "published" || cohort.status === "draft")
    throw new DomainError("NOT_FOUND", "No such cohort.");
  if (cohort.status === "closed" || cohort.start_date < isoDay(ctx.now()))
    throw new DomainError("CONFLICT", "Applications for this cohort are closed.");
  if (cohort.taken >= cohort.seats) throw new DomainError("CONFLICT", "This cohort is full.");
  const id = newId();
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, status, motivation, created_at)
         VALUES (?, ?, ?, ?, ?, 'applied', ?, ?) ON CONFLICT (tenant_id, cohort_id, email) DO NOTHING`,
      )
      .bind(id, tenant.id, data.cohort_id, data.email, data.name, data.motivation ?? null, ts),
    ctx.db
      .prepare(
        `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, data, created_at)
         SELECT ?, ?, 'system', NULL, 'bootcamp.enrolment.apply', 'bootcamp_enrolments', ?, ?, ?
         WHERE changes() = 1`,
      )
      .bind(newId(), tenant.id, id, JSON.stringify({ cohort_id: data.cohort_id }), ts),
  ]);
  return { ok: true };
}
