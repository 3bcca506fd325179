import { describe, expect, it } from "vitest";
import { parseRubric } from "./bootcamp-forms";

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
