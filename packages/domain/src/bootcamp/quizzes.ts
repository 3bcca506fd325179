/**
 * Quizzes (decision 032): staff write them (a module's quiz: questions, pass mark, attempts, gate); a learner
 * takes them through their own enrolment, graded at once. Learners see their own attempts only: every learner
 * query is bound to the enrolment `ownEnrolment` returned (the caller's).
 */
import { z } from "zod";
import { auditRow, writeWithAudit } from "../kernel/audit.ts";
import { actorId, type Ctx, type VerbArgs } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, nowIso } from "../kernel/ids.ts";
import { conflictOnUnique, parse } from "../kernel/parse.ts";
import { assertStaff } from "./access.ts";
import { isoDay } from "./calendar.ts";
import { type OwnEnrolment, ownEnrolment } from "./learner-scope.ts";
import { outlineOf, outlineStatements } from "./outline.ts";
import {
  answersSchema,
  gradeAttempt,
  type PublicQuestion,
  publicQuestions,
  type QuestionResult,
  type QuizQuestion,
  questionsSchema,
} from "./quiz-grading.ts";
import { patchRow } from "./store.ts";

const uuid = z.uuid({ message: "must be a UUID" });
const title = z.string().trim().min(1).max(200);
const passPercent = z.coerce.number().int().min(0).max(100);
const maxAttempts = z.coerce.number().int().min(1).max(20);
const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1)])
  .transform((v) => (v === true || v === 1 ? 1 : 0));
const position = z.coerce.number().int().min(0).max(10_000);

export const createQuizInput = z.strictObject({
  module_id: uuid,
  title,
  questions: questionsSchema,
  pass_percent: passPercent.default(70),
  max_attempts: maxAttempts.default(3),
  gates_next: flag.default(0),
  position: position.default(0),
});
export const updateQuizInput = z.strictObject({
  id: uuid,
  title: title.optional(),
  questions: questionsSchema.optional(),
  pass_percent: passPercent.optional(),
  max_attempts: maxAttempts.optional(),
  gates_next: flag.optional(),
  position: position.optional(),
});
export const quizRefInput = z.strictObject({ enrolment_id: uuid, quiz_id: uuid });
export const quizAttemptInput = z.strictObject({
  enrolment_id: uuid,
  quiz_id: uuid,
  answers: answersSchema,
});

