/**
 * Staff edit the bootcamp's content and cohorts (decision 032): edit a module, an assignment or a cohort,
 * reorder a course's modules and assignments or a module's lessons and quizzes, delete content (archived instead
 * when learners have worked on it, after the caller confirms), and revoke a certificate with a reason. Each change
 * and its audit row go in one D1 batch.
 */
import { z } from "zod";
import { auditRow, auditRowOf, auditStatement, writeWithAudit } from "../kernel/audit.ts";
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { assertStaff } from "./access.ts";
import { CERTIFICATE_ID_PATTERN } from "./certificates.ts";
import { cohortStatuses, rubricSchema } from "./schemas.ts";
import { changedRow, patchRow } from "./store.ts";

const uuid = z.uuid({ message: "must be a UUID" });
const text = (max: number) => z.string().trim().min(1).max(max);
const days = z.coerce.number().int().min(0).max(730);
const position = z.coerce.number().int().min(0).max(10_000);
const isoDate = z.iso.date({ message: "must be a date formatted YYYY-MM-DD" });

export const updateModuleInput = z.strictObject({
  id: uuid,
  title: text(200).optional(),
  position: position.optional(),
});
export const updateAssignmentInput = z.strictObject({
  id: uuid,
  title: text(200).optional(),
  brief_md: z.string().max(50_000).optional(),
  due_offset_days: days.optional(),
  rubric: rubricSchema.optional(),
  position: position.optional(),
});
export const updateCohortInput = z.strictObject({
  id: uuid,
  name: text(200).optional(),
  start_date: isoDate.optional(),
  end_date: isoDate.nullable().optional(),
  seats: z.coerce.number().int().min(1).max(1000).optional(),
  status: z.enum(cohortStatuses).optional(),
});

/** What can be reordered, the table and the column naming its parent. */
const ORDERABLE = {
  modules: { table: "bootcamp_modules", parent: "course_id" },
  assignments: { table: "bootcamp_assignments", parent: "course_id" },
  lessons: { table: "bootcamp_lessons", parent: "module_id" },
  quizzes: { table: "bootcamp_quizzes", parent: "module_id" },
} as const;
export const contentKinds = ["modules", "assignments", "lessons", "quizzes"] as const;
export type ContentKind = (typeof contentKinds)[number];

export const reorderInput = z.strictObject({
  kind: z.enum(contentKinds),
  parent_id: uuid,
  ids: z.array(uuid).min(1).max(90),
});
export const deleteContentInput = z.strictObject({
  kind: z.enum(contentKinds),
  id: uuid,
  /** Archive it although learners have worked on it (their records are kept). */
  confirm: z.union([z.boolean(), z.literal("1"), z.literal("true")]).optional(),
});
export const revokeCertificateInput = z.strictObject({
  id: z.string().regex(CERTIFICATE_ID_PATTERN, "not a certificate id"),
  reason: z.string().trim().min(3, "give a reason").max(1000),
});

/** An audit row that is written only if the statement just before it in the batch changed a row. */
const auditIfChanged = (ctx: Ctx, action: string, entity: string, id: string, data: unknown) =>
  auditRow(ctx.db, { ...auditRowOf(ctx, action, entity, id, data), when: { sql: "changes() = 1" } });

export async function updateModule({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, ...changes } = parse(updateModuleInput, input, "module");
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new DomainError("VALIDATION", "Nothing to change.");
  // modules have no updated_at column: a plain UPDATE
  const sets = entries.map(([k]) => `"${k}" = ?`).join(", ");
  const [res] = await ctx.db.batch([
    ctx.db
      .prepare(`UPDATE bootcamp_modules SET ${sets} WHERE tenant_id = ? AND id = ? AND archived_at IS NULL`)
      .bind(...entries.map(([, v]) => v ?? null), ctx.tenant.id, id),
    auditIfChanged(ctx, "bootcamp.module.update", "bootcamp_modules", id, changes),
  ]);
  if (!changedRow(res)) throw new DomainError("NOT_FOUND", "No such module.");
  return { ok: true };
}

