/**
 * Enrolments: a person applies from the public catalogue (applied, ./apply.ts), staff invite them (invited: an
 * invitation e-mail whose link creates the account, or, for someone who already has one, asks them to sign in
 * and join), and the enrolment becomes theirs the first time they open the bootcamp signed in with that
 * address (active). An invitation token alone never joins an existing account (decision 003).
 */
import { prepareInvitation } from "../invitations/index.ts";
import { writeWithAudit } from "../kernel/audit.ts";
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { mailSubject, queueMail } from "../mail/index.ts";
import { assertStaff } from "./access.ts";
import { enrolInput, idInput } from "./schemas.ts";
import { type CohortForEnrolment, changedRow, cohortWithSeats } from "./store.ts";

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

type Invitee = { id: string | null; cohort_id: string; email: string; name: string };

/** The enrolment row: a new one, or the application (still `applied`) that becomes an enrolment. */
function enrolmentStatement(
  ctx: Ctx,
  enrolment: Invitee,
  row: { id: string; userId: number | null; status: "active" | "invited"; ts: string },
): D1PreparedStatement {
  const joinedAt = row.userId === null ? null : row.ts;
  if (enrolment.id === null)
    return ctx.db
      .prepare(
        `INSERT INTO bootcamp_enrolments (id, tenant_id, cohort_id, email, name, user_id, status, invited_at, joined_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        row.id,
        ctx.tenant.id,
        enrolment.cohort_id,
        enrolment.email,
        enrolment.name,
        row.userId,
        row.status,
        row.ts,
        joinedAt,
        row.ts,
      );
  return ctx.db
    .prepare(
      `UPDATE bootcamp_enrolments SET status = ?, user_id = ?, invited_at = ?, joined_at = ?
       WHERE tenant_id = ? AND id = ? AND status = 'applied'`,
    )
    .bind(row.status, row.userId, row.ts, joinedAt, ctx.tenant.id, row.id);
}

/**
 * Invites someone into a cohort: the enrolment (new or an application) becomes `invited`, and the invitation
 * e-mail goes into the outbox in the same batch. A person who is already a member of this tenant needs no
 * account: they are asked to sign in, and their enrolment is active at once.
 * Returns the invitation's accept path once, for staff to hand over by hand if the e-mail does not arrive.
 */
async function invite(ctx: Ctx, enrolment: Invitee, links: SiteLinks) {
  const cohort = await cohortWithSeats(ctx.db, ctx.tenant.id, enrolment.cohort_id);
  if (!cohort) throw new DomainError("NOT_FOUND", "No such cohort.");
  if (cohort.taken >= cohort.seats) throw new DomainError("CONFLICT", "This cohort is full.");
  const member = await ctx.db
    .prepare(
      "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.tenant_id = ? WHERE u.email = ?",
    )
    .bind(ctx.tenant.id, enrolment.email)
    .first<{ id: number }>();
  const id = enrolment.id ?? newId();
  const status = member ? "active" : "invited";
  const invitation = member ? null : await prepareInvitation(ctx, enrolment.email, "client");
  const acceptPath = invitation ? `/invitation?token=${encodeURIComponent(invitation.token)}` : null;
  const mail = invitationMail({
    ctx,
    to: enrolment.email,
    name: enrolment.name,
    cohort,
    link: `${links.origin}${acceptPath ?? "/bootcamp/learn"}`,
    existing: member !== null,
  });
  const row = { id, userId: member?.id ?? null, status, ts: nowIso(ctx.now()) } as const;
  try {
    const results = await writeWithAudit(
      ctx,
      [enrolmentStatement(ctx, enrolment, row), ...(invitation ? [invitation.statement] : []), mail],
      {
        action: "bootcamp.enrolment.invite",
        entity: "bootcamp_enrolments",
        entityId: id,
        data: { cohort_id: enrolment.cohort_id, email: enrolment.email },
      },
    );
    if (!changedRow(results[0])) throw new DomainError("CONFLICT", "This application was already handled.");
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
export async function enrolLearner({ ctx, input, links }: VerbArgs & { links: SiteLinks }) {
  assertStaff(ctx);
  const data = parse(enrolInput, input, "enrolment");
  return invite(ctx, { id: null, ...data }, links);
}

/** Staff accept an application: the applicant gets their invitation. */
export async function inviteApplicant({ ctx, input, links }: VerbArgs & { links: SiteLinks }) {
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

export async function withdrawEnrolment({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id } = parse(idInput, input, "enrolment");
  const [res] = await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          "UPDATE bootcamp_enrolments SET status = 'withdrawn' WHERE tenant_id = ? AND id = ? AND status <> 'withdrawn'",
        )
        .bind(ctx.tenant.id, id),
    ],
    { action: "bootcamp.enrolment.withdraw", entity: "bootcamp_enrolments", entityId: id },
  );
  if (!changedRow(res)) throw new DomainError("NOT_FOUND", "No such enrolment.");
  return { ok: true };
}