export async function createQuiz({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const data = parse(createQuizInput, input, "quiz");
  const mod = await ctx.db
    .prepare("SELECT course_id FROM bootcamp_modules WHERE tenant_id = ? AND id = ? AND archived_at IS NULL")
    .bind(ctx.tenant.id, data.module_id)
    .first<{ course_id: string }>();
  if (!mod) throw new DomainError("NOT_FOUND", "No such module.");
  const id = newId();
  const ts = nowIso(ctx.now());
  await writeWithAudit(
    ctx,
    [
      ctx.db
        .prepare(
          `INSERT INTO bootcamp_quizzes (id, tenant_id, course_id, module_id, title, questions, pass_percent, max_attempts, gates_next, position, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          id,
          ctx.tenant.id,
          mod.course_id,
          data.module_id,
          data.title,
          JSON.stringify(data.questions),
          data.pass_percent,
          data.max_attempts,
          data.gates_next,
          data.position,
          ts,
          ts,
        ),
    ],
    {
      action: "bootcamp.quiz.create",
      entity: "bootcamp_quizzes",
      entityId: id,
      data: { module_id: data.module_id, questions: data.questions.length },
    },
  );
  return { id, course_id: mod.course_id, ...data };
}

export async function updateQuiz({ ctx, input }: VerbArgs) {
  assertStaff(ctx);
  const { id, questions, ...rest } = parse(updateQuizInput, input, "quiz");
  return patchRow(ctx, {
    table: "bootcamp_quizzes",
    id,
    changes: { ...rest, questions: questions ? JSON.stringify(questions) : undefined },
    action: "bootcamp.quiz.update",
    audit: (fields) => ({ fields: fields.map(([k]) => k) }),
    missing: "No such quiz.",
  });
}

type QuizRow = {
  id: string;
  module_id: string;
  title: string;
  questions: string;
  pass_percent: number;
  max_attempts: number;
  gates_next: number;
};
type AttemptRow = {
  id: string;
  attempt: number;
  answers: string;
  score: number;
  max_score: number;
  passed: number;
  submitted_at: string;
};

const QUIZ_COLUMNS = "id, module_id, title, questions, pass_percent, max_attempts, gates_next";

/** The quiz of the learner's course, if it is open to them (not archived, its module not locked). */
async function openQuiz(ctx: Ctx, e: OwnEnrolment, quizId: string) {
  const outline = outlineStatements(ctx, e);
  const results = await ctx.db.batch([
    ...outline,
    ctx.db
      .prepare(
        `SELECT ${QUIZ_COLUMNS} FROM bootcamp_quizzes WHERE tenant_id = ? AND id = ? AND course_id = ? AND archived_at IS NULL`,
      )
      .bind(ctx.tenant.id, quizId, e.course_id),
    ctx.db
      .prepare(
        `SELECT id, attempt, answers, score, max_score, passed, submitted_at FROM bootcamp_quiz_attempts
         WHERE tenant_id = ? AND enrolment_id = ? AND quiz_id = ? ORDER BY attempt`,
      )
      .bind(ctx.tenant.id, e.id, quizId),
  ]);
  const quiz = results[outline.length]?.results[0] as QuizRow | undefined;
  if (!quiz) throw new DomainError("NOT_FOUND", "No such quiz.");
  const plan = outlineOf(results.slice(0, outline.length), e, isoDay(ctx.now()));
  if (plan.modules.find((m) => m.id === quiz.module_id)?.locked)
    throw new DomainError("FORBIDDEN", "Pass the previous module's quiz to open this one.", {
      details: [{ path: "locked", message: "quiz" }],
    });
  const questions = JSON.parse(quiz.questions) as QuizQuestion[];
  const attempts = (results[outline.length + 1]?.results ?? []) as AttemptRow[];
  return { quiz, questions, attempts };
}

export type LearnerAttempt = {
  attempt: number;
  score: number;
  max_score: number;
  passed: boolean;
  submitted_at: string;
  answers: unknown[];
  results: QuestionResult[];
};
export type LearnerQuiz = {
  id: string;
  title: string;
  pass_percent: number;
  max_attempts: number;
  gates_next: boolean;
  attempts_left: number;
  passed: boolean;
  questions: PublicQuestion[];
  attempts: LearnerAttempt[];
};

function attemptView(a: AttemptRow, questions: QuizQuestion[], passPercent: number): LearnerAttempt {
  const stored = JSON.parse(a.answers) as { answers?: unknown[] };
  const answers = answersSchema.safeParse(stored.answers ?? []);
  return {
    attempt: a.attempt,
    score: a.score,
    max_score: a.max_score,
    passed: a.passed === 1,
    submitted_at: a.submitted_at,
    answers: stored.answers ?? [],
    // feedback as the quiz now reads (the score is the one graded at the time)
    results: gradeAttempt(questions, answers.success ? answers.data : [], passPercent).results,
  };
}

function learnerQuiz(quiz: QuizRow, questions: QuizQuestion[], attempts: AttemptRow[]): LearnerQuiz {
  return {
    id: quiz.id,
    title: quiz.title,
    pass_percent: quiz.pass_percent,
    max_attempts: quiz.max_attempts,
    gates_next: quiz.gates_next === 1,
    attempts_left: Math.max(0, quiz.max_attempts - attempts.length),
    passed: attempts.some((a) => a.passed === 1),
    questions: publicQuestions(questions),
    attempts: attempts.map((a) => attemptView(a, questions, quiz.pass_percent)),
  };
}

/** A quiz as its learner sees it: the questions without their answers, and their own attempts with feedback. */
export async function getLearnerQuiz({ ctx, input }: VerbArgs): Promise<LearnerQuiz> {
  const ref = parse(quizRefInput, input, "quiz");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const { quiz, questions, attempts } = await openQuiz(ctx, e, ref.quiz_id);
  return learnerQuiz(quiz, questions, attempts);
}

/**
 * Grades an attempt at once and records it with its audit row in one batch. The attempt's number and the limit
 * are decided in SQL (INSERT … SELECT … WHERE used < max), so two attempts sent together can't exceed it; a
 * learner with no attempt left gets CONFLICT.
 */
export async function submitQuizAttempt({ ctx, input }: VerbArgs) {
  const ref = parse(quizAttemptInput, input, "quiz attempt");
  const e = await ownEnrolment(ctx, ref.enrolment_id);
  const { quiz, questions, attempts } = await openQuiz(ctx, e, ref.quiz_id);
  if (attempts.length >= quiz.max_attempts)
    throw new DomainError("CONFLICT", "No attempt left for this quiz.");
  const grade = gradeAttempt(questions, ref.answers, quiz.pass_percent);
  const id = newId();
  const ts = nowIso(ctx.now());
  const t = ctx.tenant.id;
  let results: D1Result[];
  try {
    results = await ctx.db.batch([
      ctx.db
        .prepare(
          `INSERT INTO bootcamp_quiz_attempts (id, tenant_id, quiz_id, enrolment_id, attempt, answers, score, max_score, passed, submitted_at)
           SELECT ?, ?, ?, ?, used + 1, ?, ?, ?, ?, ?
           FROM (SELECT count(*) AS used FROM bootcamp_quiz_attempts WHERE tenant_id = ? AND enrolment_id = ? AND quiz_id = ?)
           WHERE used < ?`,
        )
        .bind(
          id,
          t,
          quiz.id,
          e.id,
          JSON.stringify({ answers: ref.answers.slice(0, questions.length) }),
          grade.score,
          grade.max_score,
          grade.passed ? 1 : 0,
          ts,
          t,
          e.id,
          quiz.id,
          quiz.max_attempts,
        ),
      auditRow(ctx.db, {
        tenantId: t,
        actorType: ctx.actor.type,
        actorId: actorId(ctx.actor),
        action: "bootcamp.quiz.attempt",
        entity: "bootcamp_quiz_attempts",
        entityId: id,
        data: { quiz_id: quiz.id, score: grade.score, max_score: grade.max_score, passed: grade.passed },
        at: ts,
        when: { sql: "changes() = 1" },
      }),
    ]);
  } catch (err) {
    conflictOnUnique(err, "This attempt was already recorded; reload the quiz.");
  }
  if ((results[0]?.meta.changes ?? 0) === 0)
    throw new DomainError("CONFLICT", "No attempt left for this quiz.");
  return {
    attempt: attempts.length + 1,
    score: grade.score,
    max_score: grade.max_score,
    passed: grade.passed,
    results: grade.results,
    attempts_left: Math.max(0, quiz.max_attempts - attempts.length - 1),
  };
}