export async function updateAssignment({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, rubric, ...rest } = parse(updateAssignmentInput, input, "assignment");
  return patchRow(ctx, {
    table: "bootcamp_assignments",
    id,
    changes: { ...rest, rubric: rubric ? JSON.stringify(rubric) : undefined },
    action: "bootcamp.assignment.update",
    audit: (fields) => ({ fields: fields.map(([k]) => k) }),
    missing: "No such assignment.",
  });
}

/** A cohort's details and dates; the end stays on or after the start, whichever of the two changes. */
export async function updateCohort({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, ...changes } = parse(updateCohortInput, input, "cohort");
  const current = await ctx.db
    .prepare("SELECT start_date, end_date FROM bootcamp_cohorts WHERE tenant_id = ? AND id = ?")
    .bind(ctx.tenant.id, id)
    .first<{ start_date: string; end_date: string | null }>();
  if (!current) throw new DomainError("NOT_FOUND", "No such cohort.");
  const start = changes.start_date ?? current.start_date;
  const end = changes.end_date === undefined ? current.end_date : changes.end_date;
  if (end !== null && end < start)
    throw new DomainError("VALIDATION", "Invalid cohort: end_date: must be on or after the start date", {
      details: [{ path: "end_date", message: "must be on or after the start date", key: "date_order" }],
    });
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new DomainError("VALIDATION", "Nothing to change.");
  const sets = entries.map(([k]) => `"${k}" = ?`).join(", ");
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(`UPDATE bootcamp_cohorts SET ${sets} WHERE tenant_id = ? AND id = ?`)
        .bind(...entries.map(([, v]) => v ?? null), ctx.tenant.id, id),
    ],
    { action: "bootcamp.cohort.update", entity: "bootcamp_cohorts", entityId: id, data: changes },
  );
  return { ok: true };
}

/**
 * Puts the children of one course (modules, assignments) or one module (lessons, quizzes) in the given order.
 * `ids` must be exactly its current children (not archived): a stale page gets CONFLICT, not half an order.
 */
