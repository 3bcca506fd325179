import { describe, expect, it } from "vitest";
import { gradeAttempt, normalizeAnswer, publicQuestions, questionsSchema } from "./quiz-grading.ts";

const questions = questionsSchema.parse([
  {
    kind: "single",
    prompt: "Which method tests a prototype with users?",
    feedback: "See lesson 2.",
    choices: [
      { text: "Usability test", correct: true, feedback: "Yes." },
      { text: "Card sorting", feedback: "That one organises content." },
    ],
  },
  {
    kind: "multiple",
    prompt: "Which are qualitative?",
    points: 2,
    choices: [
      { text: "Interviews", correct: true },
      { text: "A/B test" },
      { text: "Diary study", correct: true },
    ],
  },
  { kind: "short", prompt: "Name of the persona's goal map?", accepted: ["Empathy map"] },
]);

describe("gradeAttempt", () => {
  it("scores each kind, with the feedback of each answer and the pass mark", () => {
    const all = gradeAttempt(questions, [0, [2, 0], "  EMPATHY   map "], 70);
    expect(all).toMatchObject({ score: 4, max_score: 4, passed: true });
    expect(all.results[0]).toEqual({ correct: true, points: 1, feedback: ["See lesson 2.", "Yes."] });
    const some = gradeAttempt(questions, [1, [0], "persona"], 70);
    expect(some).toMatchObject({ score: 0, passed: false });
    expect(some.results[0]?.feedback).toEqual(["See lesson 2.", "That one organises content."]);
    // 3 of 4 = 75 %: passes at 70, fails at 80
    expect(gradeAttempt(questions, [0, [0, 2], null], 70).passed).toBe(true);
    expect(gradeAttempt(questions, [0, [0, 2], null], 80).passed).toBe(false);
    // a missing or out-of-range answer is wrong, never an error
    expect(gradeAttempt(questions, [9], 50).score).toBe(0);
  });

  it("ignores accents and case in short answers, and hides answers from learners", () => {
    expect(normalizeAnswer(" Élève  Modèle ")).toBe("eleve modele");
    const pub = publicQuestions(questions);
    expect(JSON.stringify(pub)).not.toContain("correct");
    expect(JSON.stringify(pub)).not.toContain("Empathy");
    expect(pub[1]?.choices).toEqual(["Interviews", "A/B test", "Diary study"]);
  });

  it("refuses a single choice with two right answers and a short answer without one", () => {
    expect(
      questionsSchema.safeParse([
        {
          kind: "single",
          prompt: "x",
          choices: [
            { text: "a", correct: true },
            { text: "b", correct: true },
          ],
        },
      ]).success,
    ).toBe(false);
    expect(questionsSchema.safeParse([{ kind: "short", prompt: "x", accepted: [] }]).success).toBe(false);
    expect(questionsSchema.safeParse([]).success).toBe(false);
  });
});
