import { describe, expect, it } from "vitest";
import { moveId, parseQuiz, parseRubric, quizText } from "./bootcamp-forms";

describe("rubric textarea", () => {
  it("reads one criterion per line, skipping blank lines", () => {
    expect(parseRubric("Clarté | 5\r\n\n  Recherche|10  \n")).toEqual([
      { criterion: "Clarté", points: 5 },
      { criterion: "Recherche", points: 10 },
    ]);
  });

  it("keeps a bar inside the criterion and leaves missing points as NaN for the API to refuse", () => {
    expect(parseRubric("A | B | 3")).toEqual([{ criterion: "A | B", points: 3 }]);
    const [row] = parseRubric("No points");
    expect(row?.criterion).toBe("No points");
    expect(Number.isNaN(row?.points)).toBe(true);
  });
});

describe("quiz textarea", () => {
  const text = [
    "? Who do you interview?",
    "+ Users :: Right.",
    "- The client only",
    "> See lesson 1.",
    "",
    "?? Qualitative methods",
    "+ Interviews",
    "- A/B test :: That one is quantitative.",
    "+ Diary study",
    "?= Name the map",
    "= empathy map",
    "= carte d'empathie",
  ].join("\n");

  it("reads single, multiple and short questions with their feedback, and writes them back", () => {
    const q = parseQuiz(text);
    expect(q).toEqual([
      {
        kind: "single",
        prompt: "Who do you interview?",
        feedback: "See lesson 1.",
        choices: [
          { text: "Users", feedback: "Right.", correct: true },
          { text: "The client only", feedback: "", correct: false },
        ],
      },
      {
        kind: "multiple",
        prompt: "Qualitative methods",
        feedback: "",
        choices: [
          { text: "Interviews", feedback: "", correct: true },
          { text: "A/B test", feedback: "That one is quantitative.", correct: false },
          { text: "Diary study", feedback: "", correct: true },
        ],
      },
      { kind: "short", prompt: "Name the map", feedback: "", accepted: ["empathy map", "carte d'empathie"] },
    ]);
    expect(parseQuiz(quizText(q))).toEqual(q);
  });

  it("moves an id one place, and leaves the ends alone", () => {
    expect(moveId(["a", "b", "c"], "b", -1)).toEqual(["b", "a", "c"]);
    expect(moveId(["a", "b", "c"], "b", 1)).toEqual(["a", "c", "b"]);
    expect(moveId(["a", "b", "c"], "a", -1)).toEqual(["a", "b", "c"]);
    expect(moveId(["a", "b", "c"], "x", 1)).toEqual(["a", "b", "c"]);
  });
});