export async function reorderContent({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { kind, parent_id, ids } = parse(reorderInput, input, "order");
  const { table, parent } = ORDERABLE[kind];
  const { results } = await ctx.db
    .prepare(`SELECT id FROM ${table} WHERE tenant_id = ? AND ${parent} = ? AND archived_at IS NULL`)
    .bind(ctx.tenant.id, parent_id)
    .all<{ id: string }>();
  if (results.length === 0)
    throw new DomainError("NOT_FOUND", `No such ${parent === "course_id" ? "course" : "module"}.`);
  const current = new Set(results.map((r) => r.id));
  if (new Set(ids).size !== ids.length || ids.length !== current.size || ids.some((i) => !current.has(i)))
    throw new DomainError(
      "CONFLICT",
      "The content changed since this page was loaded; reload it and try again.",
    );
  const ts = nowIso(ctx.now());
  const touch = table === "bootcamp_modules" ? "" : ", updated_at = ?";
  await writeWithAudit(
    ctx,
    ids.map((id, i) =>
      ctx.db
        .prepare(`UPDATE ${table} SET position = ?${touch} WHERE tenant_id = ? AND id = ?`)
        .bind(...(touch ? [i + 1, ts] : [i + 1]), ctx.tenant.id, id),
    ),
    { action: `bootcamp.${kind}.reorder`, entity: table, entityId: parent_id, data: { ids } },
  );
  return { ok: true, ids };
}

/** How many learner records hang on a piece of content (its history): one indexed count. */
function historySql(kind: ContentKind): string {
  switch (kind) {
    case "lessons":
      return "SELECT count(*) AS n FROM bootcamp_progress WHERE tenant_id = ?1 AND lesson_id = ?2";
    case "assignments":
      return "SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ?1 AND assignment_id = ?2";
    case "quizzes":
      return "SELECT count(*) AS n FROM bootcamp_quiz_attempts WHERE tenant_id = ?1 AND quiz_id = ?2";
    case "modules":
      return `SELECT (SELECT count(*) FROM bootcamp_progress p JOIN bootcamp_lessons l ON l.tenant_id = p.tenant_id AND l.id = p.lesson_id
                WHERE l.tenant_id = ?1 AND l.module_id = ?2)
           + (SELECT count(*) FROM bootcamp_quiz_attempts a JOIN bootcamp_quizzes q ON q.tenant_id = a.tenant_id AND q.id = a.quiz_id
                WHERE q.tenant_id = ?1 AND q.module_id = ?2) AS n`;
  }
}

/**
 * Deletes a module, lesson, assignment or quiz. With no learner record on it, the row goes (a module with its
 * lessons and quizzes). With some, the caller must confirm (else CONFLICT with the count), and it is archived:
 * hidden from learners, the catalogue and the certificate rule, the records kept.
 */
export async function deleteContent({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { kind, id, confirm } = parse(deleteContentInput, input, "deletion");
  const { table } = ORDERABLE[kind];
  const t = ctx.tenant.id;
  const row = await ctx.db
    .prepare(`SELECT id FROM ${table} WHERE tenant_id = ? AND id = ? AND archived_at IS NULL`)
    .bind(t, id)
    .first();
  if (!row) throw new DomainError("NOT_FOUND", "Nothing to delete here.");
  const history = (await ctx.db.prepare(historySql(kind)).bind(t, id).first<{ n: number }>())?.n ?? 0;
  const ts = nowIso(ctx.now());
  if (history === 0) {
    await ctx.db.batch([
      ctx.db.prepare(`DELETE FROM ${table} WHERE tenant_id = ? AND id = ?`).bind(t, id),
      auditStatement(ctx, `bootcamp.${kind}.delete`, table, id),
    ]);
    return { ok: true, archived: false, history };
  }
  if (confirm === undefined)
    throw new DomainError(
      "CONFLICT",
      `Learners have ${history} record(s) on this; confirm to archive it: they keep their history.`,
      { details: [{ path: "confirm", message: String(history) }] },
    );
  const archive = (tbl: string, where: string) =>
    ctx.db
      .prepare(
        `UPDATE ${tbl} SET archived_at = ? WHERE tenant_id = ? AND ${where} = ? AND archived_at IS NULL`,
      )
      .bind(ts, t, id);
  const statements =
    kind === "modules"
      ? [
          archive("bootcamp_lessons", "module_id"),
          archive("bootcamp_quizzes", "module_id"),
          archive("bootcamp_modules", "id"),
        ]
      : [archive(table, "id")];
  await writeWithAudit(ctx, statements, {
    action: `bootcamp.${kind}.archive`,
    entity: table,
    entityId: id,
    data: { history },
  });
  return { ok: true, archived: true, history };
}

/** Revokes a certificate with a reason (staff only, once): verification then says revoked, and when. */
export async function revokeCertificate({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, reason } = parse(revokeCertificateInput, input, "revocation");
  const ts = nowIso(ctx.now());
  const [res] = await ctx.db.batch([
    ctx.db
      .prepare(
        "UPDATE bootcamp_certificates SET revoked_at = ?, revoked_reason = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
      )
      .bind(ts, reason, ctx.tenant.id, id),
    auditIfChanged(ctx, "bootcamp.certificate.revoke", "bootcamp_certificates", id, { reason }),
  ]);
  if (!changedRow(res)) {
    const exists = await ctx.db
      .prepare("SELECT revoked_at FROM bootcamp_certificates WHERE tenant_id = ? AND id = ?")
      .bind(ctx.tenant.id, id)
      .first();
    if (exists) throw new DomainError("CONFLICT", "This certificate is already revoked.");
    throw new DomainError("NOT_FOUND", "No such certificate.");
  }
  return { ok: true, revoked_at: ts };
}
