/** A released lesson as the learner reads it, and marking it complete (which may issue the certificate). */
import type { Ctx, VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { addDays, isoDay } from "./calendar.ts";
import { certificateStatements } from "./certificates.ts";
import { type OwnEnrolment, ownEnrolment } from "./learner-scope.ts";
import { renderMarkdown } from "./markdown.ts";
import { neighbours, outlineOf, outlineStatements } from "./outline.ts";
import { lessonRefInput } from "./schemas.ts";

type LessonForLearner = {
  id: string;
  title: string;
  body_md: string;
  release_offset_days: number;
  module_title: string;
};

async function releasedLesson(ctx: Ctx, e: OwnEnrolment, lessonId: string) {
  const today = isoDay(ctx.now());
  const outline = outlineStatements(ctx, e);
  const results = await ctx.db.batch([
    ...outline,
    ctx.db
      .prepare(
        `SELECT l.id, l.title, l.body_md, l.release_offset_days, m.title AS module_title FROM bootcamp_lessons l
         JOIN bootcamp_modules m ON m.tenant_id = l.tenant_id AND m.id = l.module_id
         WHERE l.tenant_id = ? AND l.id = ? AND l.course_id = ? AND l.archived_at IS NULL`,
      )
      .bind(ctx.tenant.id, lessonId, e.course_id),
  ]);
  const lesson = results[outline.length]?.results[0] as LessonForLearner | undefined;
  if (!lesson) throw new DomainError("NOT_FOUND", "No such lesson.");
  const releaseDate = addDays(e.start_date, lesson.release_offset_days);
  if (releaseDate > today)
    throw new DomainError("FORBIDDEN", `This lesson opens on ${releaseDate}.`, {
      details: [{ path: "release_date", message: releaseDate }],
    });
  const plan = outlineOf(results.slice(0, outline.length), e, today);
  if (plan.sequence.find((l) => l.id === lesson.id)?.locked)
    throw new DomainError("FORBIDDEN", "Pass the previous module's quiz to open this lesson.", {
      details: [{ path: "locked", message: "quiz" }],
    });
  return { lesson, releaseDate, plan };
}

/**
 * One released lesson, its Markdown rendered safely, with the learner's completion, the lessons before and after
 * it and the course's progress. Opening it records where the learner stopped ("resume"): one upserted row per
 * enrolment and lesson, a reading position rather than an action, so it has no audit row (decision 032).
 */
export async function getLearnerLesson({ ctx, input }: VerbArgs) {
  const ref = parse(lessonRefInput, input, "lesson");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const { lesson, releaseDate, plan } = await releasedLesson(ctx, e, ref.lesson_id);
  const t = ctx.tenant.id;
  const [, done] = await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO bootcamp_lesson_views (id, tenant_id, enrolment_id, lesson_id, viewed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, enrolment_id, lesson_id) DO UPDATE SET viewed_at = excluded.viewed_at`,
      )
      .bind(newId(), t, e.id, lesson.id, nowIso(ctx.now())),
    ctx.db
      .prepare(
        "SELECT completed_at FROM bootcamp_progress WHERE tenant_id = ? AND enrolment_id = ? AND lesson_id = ?",
      )
      .bind(t, e.id, lesson.id),
  ]);
  const completedAt = (done?.results[0] as { completed_at: string } | undefined)?.completed_at ?? null;
  const mod = plan.modules.find((m) => m.lessons.some((l) => l.id === lesson.id));
  return {
    enrolment_id: e.id,
    course_title: e.course_title,
    course_language: e.course_language,
    module_title: lesson.module_title,
    id: lesson.id,
    title: lesson.title,
    html: await renderMarkdown(lesson.body_md),
    release_date: releaseDate,
    completed_at: completedAt,
    ...neighbours(plan, lesson.id),
    /** The quizzes of this lesson's module (offered after its last lesson). */
    module_quizzes: mod?.quizzes ?? [],
    progress: {
      lessons_total: plan.sequence.length,
      lessons_done: plan.sequence.filter((l) => l.completed).length,
    },
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
