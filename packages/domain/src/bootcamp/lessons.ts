/** A released lesson as the learner reads it, and marking it complete (which may issue the certificate). */
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { addDays, isoDay } from "./calendar.ts";
import { certificateStatements } from "./certificates.ts";
import { type OwnEnrolment, ownEnrolment } from "./learner-scope.ts";
import { renderMarkdown } from "./markdown.ts";
import { lessonRefInput } from "./schemas.ts";

type LessonForLearner = {
  id: string;
  title: string;
  body_md: string;
  release_offset_days: number;
  module_title: string;
};

async function releasedLesson(ctx: Ctx, e: OwnEnrolment, lessonId: string) {
  const lesson = await ctx.db
    .prepare(
      `SELECT l.id, l.title, l.body_md, l.release_offset_days, m.title AS module_title FROM bootcamp_lessons l
       JOIN bootcamp_modules m ON m.tenant_id = l.tenant_id AND m.id = l.module_id
       WHERE l.tenant_id = ? AND l.id = ? AND l.course_id = ?`,
    )
    .bind(ctx.tenant.id, lessonId, e.course_id)
    .first<LessonForLearner>();
  if (!lesson) throw new DomainError("NOT_FOUND", "No such lesson.");
  const releaseDate = addDays(e.start_date, lesson.release_offset_days);
  if (releaseDate > isoDay(ctx.now()))
    throw new DomainError("FORBIDDEN", `This lesson opens on ${releaseDate}.`, {
      details: [{ path: "release_date", message: releaseDate }],
    });
  return { lesson, releaseDate };
}

/** One released lesson, its Markdown rendered safely, with the learner's completion. */
export async function getLearnerLesson({ ctx, input }: VerbArgs) {
  const ref = parse(lessonRefInput, input, "lesson");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const { lesson, releaseDate } = await releasedLesson(ctx, e, ref.lesson_id);
  const done = await ctx.db
    .prepare(
      "SELECT completed_at FROM bootcamp_progress WHERE tenant_id = ? AND enrolment_id = ? AND lesson_id = ?",
    )
    .bind(ctx.tenant.id, e.id, lesson.id)
    .first<{ completed_at: string }>();
  return {
    enrolment_id: e.id,
    course_title: e.course_title,
    module_title: lesson.module_title,
    id: lesson.id,
    title: lesson.title,
    html: await renderMarkdown(lesson.body_md),
    release_date: releaseDate,
    completed_at: done?.completed_at ?? null,
  };
}

/** Marks a released lesson complete (idempotent); finishing the course issues the certificate. */
export async function completeLesson({ ctx, input }: VerbArgs) {
  const ref = parse(lessonRefInput, input, "lesson");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  await releasedLesson(ctx, e, ref.lesson_id);
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_progress (id, tenant_id, enrolment_id, lesson_id, completed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, enrolment_id, lesson_id) DO NOTHING`,
      )
      .bind(newId(), ctx.tenant.id, e.id, ref.lesson_id, nowIso(ctx.now())),
    ...certificateStatements(ctx, e.id),
  ]);
  return { ok: true };
}
