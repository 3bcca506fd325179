/**
 * A quiz's questions and how an attempt is graded (pure: no database). Questions are stored as one JSON array
 * on the quiz (migrations/0026_bootcamp_depth.sql); they are addressed by their index, choices too, so an
 * attempt is an array with one answer per question: a choice's index (single), a list of indexes (multiple),
 * or a text (short answer). Decision 032.
 */
import { z } from "zod";

const feedback = z.string().trim().max(1000).default("");
const points = z.coerce.number().int().min(1).max(100).default(1);
const prompt = z.string().trim().min(1).max(2000);

const choice = z.strictObject({
  text: z.string().trim().min(1).max(500),
  correct: z.boolean().default(false),
  /** Shown to the learner who picked this choice. */
  feedback,
});
const choices = z.array(choice).min(2, "give at least two choices").max(10);

export const questionSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({ kind: z.literal("single"), prompt, points, feedback, choices })
    .refine((q) => q.choices.filter((c) => c.correct).length === 1, {
      message: "a single-choice question needs exactly one correct choice",
      path: ["choices"],
    }),
  z
    .strictObject({ kind: z.literal("multiple"), prompt, points, feedback, choices })
    .refine((q) => q.choices.some((c) => c.correct), {
      message: "a multiple-choice question needs at least one correct choice",
      path: ["choices"],
    }),
  z.strictObject({
    kind: z.literal("short"),
    prompt,
    points,
    feedback,
    /** Accepted answers, compared without case, accents or extra spaces. */
    accepted: z.array(z.string().trim().min(1).max(200)).min(1, "give at least one accepted answer").max(20),
  }),
]);
export type QuizQuestion = z.infer<typeof questionSchema>;
export const questionsSchema = z.array(questionSchema).min(1, "add at least one question").max(50);

/** One answer per question, in order; null (or a missing entry) is left blank and counts as wrong. */
export const answersSchema = z
  .array(
    z
      .union([
        z.coerce.number().int().min(0).max(9),
        z.array(z.coerce.number().int().min(0).max(9)).max(10),
        z.string().max(500),
      ])
      .nullable(),
  )
  .max(50);
export type QuizAnswers = z.infer<typeof answersSchema>;

/** What a learner sees of a question before answering: no correct flag, no accepted answers, no feedback. */
export type PublicQuestion = {
  kind: QuizQuestion["kind"];
  prompt: string;
  points: number;
  choices: string[];
};

export const publicQuestions = (questions: readonly QuizQuestion[]): PublicQuestion[] =>
  questions.map((q) => ({
    kind: q.kind,
    prompt: q.prompt,
    points: q.points,
    choices: q.kind === "short" ? [] : q.choices.map((c) => c.text),
  }));

export type QuestionResult = {
  correct: boolean;
  points: number;
  /** The question's feedback, then that of each choice the learner picked. */
  feedback: string[];
};
export type Grade = { score: number; max_score: number; passed: boolean; results: QuestionResult[] };

/** Lowercase, without accents and with single spaces: "  Éléve  " and "eleve" are the same answer. */
export const normalizeAnswer = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();

function picked(answer: QuizAnswers[number] | undefined): number[] {
  if (typeof answer === "number") return [answer];
  if (Array.isArray(answer)) return [...new Set(answer)].sort((a, b) => a - b);
  return [];
}

function gradeOne(q: QuizQuestion, answer: QuizAnswers[number] | undefined): QuestionResult {
  const notes = (extra: string[]) => [q.feedback, ...extra].filter((f) => f !== "");
  if (q.kind === "short") {
    const given = typeof answer === "string" ? normalizeAnswer(answer) : "";
    const correct = given !== "" && q.accepted.some((a) => normalizeAnswer(a) === given);
    return { correct, points: correct ? q.points : 0, feedback: notes([]) };
  }
  const chosen = picked(answer).filter((i) => i < q.choices.length);
  const right = q.choices.flatMap((c, i) => (c.correct ? [i] : []));
  const correct =
    q.kind === "single"
      ? chosen.length === 1 && right[0] === chosen[0]
      : chosen.length === right.length && chosen.every((i, k) => right[k] === i);
  return {
    correct,
    points: correct ? q.points : 0,
    feedback: notes(chosen.map((i) => q.choices[i]?.feedback ?? "")),
  };
}

/** Grades an attempt at once: a point total, pass when score ≥ pass_percent % of the maximum. */
export function gradeAttempt(
  questions: readonly QuizQuestion[],
  answers: QuizAnswers,
  passPercent: number,
): Grade {
  const results = questions.map((q, i) => gradeOne(q, answers[i]));
  const score = results.reduce((n, r) => n + r.points, 0);
  const max = questions.reduce((n, q) => n + q.points, 0);
  return { score, max_score: max, passed: score * 100 >= passPercent * max, results };
}
